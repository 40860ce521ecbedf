import * as React from '@theia/core/shared/react';
import { CommandService, Emitter, MessageService, nls } from '@theia/core';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { BadgeWidget } from '@theia/core/lib/browser/view-container';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { VerifiedIdentity } from '@vouch/protocol';
import { AcceptJoinRequestDialog } from './join-request-dialogs';
import { CheckedJoinRequest, JoinRequestsModel } from './join-requests-model';
import { PIN_ANCHORS_COMMAND } from './pki-anchors-contribution';

export const JOIN_REQUESTS_WIDGET_ID = 'vouch-join-requests';

export function describeIdentity(identity: VerifiedIdentity): string[] {
    switch (identity.method) {
        case 'pki': return [
            nls.localize('vouch/joinRequests/pkiSubject', 'Certificate: {0}', identity.subject),
            nls.localize('vouch/joinRequests/pkiIssuers', 'Issued by: {0}', identity.issuerChain.join(' ← ')),
            nls.localize('vouch/joinRequests/pkiValidity', 'Valid {0} to {1}', new Date(identity.notBefore).toLocaleDateString(), new Date(identity.notAfter).toLocaleDateString())
        ];
        case 'oidc': return [nls.localize('vouch/joinRequests/oidc', 'Signed in at {0} as {1} (verified email {2})', identity.issuer, identity.subject, identity.email)];
        case 'saml': return [nls.localize('vouch/joinRequests/saml', 'Signed in at {0} as {1} (email {2})', identity.issuer, identity.nameId, identity.email)];
    }
}

/** The "Join Requests" part of the Invitations & Join Requests view (Administrators). */
@injectable()
export class JoinRequestsWidget extends ReactWidget implements BadgeWidget {
    @inject(JoinRequestsModel) protected readonly model: JoinRequestsModel;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(CommandService) protected readonly commands: CommandService;

    protected readonly onDidChangeBadgeEmitter = new Emitter<void>();
    readonly onDidChangeBadge = this.onDidChangeBadgeEmitter.event;
    protected readonly onDidChangeBadgeTooltipEmitter = new Emitter<void>();
    readonly onDidChangeBadgeTooltip = this.onDidChangeBadgeTooltipEmitter.event;
    protected busy = false;

    get badge(): number | undefined {
        return this.model.requests.length || undefined;
    }

    get badgeTooltip(): string | undefined {
        return nls.localize('vouch/joinRequests/badge', '{0} pending join requests', this.model.requests.length);
    }

    @postConstruct()
    protected init(): void {
        this.id = JOIN_REQUESTS_WIDGET_ID;
        this.title.label = nls.localize('vouch/joinRequests/title', 'Join Requests');
        this.title.caption = this.title.label;
        this.title.closable = false;
        this.addClass('vouch-join-requests');
        this.toDispose.pushAll([this.onDidChangeBadgeEmitter, this.onDidChangeBadgeTooltipEmitter, this.model.onDidChange(() => {
            this.onDidChangeBadgeEmitter.fire();
            this.onDidChangeBadgeTooltipEmitter.fire();
            this.update();
        })]);
        this.update();
    }

    protected render(): React.ReactNode {
        if (!this.model.mayList) {
            return <div className='vouch-join-requests-empty'>{nls.localize('vouch/joinRequests/adminsOnly', 'Administrators see and decide join requests here.')}</div>;
        }
        const rows = this.model.requests;
        const valid = rows.filter(row => !row.problem);
        return <div className='vouch-join-requests-body'>
            {this.model.error && <div className='vouch-join-requests-error'>{this.model.error}</div>}
            {this.renderAnchors()}
            {rows.length === 0
                ? <div className='vouch-join-requests-empty'>{nls.localize('vouch/joinRequests/none', 'No pending join request.')}</div>
                : <>
                    <div className='vouch-join-requests-actions'>
                        <button className='theia-button secondary vouch-accept-all' disabled={this.busy || valid.length === 0} onClick={() => this.acceptAll(valid)}>
                            {nls.localize('vouch/joinRequests/acceptAll', 'Accept all valid ({0})', valid.length)}
                        </button>
                    </div>
                    <ul className='vouch-join-requests-list'>{rows.map(row => this.renderRow(row))}</ul>
                </>}
        </div>;
    }

