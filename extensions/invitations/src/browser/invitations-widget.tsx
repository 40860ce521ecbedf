import * as React from '@theia/core/shared/react';
import { CommandService, nls } from '@theia/core';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { InvitationSummary } from '@vouch/protocol';
import { InvitationsModel } from './invitations-model';

export const INVITATIONS_WIDGET_ID = 'vouch-invitations';

export const InvitationCommandIds = {
    INVITE_USER: 'vouch.invitations.inviteUser',
    ADD_DEVICE: 'vouch.invitations.addDevice',
    GREET: 'vouch.invitations.greet',
    COPY_LINK: 'vouch.invitations.copyLink',
    RESEND: 'vouch.invitations.resend',
    CANCEL: 'vouch.invitations.cancel'
};

/** The "Invitations" part of the Invitations & Join Requests view: pending invitations and what one can do with each. */
@injectable()
export class InvitationsWidget extends ReactWidget {
    @inject(InvitationsModel) protected readonly model: InvitationsModel;
    @inject(CommandService) protected readonly commands: CommandService;

    @postConstruct()
    protected init(): void {
        this.id = INVITATIONS_WIDGET_ID;
        this.title.label = nls.localize('vouch/invitations/title', 'Invitations');
        this.title.caption = this.title.label;
        this.title.closable = false;
        this.addClass('vouch-invitations');
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.update();
    }

    protected render(): React.ReactNode {
        const invitations = this.model.invitations;
        return <div className='vouch-invitations-body'>
            <div className='vouch-invitations-actions'>
                <button className='theia-button vouch-invite-user' onClick={() => this.commands.executeCommand(InvitationCommandIds.INVITE_USER)}>
                    {nls.localize('vouch/invitations/inviteUser', 'Invite User')}
                </button>
                <button className='theia-button secondary vouch-add-device' onClick={() => this.commands.executeCommand(InvitationCommandIds.ADD_DEVICE)}>
                    {nls.localize('vouch/invitations/addDevice', 'Add a Device')}
                </button>
            </div>
            {this.model.error && <div className='vouch-invitations-error'>{this.model.error}</div>}
            {invitations.length === 0
                ? <div className='vouch-invitations-empty'>{nls.localize('vouch/invitations/none', 'No pending invitation.')}</div>
                : <ul className='vouch-invitations-list'>{invitations.map(invitation => this.renderRow(invitation))}</ul>}
        </div>;
    }

    protected renderRow(invitation: InvitationSummary): React.ReactNode {
        const run = (id: string) => () => this.commands.executeCommand(id, invitation.invitationId);
        const who = invitation.kind === 'DEVICE'
            ? nls.localize('vouch/invitations/deviceOf', 'New device of {0}', invitation.email)
            : invitation.email;
        return <li key={invitation.invitationId} className='vouch-invitation-row' data-email={invitation.email} data-online={invitation.guestOnline ? 'true' : 'false'}>
            <div className='vouch-invitation-who'>
                <span className={`vouch-online-marker ${invitation.guestOnline ? 'online' : 'offline'}`}
                    title={invitation.guestOnline ? nls.localize('vouch/invitations/online', 'The guest is waiting now') : nls.localize('vouch/invitations/offline', 'The guest is not online')} />
                <span className='vouch-invitation-email'>{who}</span>
                {invitation.guestOnline && <span className='vouch-invitation-waiting'>{nls.localize('vouch/invitations/waiting', 'waiting')}</span>}
            </div>
            <div className='vouch-invitation-meta'>
                {nls.localize('vouch/invitations/createdBy', 'by {0}, {1}', invitation.createdBy.label, new Date(invitation.createdOn).toLocaleString())}
                {invitation.proposedProfile && ` · ${invitation.proposedProfile}`}
            </div>
            {invitation.emailError && <div className='vouch-invitation-mail-error' title={invitation.emailError}>{nls.localize('vouch/invitations/mailFailed', 'The email could not be sent')}</div>}
            <div className='vouch-invitation-buttons'>
                <button className='theia-button vouch-greet' onClick={run(InvitationCommandIds.GREET)}>{nls.localize('vouch/invitations/greet', 'Greet')}</button>
                <button className='theia-button secondary vouch-copy-link' onClick={run(InvitationCommandIds.COPY_LINK)}>{nls.localize('vouch/invitations/copyLink', 'Copy link')}</button>
                <button className='theia-button secondary vouch-resend' onClick={run(InvitationCommandIds.RESEND)}>{nls.localize('vouch/invitations/resend', 'Resend email')}</button>
                <button className='theia-button secondary vouch-cancel-invitation' onClick={run(InvitationCommandIds.CANCEL)}>{nls.localize('vouch/invitations/cancel', 'Cancel')}</button>
            </div>
        </li>;
    }
}
