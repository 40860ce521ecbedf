import { nls } from '@theia/core';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import {
    ClaimedInvitation, generateKeyExchangePair, generateSigningKeyPair, GuestDetails, GuestGreeting, HumanHandleSchema, portableEd25519, SocketGreetingChannel,
    toBase64Url
} from '@vouch/protocol';
import { GreetingSession } from './greeting-session';
import { InvitationClient } from './invitation-client';
import { failureText } from './invitation-words';

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

export type GuestGreetingState =
    /** Waiting for a host's Greet; `lastEnd` says why the previous attempt ended. */
    | { readonly step: 'waiting-host'; readonly lastEnd?: string }
    | { readonly step: 'pick'; readonly candidates: readonly string[]; readonly host: string }
    | { readonly step: 'read'; readonly ownCode: string; readonly host: string }
    | { readonly step: 'details'; readonly form: GuestForm; readonly problem?: string }
    | { readonly step: 'enrolling' }
    | { readonly step: 'done' }
    /** The invitation is over for this page. */
    | { readonly step: 'failed'; readonly message: string };

interface Attempt {
    readonly attemptId: string;
    readonly channel: SocketGreetingChannel;
    readonly flow: GuestGreeting;
}

/**
 * The guest's side, on the page opened on its link: who may greet it, then each attempt a host
 * starts — pick the host's code, read its own, enter its details — until its device is enrolled.
 * A failed attempt leaves it waiting for the next one, told why in its own words; every wait for
 * the person gives up at once when the host ends the attempt meanwhile.
 */
export class GuestGreetingSession extends GreetingSession<GuestGreetingState> {
    /** The attempt running now, if any. */
    protected attempt?: Attempt;
    /** Each attempt is joined once: a fresh flow could not go on with what an earlier one posted. */
    protected readonly joined = new Set<string>();
    protected pickCode?: (code: string | undefined) => void;
    protected submitted?: () => void;
    protected finished = false;

    constructor(
        protected readonly client: InvitationClient,
        protected currentClaim: ClaimedInvitation,
        protected readonly token: string,
        protected readonly onEnrolled: () => void
    ) {
        super({ step: 'waiting-host' });
        this.toDispose.pushAll([
            client.onGreetingStarted(event => {
                if (event.invitationId === this.claimed.invitationId) {
                    this.join(event.attemptId, event.host.label);
                }
            }),
            // Back after a dropped connection: claim again (rejoins the rooms) and read what was missed.
            client.onDidConnectAnonymous(() => this.reclaim()),
            client.onInvitationEnded(event => {
                if (event.invitationId === this.claimed.invitationId) {
                    this.fail(event.status === 'CANCELLED'
                        ? nls.localize('vouch/guest/cancelled', 'This invitation was cancelled. Ask for a new one if you still need to join.')
                        : nls.localize('vouch/guest/used', 'This invitation was used already.'));
                }
            })
        ]);
        if (currentClaim.activeGreeting) {
            this.join(currentClaim.activeGreeting.attemptId, currentClaim.activeGreeting.host.label);
        }
    }

    get claimed(): ClaimedInvitation {
        return this.currentClaim;
    }

    get primaryAction(): { readonly label: string; run(): void } | undefined {
        return this.current.step === 'details' ? { label: nls.localize('vouch/guest/submit', 'Send'), run: () => this.submit() } : undefined;
    }

    protected async reclaim(): Promise<void> {
        if (this.finished) { return; }
        const reply = await this.client.requestAnonymous('invitation.claim', { organizationId: this.claimed.organizationId, token: this.token });
        if (reply.ok) {
            this.currentClaim = reply.value;
            this.show(this.current);
            await this.attempt?.channel.resync();
            // An attempt the host started while this page was offline was pushed to nobody: join it now.
            if (reply.value.activeGreeting) {
                this.join(reply.value.activeGreeting.attemptId, reply.value.activeGreeting.host.label);
            }
        } else if (reply.error.code === 'INVITATION_NO_LONGER_VALID' || reply.error.code === 'INVITATION_NOT_FOUND') {
            this.fail(describeApiError(reply.error));
        }
    }

    /** The invitation is over for this page: say why; nothing more can happen here. */
    protected fail(message: string): void {
        if (this.finished) { return; }
        this.finished = true;
        this.attempt?.channel.dispose();
        this.show({ step: 'failed', message });
    }