    /** On whose word PKI requests are re-checked: the organization's pinned anchors, or only the server's. */
    protected renderAnchors(): React.ReactNode {
        const anchors = this.model.anchors;
        if (!anchors || (anchors.anchors.length === 0 && !anchors.pinnedBy && !anchors.problem)) {
            return undefined;
        }
        if (anchors.problem) {
            return <div className='vouch-join-requests-anchors invalid'>{anchors.problem}</div>;
        }
        return anchors.pinnedBy
            ? <div className='vouch-join-requests-anchors pinned'>
                {nls.localize('vouch/joinRequests/anchorsPinned', 'PKI trust anchors pinned by the organization on {0}', new Date(anchors.pinnedBy.timestamp).toLocaleString())}
            </div>
            : <div className='vouch-join-requests-anchors unpinned'>
                {nls.localize('vouch/joinRequests/anchorsUnpinned', 'PKI requests are checked against the trust anchors the server serves: they are not pinned by the organization yet.')}{' '}
                <a href='#' className='vouch-pin-anchors' onClick={event => { event.preventDefault(); this.commands.executeCommand(PIN_ANCHORS_COMMAND.id); }}>
                    {nls.localize('vouch/joinRequests/pinAction', 'Pin them…')}
                </a>
            </div>;
    }

    protected renderRow(row: CheckedJoinRequest): React.ReactNode {
        const { request, problem } = row;
        return <li key={request.requestId} className='vouch-join-request-row' data-email={request.payload.email} data-method={request.method} data-valid={problem ? 'false' : 'true'}>
            <div className='vouch-join-request-who'>
                <span className='vouch-join-request-name'>{request.payload.name}</span> <span className='vouch-join-request-email'>&lt;{request.identity.email}&gt;</span>
                <span className={`vouch-join-request-method ${problem ? 'invalid' : 'verified'}`} title={request.method === 'pki'
                    ? nls.localize('vouch/joinRequests/verifiedPki', 'Signature, chain, dates, usage, email and revocation checked again by this workbench, against the trust anchors shown above')
                    : nls.localize('vouch/joinRequests/verifiedByServer', 'Verified by the organization server, the relying party of the identity provider')}>
                    {problem ? nls.localize('vouch/joinRequests/notVerified', '{0}: not verified', request.method.toUpperCase()) : nls.localize('vouch/joinRequests/verified', '{0}: verified', request.method.toUpperCase())}
                </span>
            </div>
            <div className='vouch-join-request-identity'>{describeIdentity(request.identity).map(line => <div key={line}>{line}</div>)}</div>
            <div className='vouch-join-request-meta'>{nls.localize('vouch/joinRequests/device', 'Device "{0}", asked {1}', request.payload.deviceLabel, new Date(request.createdOn).toLocaleString())}</div>
            {problem && <div className='vouch-join-request-problem'>{problem}</div>}
            <div className='vouch-join-request-buttons'>
                <button className='theia-button vouch-accept-request' disabled={this.busy || !!problem} onClick={() => this.accept(row)}>{nls.localize('vouch/joinRequests/accept', 'Accept…')}</button>
                <button className='theia-button secondary vouch-reject-request' disabled={this.busy} onClick={() => this.reject(row)}>{nls.localize('vouch/joinRequests/reject', 'Reject')}</button>
            </div>
        </li>;
    }

    protected async run(work: () => Promise<void>): Promise<void> {
        this.busy = true;
        this.update();
        try {
            await work();
        } finally {
            this.busy = false;
            this.update();
        }
    }

    protected async accept(row: CheckedJoinRequest): Promise<void> {
        const choice = await new AcceptJoinRequestDialog(row.request).open();
        if (!choice) { return; }
        await this.run(async () => {
            const problem = await this.model.accept(row.request, choice.profile, choice.name);
            if (problem) {
                this.messages.error(problem);
            } else {
                this.messages.info(nls.localize('vouch/joinRequests/accepted', '{0} joined the organization', row.request.identity.email));
            }
        });
    }

    protected async acceptAll(rows: readonly CheckedJoinRequest[]): Promise<void> {
        const choice = await new AcceptJoinRequestDialog(undefined, rows.length).open();
        if (!choice) { return; }
        await this.run(async () => {
            for (const row of rows) {
                const problem = await this.model.accept(row.request, choice.profile, row.request.payload.name);
                if (problem) {
                    this.messages.warn(`${row.request.identity.email}: ${problem}`);
                }
            }
        });
    }

    protected async reject(row: CheckedJoinRequest): Promise<void> {
        const yes = nls.localize('vouch/joinRequests/rejectConfirm', 'Reject');
        const answer = await this.messages.warn(nls.localize('vouch/joinRequests/rejectQuestion', 'Reject the request of {0}?', row.request.identity.email), yes);
        if (answer !== yes) { return; }
        await this.run(async () => {
            const problem = await this.model.reject(row.request);
            if (problem) {
                this.messages.error(problem);
            }
        });
    }
}
