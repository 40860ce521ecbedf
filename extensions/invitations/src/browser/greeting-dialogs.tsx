import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import {
    ClaimedInvitation, enrolDevice, enrolUser, generateKeyExchangePair, generateSigningKeyPair, GreetingCancelReason, greetingCancelText,
    GreetingEndedError, GreetingRequestError, GreetingSide, GuestDetails, GuestGreeting, HostGreeting, HumanHandleSchema, InvitationSummary,
    LogPosition, logHeadOfRefusal, portableEd25519, positionAfter, SocketGreetingChannel, toBase64Url, USER_PROFILES, UserProfile
} from '@vouch/protocol';
import { InvitationClient } from './invitation-client';
import { LOG_HEAD_RETRIES } from '@vouch/core/lib/browser/vouch-session';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

/** A cancellation in the words of the workbench's language. */
export function describeEnd(reason: GreetingCancelReason, by: GreetingSide | 'server'): string {
    const host = by === 'host';
    switch (reason) {
        case 'WRONG_CODE': return host ? nls.localize('vouch/greeting/end/wrongCodeHost', 'The host selected a wrong code') : nls.localize('vouch/greeting/end/wrongCodeGuest', 'The guest selected a wrong code');
        case 'NONE_OF_THESE': return host ? nls.localize('vouch/greeting/end/noneHost', 'The host did not find the code among the ones shown') : nls.localize('vouch/greeting/end/noneGuest', 'The guest did not find the code among the ones shown');
        case 'CANCELLED': return host ? nls.localize('vouch/greeting/end/cancelledHost', 'The host cancelled the greeting') : nls.localize('vouch/greeting/end/cancelledGuest', 'The guest cancelled the greeting');
        case 'CLOSED': return host ? nls.localize('vouch/greeting/end/closedHost', 'The host closed the greeting') : nls.localize('vouch/greeting/end/closedGuest', 'The guest closed the greeting');
        default: return nls.localize(`vouch/greeting/end/${reason}`, greetingCancelText(reason, by));
    }
}

function failureText(error: unknown): string {
    if (error instanceof GreetingEndedError) { return describeEnd(error.reason, error.by); }
    if (error instanceof GreetingRequestError) { return describeApiError(error); }
    return error instanceof Error ? error.message : String(error);
}

function CodePicker(props: { prompt: string; candidates: readonly string[]; disabled: boolean; onPick(code: string | undefined): void }): React.ReactElement {
    return <div className='vouch-code-pick'>
        <p>{props.prompt}</p>
        <div className='vouch-code-candidates'>
            {props.candidates.map(code => <button key={code} className='theia-button vouch-code-candidate' data-code={code} disabled={props.disabled}
                onClick={() => props.onPick(code)}>{code}</button>)}
        </div>
        <button className='theia-button secondary vouch-code-none' disabled={props.disabled} onClick={() => props.onPick(undefined)}>
            {nls.localize('vouch/greeting/none', 'None of these codes')}
        </button>
    </div>;
}

function OwnCode(props: { intro: string; code: string }): React.ReactElement {
    return <div className='vouch-own-code-box'>
        <p>{props.intro}</p>
        <div className='vouch-own-code' data-code={props.code}>{props.code}</div>
    </div>;
}

// ---- host ----------------------------------------------------------------------------

type HostView =
    | { step: 'waiting-guest' }
    | { step: 'read'; ownCode: string }
    | { step: 'pick'; candidates: readonly string[] }
    | { step: 'waiting-details' }
    | { step: 'confirm'; details: GuestDetails; label: string; profile: UserProfile; problem?: string }
    | { step: 'enrolling' }
    | { step: 'done'; message: string }
    | { step: 'ended'; message: string };

/**
 * The host's side of one greeting attempt: its own code to read aloud, the guest's code to
 * pick, then the guest's details to check (name corrected, profile chosen) and confirm.
 */
export class HostGreetingDialog extends ReactDialog<void> {
    /** Enter would accept, i.e. close, the dialog in the middle of an exchange: its step buttons move it on instead. */
    protected override handleEnter(): boolean | void {
        return false;
    }

