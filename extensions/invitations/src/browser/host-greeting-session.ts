import { nls } from '@theia/core';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { GreetingEndedError, GreetingRequestError, GuestDetails, HostGreeting, HumanHandleSchema, InvitationSummary, SocketGreetingChannel, UserProfile } from '@vouch/protocol';
import { GreetingSession } from './greeting-session';
import type { HostGreetingService } from './host-greeting-service';
import { failureText } from './invitation-words';

export type HostGreetingState =
    | { readonly step: 'starting' }
    | { readonly step: 'waiting-guest' }
    | { readonly step: 'read'; readonly ownCode: string }
    | { readonly step: 'pick'; readonly candidates: readonly string[] }
    | { readonly step: 'waiting-details' }
    | { readonly step: 'confirm'; readonly details: GuestDetails; readonly label: string; readonly profile: UserProfile; readonly problem?: string }
    | { readonly step: 'enrolling' }
    | { readonly step: 'done' }
    /** This attempt is over: why, and the host may greet again. */
    | { readonly step: 'ended'; readonly message: string };

interface Attempt {
    readonly attemptId: string;
    readonly channel: SocketGreetingChannel;
    readonly flow: HostGreeting;
}

/**
 * One invitation greeted from this page, attempt after attempt: the host's own code to read
 * aloud, the guest's code to pick, the guest's details to check (name corrected, profile chosen)
 * and confirm. Every wait for the person gives up at once when the attempt ends meanwhile (the
 * guest cancelled, left, or picked a wrong code), so the dialog never asks for something that
 * can no longer count. The dialog renders `state` and calls the actions; no rule lives there.
 */
export class HostGreetingSession extends GreetingSession<HostGreetingState> {
    protected attempt?: Attempt;
    protected pickCode?: (code: string | undefined) => void;
    protected confirmed?: () => void;
    /** Closed by the host or the page: no attempt may start any more. */
    protected closed = false;
    /** The server is starting an attempt. */
    protected starting = false;

    constructor(protected readonly service: HostGreetingService, readonly invitation: InvitationSummary) {
        super({ step: 'starting' });
        // Back after a dropped connection: read what the pushes could not bring (and hold this side again).
        this.toDispose.push(service.session.onDidChangeState(state => {
            if (state === 'connected' && this.running) {
                this.attempt?.channel.resync().catch(() => undefined);
            }
        }));
    }

    /** An attempt runs: closing the dialog or the page ends it for the guest. */
    get running(): boolean {
        return this.attempt !== undefined && this.current.step !== 'done' && this.current.step !== 'ended';
    }

    /** The dialog's primary button: what it does in this state, if anything. */
    get primaryAction(): { readonly label: string; readonly blocked?: string; run(): void } | undefined {
        const state = this.current;
        if (state.step === 'confirm') {
            const nameOk = state.details.kind !== 'user' || HumanHandleSchema.shape.label.safeParse(state.label).success;
            return {
                label: nls.localize('vouch/greeting/confirm', 'Confirm'),
                blocked: nameOk ? undefined : nls.localize('vouch/greeting/nameRequired', 'Enter the person\'s name'),
                run: () => nameOk && this.confirm()
            };
        }
        if (state.step === 'ended') {
            return { label: nls.localize('vouch/greeting/greetAgain', 'Greet again'), run: () => this.start() };
        }
        return undefined;
    }

    /** Starts an attempt on the server and runs it until it ends; again after an attempt ended ("Greet again"). */
    async start(): Promise<void> {
        if (this.closed || this.running || this.starting || this.current.step === 'done') { return; }
        this.attempt = undefined;
        this.show({ step: 'starting' });
        this.starting = true;
        const started = await this.service.start(this.invitation.invitationId).finally(() => { this.starting = false; });
        if (!started.ok) {
            this.show({ step: 'ended', message: describeApiError(started.error) });
            return;
        }
        const channel = this.service.channel(started.value.attemptId);
        const attempt: Attempt = { attemptId: started.value.attemptId, channel, flow: new HostGreeting(channel) };
        this.attempt = attempt;
        if (this.closed) {
            // Closed while the server was starting it: the guest must not be offered it.
            await attempt.flow.cancel('CLOSED').catch(() => undefined);
            channel.dispose();
            return;
        }
        this.show({ step: 'waiting-guest' });
        await this.run(attempt);
    }

    protected async run({ channel, flow }: Attempt): Promise<void> {
        try {
            await channel.resync();
            const codes = await flow.exchange();
            this.show({ step: 'read', ownCode: codes.ownCode });
            await flow.guestPicked();
            const picked = await flow.whileActive(new Promise<string | undefined>(resolve => {
                this.pickCode = resolve;
                this.show({ step: 'pick', candidates: codes.candidates });
            }));
            this.show({ step: 'waiting-details' });
            await flow.pickGuestCode(picked);
            const details = await flow.guestDetails();
            this.show({
                step: 'confirm', details, profile: this.invitation.proposedProfile ?? 'MEMBER',
                label: details.kind === 'user' ? details.humanHandle.label : this.service.session.device?.humanHandle.label ?? ''
            });
            for (;;) {
                await flow.whileActive(new Promise<void>(resolve => { this.confirmed = resolve; }));
                const decision = this.current as Extract<HostGreetingState, { step: 'confirm' }>;
                this.show({ step: 'enrolling' });
                try {
                    await this.service.confirm(flow, this.invitation, details, { label: decision.label.trim(), profile: decision.profile });
                    break;
                } catch (error) {
                    if (!(error instanceof GreetingRequestError)) { throw error; }
                    // Refused by the server (e.g. a clock off): the attempt goes on, the host may confirm again.
                    this.show({ ...decision, problem: describeApiError(error) });
                }
            }
            this.show({ step: 'done' });
        } catch (error) {
            if (!(error instanceof GreetingEndedError)) {
                // A failure on this side (a locked device, a refused request): the guest must not wait for nothing.
                flow.cancel('CANCELLED').catch(() => undefined);
            }
            this.show({ step: 'ended', message: failureText(error, 'host') });
        } finally {
            channel.dispose();
        }
    }

    /** The person picked the guest's code; `undefined` is "None of these codes". */
    pick(code: string | undefined): void {
        this.pickCode?.(code);
        this.pickCode = undefined;
    }

    /** The name corrected or the profile chosen before confirming. */
    edit(change: { label?: string; profile?: UserProfile }): void {
        if (this.current.step === 'confirm') {
            this.show({ ...this.current, ...change, problem: undefined });
        }
    }

    confirm(): void {
        this.confirmed?.();
        this.confirmed = undefined;
    }

    protected end(reason: 'CLOSED' | 'LEFT'): void {
        const running = this.running;
        this.closed = true;
        if (running) {
            this.attempt!.flow.cancel(reason).catch(() => undefined);
        }
    }

    override dispose(): void {
        this.closed = true;
        this.attempt?.channel.dispose();
        super.dispose();
    }
}
