import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { HumanHandleSchema, JoinLink, JoinMethod, JoinMethodsInfo, JoinRequestStatus, PendingJoinRequest, USER_PROFILES, UserProfile } from '@vouch/protocol';
import { JoinRequestForm } from '../common/join-request-form';
import { JoinRequester } from './join-requester';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';

/** Accept one request (profile, name confirmed or corrected) or all valid ones (one profile). */
export class AcceptJoinRequestDialog extends ReactDialog<{ profile: UserProfile; name: string }> {
    protected profile: UserProfile = 'MEMBER';
    protected name: string;

    constructor(protected readonly request: PendingJoinRequest | undefined, count = 1) {
        super({
            title: request
                ? nls.localize('vouch/joinRequests/acceptTitle', 'Accept {0}', request.identity.email)
                : nls.localize('vouch/joinRequests/acceptAllTitle', 'Accept {0} requests', count)
        });
        this.name = request?.payload.name ?? '';
        this.node.classList.add('vouch-accept-join-dialog');
        this.appendCloseButton(nls.localizeByDefault('Cancel'));
        this.appendAcceptButton(nls.localize('vouch/joinRequests/acceptButton', 'Accept'));
    }

    get value(): { profile: UserProfile; name: string } {
        return { profile: this.profile, name: this.name.trim() };
    }

    protected override isValid(value: { name: string }): DialogError {
        return this.request && !HumanHandleSchema.shape.label.safeParse(value.name).success ? nls.localize('vouch/joinRequests/nameRequired', 'A name is required') : '';
    }

    protected render(): React.ReactNode {
        return <div className='vouch-form'>
            {this.request && <>
                <label htmlFor='vouch-accept-name'>{nls.localize('vouch/joinRequests/name', 'Name')}</label>
                <input id='vouch-accept-name' className='theia-input vouch-accept-name' value={this.name} autoFocus
                    onChange={event => { this.name = event.target.value; this.update(); this.validate(); }} />
            </>}
            <label htmlFor='vouch-accept-profile'>{nls.localize('vouch/joinRequests/profile', 'Profile')}</label>
            <select id='vouch-accept-profile' className='theia-select vouch-accept-profile' value={this.profile}
                onChange={event => { this.profile = event.target.value as UserProfile; this.update(); }}>
                {USER_PROFILES.map(profile => <option key={profile} value={profile}>{PROFILE_LABELS[profile]()}</option>)}
            </select>
        </div>;
    }
}

type RequesterView =
    | { step: 'form'; problem?: string; working?: boolean }
    | { step: 'waiting'; status?: JoinRequestStatus; problem?: string; working?: boolean };

/**
 * The requester's dialog: who they are, how they prove it, then "waiting for an
 * administrator" — which they may close and find again when the workbench reopens — and,
 * once accepted, the password that seals the new device.
 */
export class JoinRequestDialog extends ReactDialog<void> {
    /** Enter would accept, i.e. close, the dialog in the middle of an exchange: its step buttons move it on instead. */
    protected override handleEnter(): boolean | void {
        return false;
    }

    protected view: RequesterView;
    protected readonly form: JoinRequestForm;

    constructor(protected readonly requester: JoinRequester, protected readonly link: JoinLink | undefined, protected readonly methods: JoinMethodsInfo | undefined,
        protected readonly onJoined: () => void, initialProblem?: string) {
        super({ title: nls.localize('vouch/join/title', 'Join {0}', link?.organizationId ?? requester.pending?.payload.organizationId ?? '') });
        this.node.classList.add('vouch-join-dialog');
        this.view = requester.pending ? { step: 'waiting', status: requester.status, problem: initialProblem } : { step: 'form', problem: initialProblem };
        this.form = new JoinRequestForm(defaultDeviceLabel(), methods?.pki ? 'pki' : methods?.oidc ? 'oidc' : methods?.saml ? 'saml' : undefined);
        this.toDispose.push(requester.onDidChange(() => {
            if (this.view.step === 'waiting') {
                this.view = { ...this.view, status: requester.status };
                this.update();
            }
        }));
        this.appendCloseButton(nls.localizeByDefault('Close'));
    }