    protected view: HostView = { step: 'waiting-guest' };
    protected flow: HostGreeting;
    protected channel: SocketGreetingChannel;
    protected pick?: (code: string | undefined) => void;
    protected confirmed?: () => void;
    protected finished = false;

    constructor(protected readonly client: InvitationClient, protected readonly invitation: InvitationSummary, attemptId: string) {
        super({ title: invitation.kind === 'USER'
            ? nls.localize('vouch/greeting/hostTitle', 'Greet {0}', invitation.email)
            : nls.localize('vouch/greeting/hostDeviceTitle', 'Add a device') });
        this.node.classList.add('vouch-greeting-dialog', 'vouch-host-greeting');
        this.appendCloseButton(nls.localizeByDefault('Close'));
        this.channel = client.channel('host', attemptId);
        this.flow = new HostGreeting(this.channel);
        // Closing the page ends the attempt for both sides (a dropped connection does not: it resumes).
        const onPageHide = () => this.close();
        window.addEventListener('pagehide', onPageHide);
        this.toDispose.push({ dispose: () => window.removeEventListener('pagehide', onPageHide) });
        // Back after a dropped connection: read the steps the pushes could not bring.
        this.toDispose.push(client.session.onDidChangeState(state => {
            if (state === 'connected' && !this.finished) {
                this.channel.resync().catch(() => undefined);
            }
        }));
        this.run();
    }

    get value(): void {
        return undefined;
    }

    protected showView(view: HostView): void {
        this.view = view;
        this.update();
    }

    protected async run(): Promise<void> {
        try {
            await this.channel.resync();
            const codes = await this.flow.exchange();
            this.showView({ step: 'read', ownCode: codes.ownCode });
            await this.flow.guestPicked();
            const picked = await new Promise<string | undefined>(resolve => {
                this.pick = resolve;
                this.showView({ step: 'pick', candidates: codes.candidates });
            });
            await this.flow.pickGuestCode(picked);
            this.showView({ step: 'waiting-details' });
            const details = await this.flow.guestDetails();
            let confirm: Extract<HostView, { step: 'confirm' }> = {
                step: 'confirm', details, profile: this.invitation.proposedProfile ?? 'MEMBER',
                label: details.kind === 'user' ? details.humanHandle.label : this.client.session.device?.humanHandle.label ?? ''
            };
            for (;;) {
                await new Promise<void>(resolve => {
                    this.confirmed = resolve;
                    this.showView(confirm);
                });
                confirm = this.view as Extract<HostView, { step: 'confirm' }>;
                this.showView({ step: 'enrolling' });
                try {
                    await this.enrol(details, confirm.label, confirm.profile);
                    break;
                } catch (error) {
                    if (!(error instanceof GreetingRequestError)) { throw error; }
                    // Refused by the server (e.g. a clock off): the attempt goes on, the host may confirm again.
                    confirm = { ...confirm, problem: describeApiError(error) };
                }
            }
            this.finished = true;
            this.showView({ step: 'done', message: details.kind === 'user'
                ? nls.localize('vouch/greeting/hostDone', '{0} joined the organization.', this.invitation.email)
                : nls.localize('vouch/greeting/hostDeviceDone', 'The new device is enrolled.') });
        } catch (error) {
            this.finished = true;
            if (!(error instanceof GreetingEndedError)) {
                // A failure on this side (a locked device, a refused request): the guest must not wait for nothing.
                this.flow.cancel('CANCELLED').catch(() => undefined);
            }
            this.showView({ step: 'ended', message: failureText(error) });
        } finally {
            this.channel.dispose();
        }
    }

    /**
     * Step 7, signed after the organization log's head; when another writer moved it first (or
     * this clock is behind), signed again after the head the server names, at most a few times.
     */
    protected async enrol(details: GuestDetails, label: string, profile: UserProfile): Promise<void> {
        const first = await this.client.session.nextLogPosition();
        if (!first.ok) {
            throw new Error(first.error.message);
        }
        let position = first.value;
        for (let attempt = 0; ; attempt++) {
            try {
                await this.enrolAt(details, label, profile, position);
                return;
            } catch (error) {
                const head = error instanceof GreetingRequestError ? logHeadOfRefusal(error.error) : undefined;
                if (!head || attempt >= LOG_HEAD_RETRIES) { throw error; }
                position = positionAfter(head, Date.now());
            }
        }
    }