    /** A host started an attempt: a new one replaces whatever ran before. */
    protected async join(attemptId: string, host: string): Promise<void> {
        if (this.finished || this.joined.has(attemptId)) { return; }
        this.joined.add(attemptId);
        this.attempt?.channel.dispose();
        const channel = this.client.channel('guest', attemptId, { organizationId: this.claimed.organizationId, token: this.token });
        const attempt: Attempt = { attemptId, channel, flow: new GuestGreeting(channel) };
        this.attempt = attempt;
        const { flow } = attempt;
        try {
            await channel.resync();
            if (!channel.resumable) {
                // This side posted steps from a page that is gone (a reload): their keys went with it.
                await flow.cancel('LEFT').catch(() => undefined);
                throw await channel.ended;
            }
            const codes = await flow.exchange();
            const picked = await flow.whileActive(new Promise<string | undefined>(resolve => {
                this.pickCode = resolve;
                this.show({ step: 'pick', candidates: codes.candidates, host });
            }));
            await flow.pickHostCode(picked);
            this.show({ step: 'read', ownCode: codes.ownCode, host });
            await flow.hostPicked();
            const details = await this.askDetails(flow);
            this.show({ step: 'enrolling' });
            const confirmation = await flow.sendDetails(details.details);
            const userPrivateKey = confirmation.kind === 'device' ? confirmation.userPrivateKey : toBase64Url(details.userKeys!.privateKey);
            const enrolled = await this.client.session.enrolDevice({
                organizationId: confirmation.organizationId, userId: confirmation.userId, deviceId: confirmation.deviceId,
                humanHandle: confirmation.humanHandle, deviceLabel: confirmation.deviceLabel, createdOn: new Date().toISOString()
            }, { deviceSigningKey: toBase64Url(details.signingKey.secretKey), userPrivateKey, rootVerifyKey: confirmation.rootVerifyKey }, details.password);
            if (!enrolled.ok) {
                throw new Error(nls.localize('vouch/guest/alreadyHasDevice', 'This browser already holds a device'));
            }
            await flow.acknowledge();
            this.finished = true;
            this.show({ step: 'done' });
            this.onEnrolled();
        } catch (error) {
            if (this.attempt === attempt && !this.finished) {
                this.show({ step: 'waiting-host', lastEnd: failureText(error, 'guest') });
            }
        } finally {
            channel.dispose();
            if (this.attempt === attempt) {
                this.attempt = undefined;
            }
        }
    }

    /** Step 6's form until it is filled in right; the keys of the new device are made here and never leave this page. */
    protected async askDetails(flow: GuestGreeting) {
        const user = this.claimed.kind === 'USER';
        const userKeys = user ? generateKeyExchangePair() : undefined;
        const signingKey = generateSigningKeyPair(portableEd25519);
        let form: GuestForm = {
            name: this.claimed.proposedName ?? '', deviceLabel: nls.localize('vouch/guest/defaultDevice', 'Browser'), password: '', passwordAgain: ''
        };
        let problem: string | undefined;
        for (;;) {
            this.show({ step: 'details', form, problem });
            await flow.whileActive(new Promise<void>(resolve => { this.submitted = resolve; }));
            form = (this.current as Extract<GuestGreetingState, { step: 'details' }>).form;
            problem = checkGuestForm(form, user);
            if (!problem) { break; }
        }
        const details: GuestDetails = user
            ? {
                kind: 'user', humanHandle: { email: this.claimed.email, label: form.name.trim() }, deviceLabel: form.deviceLabel.trim(),
                publicKey: toBase64Url(userKeys!.publicKey), verifyKey: toBase64Url(signingKey.verifyKey)
            }
            : { kind: 'device', deviceLabel: form.deviceLabel.trim(), verifyKey: toBase64Url(signingKey.verifyKey) };
        return { details, userKeys, signingKey, password: form.password };
    }

    pick(code: string | undefined): void {
        this.pickCode?.(code);
        this.pickCode = undefined;
    }

    edit(change: Partial<GuestForm>): void {
        if (this.current.step === 'details') {
            this.show({ ...this.current, form: { ...this.current.form, ...change }, problem: undefined });
        }
    }

    submit(): void {
        this.submitted?.();
        this.submitted = undefined;
    }

    protected end(reason: 'CLOSED' | 'LEFT'): void {
        if (!this.finished && this.attempt) {
            this.attempt.flow.cancel(reason).catch(() => undefined);
        }
        this.finished = true;
    }

    override dispose(): void {
        this.finished = true;
        this.attempt?.channel.dispose();
        super.dispose();
    }
}