    get value(): void {
        return undefined;
    }

    protected render(): React.ReactNode {
        return this.view.step === 'form' ? this.renderForm(this.view) : this.renderWaiting(this.view);
    }

    protected renderForm(view: RequesterView & { step: 'form' }): React.ReactNode {
        const form = this.form;
        const field = (id: string, label: string, value: string, set: (value: string) => void, type = 'text') => <>
            <label htmlFor={id}>{label}</label>
            <input id={id} className={`theia-input ${id}`} type={type} value={value} onChange={event => { set(event.target.value); this.update(); }} />
        </>;
        const available: [JoinMethod, string][] = [
            ...(this.methods?.pki ? [['pki', nls.localize('vouch/join/pki', 'Certificate (PKI)')] as [JoinMethod, string]] : []),
            ...(this.methods?.oidc ? [['oidc', nls.localize('vouch/join/oidc', 'Sign in with {0}', this.methods.oidc.label)] as [JoinMethod, string]] : []),
            ...(this.methods?.saml ? [['saml', nls.localize('vouch/join/saml', 'Sign in with {0}', this.methods.saml.label)] as [JoinMethod, string]] : [])
        ];
        return <div className='vouch-form vouch-join-form'>
            {available.length === 0 && <div className='vouch-join-problem'>{nls.localize('vouch/join/noMethod', 'This server accepts no join request proofs.')}</div>}
            {field('vouch-join-name', nls.localize('vouch/join/name', 'Your name'), form.name, name => form.name = name)}
            {field('vouch-join-email', nls.localize('vouch/join/email', 'Email'), form.email, email => form.email = email, 'email')}
            {field('vouch-join-device', nls.localize('vouch/join/device', 'Device label'), form.deviceLabel, deviceLabel => form.deviceLabel = deviceLabel)}
            {field('vouch-join-password', nls.localize('vouch/join/password', 'Password protecting this device'), form.password, password => form.password = password, 'password')}
            {field('vouch-join-confirm', nls.localize('vouch/join/confirm', 'Password again'), form.confirm, confirm => form.confirm = confirm, 'password')}
            <fieldset className='vouch-join-methods'>
                <legend>{nls.localize('vouch/join/prove', 'Prove who you are')}</legend>
                {available.map(([method, label]) => <label key={method} className='vouch-join-method'>
                    <input type='radio' name='vouch-join-method' value={method} checked={form.method === method} onChange={() => { form.method = method; this.update(); }} /> {label}
                </label>)}
            </fieldset>
            {form.method === 'pki' && <div className='vouch-join-pki'>
                <label htmlFor='vouch-join-pki-files'>{nls.localize('vouch/join/pkiFiles', 'Certificate and private key (PKCS#12 .p12/.pfx, or PEM files)')}</label>
                <input key={form.filesGeneration} id='vouch-join-pki-files' className='vouch-join-pki-files' type='file' multiple accept='.p12,.pfx,.pem,.crt,.key,.cer'
                    onChange={event => this.readFiles(event.target.files)} />
                {field('vouch-join-pki-password', nls.localize('vouch/join/pkiPassword', 'Password of the file (if any)'), form.pkiPassword, password => form.pkiPassword = password, 'password')}
            </div>}
            <label className='vouch-join-replace'>
                <input type='checkbox' className='vouch-join-replace-box' checked={form.replace} onChange={event => { form.replace = event.target.checked; this.update(); }} />
                {nls.localize('vouch/join/replace', 'Replace a request I made before with this email')}
            </label>
            {view.problem && <div className='vouch-join-problem'>{view.problem}</div>}
            <button className='theia-button vouch-join-submit' disabled={view.working || !form.method} onClick={() => this.submit()}>
                {form.method === 'pki' || !form.method ? nls.localize('vouch/join/send', 'Send request') : nls.localize('vouch/join/continue', 'Continue to sign in')}
            </button>
        </div>;
    }