    protected async enrolAt(details: GuestDetails, label: string, profile: UserProfile, position: LogPosition): Promise<void> {
        const session = this.client.session;
        const device = session.device!;
        const rootVerifyKey = session.rootVerifyKey!;
        const sign = session.signer;
        if (!sign) {
            throw new Error(nls.localize('vouch/greeting/locked', 'This device is locked'));
        }
        const host = { organizationId: device.organizationId, rootVerifyKey: toBase64Url(rootVerifyKey), deviceId: device.deviceId, sign };
        if (details.kind === 'user') {
            const { newUser, confirmation } = enrolUser(host, details, { email: this.invitation.email, label, profile, position });
            await this.flow.confirm(confirmation, { newUser });
        } else {
            const { newDevice, confirmation } = enrolDevice(host, details, {
                userId: device.userId, humanHandle: device.humanHandle, profile: session.profile ?? 'MEMBER',
                userPrivateKey: session.userPrivateKey!, position
            });
            await this.flow.confirm(confirmation, { newDevice });
        }
    }

    override close(): void {
        if (!this.finished) {
            this.finished = true;
            this.flow.cancel('CANCELLED').catch(() => undefined);
        }
        super.close();
    }

    protected render(): React.ReactNode {
        const view = this.view;
        const who = this.invitation.email;
        switch (view.step) {
            case 'waiting-guest':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/greeting/waitingGuest', 'Waiting for {0} to join the greeting…', who)}</p>;
            case 'read':
                return <OwnCode intro={nls.localize('vouch/greeting/hostRead', 'Read this code to {0}, who picks it on their screen:', who)} code={view.ownCode} />;
            case 'pick':
                return <CodePicker prompt={nls.localize('vouch/greeting/hostPick', 'Which code does {0} read to you?', who)} candidates={view.candidates} disabled={false}
                    onPick={code => { this.pick?.(code); this.pick = undefined; this.showView({ step: 'waiting-details' }); }} />;
            case 'waiting-details':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/greeting/waitingDetails', 'Waiting for {0} to enter their details…', who)}</p>;
            case 'confirm':
                return this.renderConfirm(view);
            case 'enrolling':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/greeting/enrolling', 'Enrolling…')}</p>;
            case 'done':
                return <p className='vouch-greeting-done'>{view.message}</p>;
            case 'ended':
                return <p className='vouch-greeting-ended'>{view.message}</p>;
        }
    }

    protected renderConfirm(view: Extract<HostView, { step: 'confirm' }>): React.ReactNode {
        const update = (change: Partial<typeof view>) => { this.view = { ...view, ...change }; this.update(); };
        const nameOk = HumanHandleSchema.shape.label.safeParse(view.label).success;
        return <div className='vouch-form vouch-greeting-confirm'>
            <p>{view.details.kind === 'user'
                ? nls.localize('vouch/greeting/confirmUser', 'Check who you are adding. Correct the name if needed and choose the profile.')
                : nls.localize('vouch/greeting/confirmDevice', 'Add the device "{0}" to your account?', view.details.deviceLabel)}</p>
            {view.details.kind === 'user' && <>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-email'>{nls.localize('vouch/greeting/email', 'Email')}</label>
                    <input id='vouch-greeting-email' className='theia-input' value={this.invitation.email} readOnly />
                </div>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-name'>{nls.localize('vouch/greeting/name', 'Name')}</label>
                    <input id='vouch-greeting-name' className='theia-input' value={view.label} onChange={event => update({ label: event.target.value })} />
                </div>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-device'>{nls.localize('vouch/greeting/device', 'Device')}</label>
                    <input id='vouch-greeting-device' className='theia-input' value={view.details.deviceLabel} readOnly />
                </div>
                <div className='vouch-form-row'>
                    <label htmlFor='vouch-greeting-profile'>{nls.localize('vouch/greeting/profile', 'Profile')}</label>
                    <select id='vouch-greeting-profile' className='theia-select' value={view.profile} onChange={event => update({ profile: event.target.value as UserProfile })}>
                        {USER_PROFILES.map(profile => <option key={profile} value={profile}>{PROFILE_LABELS[profile]()}</option>)}
                    </select>
                </div>
            </>}
            {view.problem && <div className='vouch-greeting-problem'>{view.problem}</div>}
            <button className='theia-button main vouch-greeting-confirm-button' disabled={!nameOk} onClick={() => { this.confirmed?.(); this.confirmed = undefined; }}>
                {nls.localize('vouch/greeting/confirm', 'Confirm')}
            </button>
        </div>;
    }
}

// ---- guest ---------------------------------------------------------------------------

type GuestView =
    | { step: 'waiting-host'; lastEnd?: string }
    | { step: 'pick'; candidates: readonly string[]; host: string }
    | { step: 'read'; ownCode: string; host: string }
    | { step: 'details'; form: GuestForm; problem?: string }
    | { step: 'enrolling' }
    | { step: 'done' }
    | { step: 'failed'; message: string };

export interface GuestForm {
    readonly name: string;
    readonly deviceLabel: string;
    readonly password: string;
    readonly passwordAgain: string;
}

export function checkGuestForm(form: GuestForm, user: boolean): string | undefined {
    if (user && !HumanHandleSchema.shape.label.safeParse(form.name).success) { return nls.localize('vouch/guest/nameRequired', 'Enter your name'); }
    if (!form.deviceLabel.trim()) { return nls.localize('vouch/guest/deviceRequired', 'Name this device'); }
    if (form.password.length < 8) { return nls.localize('vouch/guest/passwordShort', 'Choose a password of at least 8 characters'); }
    if (form.password !== form.passwordAgain) { return nls.localize('vouch/guest/passwordMismatch', 'The passwords differ'); }
    return undefined;
}

/**
 * The guest's side: who may greet it (online ones marked), then each attempt a host starts —
 * pick the host's code, read its own, enter its details — until its device is enrolled.
 * A failed attempt leaves the guest waiting for the next one.
 */
export class GuestGreetingDialog extends ReactDialog<void> {
    /** Enter would accept, i.e. close, the dialog in the middle of an exchange: its step buttons move it on instead. */
    protected override handleEnter(): boolean | void {
        return false;
    }

    protected view: GuestView = { step: 'waiting-host' };
    protected current?: { attemptId: string; channel: SocketGreetingChannel; flow: GuestGreeting };
    protected pick?: (code: string | undefined) => void;
    protected submitForm?: () => void;
    protected finished = false;

    constructor(protected readonly client: InvitationClient, protected claimed: ClaimedInvitation, protected readonly token: string, protected readonly onEnrolled: () => void) {
        super({ title: claimed.kind === 'USER'
            ? nls.localize('vouch/guest/title', 'Join {0}', claimed.organizationId)
            : nls.localize('vouch/guest/deviceTitle', 'Add this device to your account') });
        this.node.classList.add('vouch-greeting-dialog', 'vouch-guest-greeting');
        this.appendCloseButton(nls.localizeByDefault('Close'));
        this.toDispose.pushAll([
            client.onGreetingStarted(event => {
                if (event.invitationId === this.claimed.invitationId) {
                    this.attempt(event.attemptId, event.host.label);
                }
            }),
            // Back after a dropped connection: claim again (rejoins the rooms) and read what was missed.
            client.onDidConnectAnonymous(() => this.reclaim()),
            client.onInvitationEnded(event => {
                if (event.invitationId === this.claimed.invitationId && !this.finished) {
                    this.end(event.status === 'CANCELLED'
                        ? nls.localize('vouch/guest/cancelled', 'This invitation was cancelled. Ask for a new one if you still need to join.')
                        : nls.localize('vouch/guest/used', 'This invitation was used already.'));
                }
            })
        ]);
        const onPageHide = () => this.close();
        window.addEventListener('pagehide', onPageHide);
        this.toDispose.push({ dispose: () => window.removeEventListener('pagehide', onPageHide) });
        if (claimed.activeGreeting) {
            this.attempt(claimed.activeGreeting.attemptId, claimed.activeGreeting.host.label);
        }
    }