    protected renderWaiting(view: RequesterView & { step: 'waiting' }): React.ReactNode {
        const status = view.status;
        const pending = this.requester.pending;
        const state = status?.state;
        return <div className='vouch-form vouch-join-waiting' data-state={state ?? 'unknown'}>
            {pending && <div>{nls.localize('vouch/join/asWho', '{0} <{1}>, device "{2}"', pending.payload.name, pending.payload.email, pending.payload.deviceLabel)}</div>}
            {state === 'pending' && <div className='vouch-join-state'>{nls.localize('vouch/join/waiting', 'Waiting for an administrator. You may close the workbench and come back later.')}</div>}
            {state === 'rejected' && <div className='vouch-join-state'>{nls.localize('vouch/join/rejected', 'An administrator rejected your request.')}</div>}
            {(state === 'cancelled' || state === 'replaced') && <div className='vouch-join-state'>{nls.localize('vouch/join/cancelled', 'This request was cancelled.')}</div>}
            {!status && <div className='vouch-join-state'>{nls.localize('vouch/join/unknown', 'The server has no such request.')}</div>}
            {state === 'accepted' && <>
                <div className='vouch-join-state'>{nls.localize('vouch/join/accepted', 'Your request was accepted. Enter your password to finish setting up this device.')}</div>
                <label htmlFor='vouch-join-finalize-password'>{nls.localize('vouch/join/password', 'Password protecting this device')}</label>
                <input id='vouch-join-finalize-password' className='theia-input vouch-join-finalize-password' type='password' value={this.form.finalizePassword}
                    onChange={event => { this.form.finalizePassword = event.target.value; this.update(); }} />
                <button className='theia-button vouch-join-finalize' disabled={view.working} onClick={() => this.finalize()}>{nls.localize('vouch/join/finish', 'Finish')}</button>
            </>}
            {view.problem && <div className='vouch-join-problem'>{view.problem}</div>}
            {state === 'pending' && <button className='theia-button secondary vouch-join-cancel' disabled={view.working} onClick={() => this.cancel()}>
                {nls.localize('vouch/join/cancel', 'Cancel my request')}</button>}
            {(state !== 'pending' && state !== 'accepted') && <button className='theia-button secondary vouch-join-again' onClick={() => this.again()}>
                {nls.localize('vouch/join/again', 'Make a new request')}</button>}
        </div>;
    }

    protected async readFiles(list: FileList | null): Promise<void> {
        this.form.pkiFiles = await Promise.all(Array.from(list ?? []).map(async file => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
        this.update();
    }

    protected async submit(): Promise<void> {
        const problem = this.form.problem();
        if (problem || !this.link || !this.form.method) {
            this.view = { step: 'form', problem: problem ?? nls.localize('vouch/join/noLink', 'Open the organization\'s join link') };
            this.update();
            return;
        }
        const submission = this.form.takeSubmission()!;
        this.view = { step: 'form', working: true };
        this.update();
        const result = await this.requester.submit(this.link, submission.method, submission.form, submission.pki).finally(() => submission.dispose());
        if (!result.ok) {
            // Passwords and files are typed and chosen again: none stays in memory while the person reads why.
            this.view = { step: 'form', problem: result.error };
        } else if (result.value.leftForProvider) {
            return;
        } else {
            this.view = { step: 'waiting', status: this.requester.status };
        }
        this.update();
    }

    protected async cancel(): Promise<void> {
        this.view = { ...this.view, step: 'waiting', working: true } as RequesterView;
        this.update();
        const result = await this.requester.cancel();
        this.view = result.ok ? { step: 'form', problem: nls.localize('vouch/join/cancelledDone', 'Your request was cancelled.') } : { step: 'waiting', status: this.requester.status, problem: result.error };
        this.update();
    }

    protected async again(): Promise<void> {
        await this.requester.forget();
        this.view = { step: 'form' };
        this.update();
    }

    protected async finalize(): Promise<void> {
        this.view = { step: 'waiting', status: this.requester.status, working: true };
        this.update();
        const result = await this.requester.finalize(this.form.takeFinalizePassword());
        if (result.ok) {
            this.close();
            this.onJoined();
            return;
        }
        this.view = { step: 'waiting', status: this.requester.status, problem: result.error };
        this.update();
    }
}

function defaultDeviceLabel(): string {
    const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform || navigator.platform || 'Browser';
    return `${platform} browser`;
}