    get value(): void {
        return undefined;
    }

    updateClaim(claimed: ClaimedInvitation): void {
        this.claimed = claimed;
        this.update();
    }

    protected async reclaim(): Promise<void> {
        if (this.finished) { return; }
        const reply = await this.client.requestAnonymous('invitation.claim', { organizationId: this.claimed.organizationId, token: this.token });
        if (reply.ok) {
            this.updateClaim(reply.value);
            await this.current?.channel.resync();
            // An attempt the host started while this page was offline was pushed to nobody: join it now.
            if (reply.value.activeGreeting) {
                this.attempt(reply.value.activeGreeting.attemptId, reply.value.activeGreeting.host.label);
            }
        } else if (reply.error.code === 'INVITATION_NO_LONGER_VALID' || reply.error.code === 'INVITATION_NOT_FOUND') {
            this.end(describeApiError(reply.error));
        }
    }

    /** The invitation is over for this page: say why; nothing more can happen here. */
    protected end(message: string): void {
        this.finished = true;
        this.current?.channel.dispose();
        this.showView({ step: 'failed', message });
    }

    protected showView(view: GuestView): void {
        this.view = view;
        this.update();
    }

    /** A host started an attempt: a new one replaces whatever ran before. */
    protected async attempt(attemptId: string, host: string): Promise<void> {
        if (this.finished || this.current?.attemptId === attemptId) { return; }
        this.current?.channel.dispose();
        const channel = this.client.channel('guest', attemptId, { organizationId: this.claimed.organizationId, token: this.token });
        const flow = new GuestGreeting(channel);
        const current = { attemptId, channel, flow };
        this.current = current;
        const stillCurrent = () => this.current === current;
        try {
            await channel.resync();
            const codes = await flow.exchange();
            const picked = await new Promise<string | undefined>(resolve => {
                this.pick = resolve;
                this.showView({ step: 'pick', candidates: codes.candidates, host });
            });
            await flow.pickHostCode(picked);
            this.showView({ step: 'read', ownCode: codes.ownCode, host });
            await flow.hostPicked();
            const user = this.claimed.kind === 'USER';
            const userKeys = user ? generateKeyExchangePair() : undefined;
            const signingKey = generateSigningKeyPair(portableEd25519);
            let form: GuestForm = { name: '', deviceLabel: nls.localize('vouch/guest/defaultDevice', 'Browser'), password: '', passwordAgain: '' };
            let problem: string | undefined;
            for (;;) {
                await new Promise<void>(resolve => {
                    this.submitForm = resolve;
                    this.showView({ step: 'details', form, problem });
                });
                form = (this.view as Extract<GuestView, { step: 'details' }>).form;
                problem = checkGuestForm(form, user);
                if (!problem) { break; }
            }
            this.showView({ step: 'enrolling' });
            const details: GuestDetails = user
                ? { kind: 'user', humanHandle: { email: this.claimed.email, label: form.name.trim() }, deviceLabel: form.deviceLabel.trim(), publicKey: toBase64Url(userKeys!.publicKey), verifyKey: toBase64Url(signingKey.verifyKey) }
                : { kind: 'device', deviceLabel: form.deviceLabel.trim(), verifyKey: toBase64Url(signingKey.verifyKey) };
            const confirmation = await flow.sendDetails(details);
            const userPrivateKey = confirmation.kind === 'device' ? confirmation.userPrivateKey : toBase64Url(userKeys!.privateKey);
            const enrolled = await this.client.session.enrolDevice({
                organizationId: confirmation.organizationId, userId: confirmation.userId, deviceId: confirmation.deviceId,
                humanHandle: confirmation.humanHandle, deviceLabel: confirmation.deviceLabel, createdOn: new Date().toISOString()
            }, { deviceSigningKey: toBase64Url(signingKey.secretKey), userPrivateKey, rootVerifyKey: confirmation.rootVerifyKey }, form.password);
            if (!enrolled.ok) {
                throw new Error(nls.localize('vouch/guest/alreadyHasDevice', 'This browser already holds a device'));
            }
            await flow.acknowledge();
            this.finished = true;
            this.showView({ step: 'done' });
            this.onEnrolled();
            super.close();
        } catch (error) {
            if (stillCurrent() && !this.finished) {
                this.showView({ step: 'waiting-host', lastEnd: failureText(error) });
            }
        } finally {
            channel.dispose();
        }
    }

    override close(): void {
        if (!this.finished && this.current) {
            this.current.flow.cancel('CLOSED').catch(() => undefined);
        }
        this.finished = true;
        super.close();
    }

    protected render(): React.ReactNode {
        const view = this.view;
        switch (view.step) {
            case 'waiting-host':
                return <div className='vouch-guest-waiting'>
                    {view.lastEnd && <p className='vouch-greeting-ended'>{view.lastEnd}</p>}
                    <p>{this.claimed.kind === 'USER'
                        ? nls.localize('vouch/guest/invited', 'You are invited to join {0} as {1}.', this.claimed.organizationId, this.claimed.email)
                        : nls.localize('vouch/guest/device', 'This browser becomes a new device of {0} in {1}.', this.claimed.email, this.claimed.organizationId)}</p>
                    <p>{nls.localize('vouch/guest/waitingHost', 'Waiting to be greeted. Call one of them; they click Greet:')}</p>
                    <ul className='vouch-greeters'>
                        {this.claimed.greeters.map(greeter => <li key={greeter.userId} className={greeter.online ? 'online' : 'offline'}>
                            <span className={`vouch-online-marker ${greeter.online ? 'online' : 'offline'}`} />
                            {greeter.humanHandle.label} &lt;{greeter.humanHandle.email}&gt;
                            {greeter.online && <span className='vouch-invitation-waiting'>{nls.localize('vouch/guest/online', 'online')}</span>}
                        </li>)}
                    </ul>
                </div>;
            case 'pick':
                return <CodePicker prompt={nls.localize('vouch/guest/pick', '{0} reads you a code. Which one is it?', view.host)} candidates={view.candidates} disabled={false}
                    onPick={code => { this.pick?.(code); this.pick = undefined; }} />;
            case 'read':
                return <OwnCode intro={nls.localize('vouch/guest/read', 'Now read this code to {0}:', view.host)} code={view.ownCode} />;
            case 'details':
                return this.renderForm(view);
            case 'enrolling':
                return <p className='vouch-greeting-status'>{nls.localize('vouch/guest/enrolling', 'Waiting for the host to confirm…')}</p>;
            case 'done':
                return <p className='vouch-greeting-done'>{nls.localize('vouch/guest/done', 'Welcome!')}</p>;
            case 'failed':
                return <p className='vouch-greeting-ended'>{view.message}</p>;
        }
    }

    protected renderForm(view: Extract<GuestView, { step: 'details' }>): React.ReactNode {
        const field = (key: keyof GuestForm, id: string, label: string, type = 'text') => <div className='vouch-form-row' key={key}>
            <label htmlFor={id}>{label}</label>
            <input id={id} className='theia-input' type={type} value={view.form[key]} autoComplete={type === 'password' ? 'new-password' : 'off'}
                onChange={event => { this.view = { ...view, form: { ...view.form, [key]: event.target.value }, problem: undefined }; this.update(); }} />
        </div>;
        return <div className='vouch-form vouch-guest-form'>
            <p>{nls.localize('vouch/guest/codesMatch', 'The codes match. Tell the host who you are:')}</p>
            {this.claimed.kind === 'USER' && field('name', 'vouch-guest-name', nls.localize('vouch/guest/name', 'Your name'))}
            {field('deviceLabel', 'vouch-guest-device', nls.localize('vouch/guest/deviceLabel', 'This device'))}
            {field('password', 'vouch-guest-password', nls.localize('vouch/guest/password', 'Password protecting this device'), 'password')}
            {field('passwordAgain', 'vouch-guest-password-again', nls.localize('vouch/guest/passwordAgain', 'Password again'), 'password')}
            {view.problem && <div className='vouch-greeting-problem'>{view.problem}</div>}
            <button className='theia-button main vouch-guest-submit' onClick={() => { this.submitForm?.(); this.submitForm = undefined; }}>
                {nls.localize('vouch/guest/submit', 'Send')}
            </button>
        </div>;
    }
}
