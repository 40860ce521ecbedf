import { Reply } from '../api/api-errors';
import { GreetingCancelReason, GreetingSide } from './greeting-steps';
import { GreetingChannel, GreetingEndedError, GreetingMailbox, GreetingRequestError, HostStepExtras } from './greeting-flow';

/** What a channel needs of a Socket.IO client: a request with its reply, and pushed events. */
export interface GreetingSocket {
    request(event: string, payload: unknown): Promise<Reply<unknown>>;
    on(event: string, listener: (payload: never) => void): void;
    off(event: string, listener: (payload: never) => void): void;
}

interface StateReply {
    attemptId: string;
    steps: { step: number; side: GreetingSide; payload: string }[];
    cancelled?: { attemptId: string; reason: GreetingCancelReason; by: GreetingSide | 'server' };
}

/**
 * A greeting channel over the server's API, for either side: posts are requests, the other
 * side's steps arrive pushed (`greeting.step`), and `resync()` fetches the stored state after a
 * reconnection (or before the first push could have been heard).
 */
export class SocketGreetingChannel implements GreetingChannel {
    readonly mailbox: GreetingMailbox;
    /** Steps this channel posted; the server may hold others of this side, posted by an earlier page. */
    protected readonly postedHere = new Set<number>();
    protected postedElsewhere = false;
    protected readonly onStep = (event: { attemptId: string; step: number; side: GreetingSide; payload: string }) => this.mailbox.deliver(event);
    protected readonly onCancelled = (event: { attemptId: string; reason: GreetingCancelReason; by: GreetingSide | 'server' }) => this.mailbox.end(event);

    constructor(
        protected readonly socket: GreetingSocket,
        readonly attemptId: string,
        readonly side: GreetingSide,
        /** `{ organizationId, token }` for the guest, `{}` for the host. */
        protected readonly identity: Record<string, string>
    ) {
        this.mailbox = new GreetingMailbox(attemptId, side);
        socket.on('greeting.step', this.onStep as (payload: never) => void);
        socket.on('greeting.cancelled', this.onCancelled as (payload: never) => void);
    }

    protected get prefix(): string {
        return this.side === 'host' ? 'greeting.host' : 'greeting.guest';
    }

    async post(step: number, payload: string, extras: HostStepExtras = {}): Promise<void> {
        if (this.mailbox.endedWith) {
            throw this.mailbox.endedWith;
        }
        const reply = await this.socket.request(`${this.prefix}Step`, { ...this.identity, attemptId: this.attemptId, step, payload, ...extras });
        if (!reply.ok) {
            if (reply.error.code === 'GREETING_ATTEMPT_ENDED' || reply.error.code === 'GREETING_COMMITMENT_MISMATCH') {
                await this.resync().catch(() => undefined);
                if (this.mailbox.endedWith) { throw this.mailbox.endedWith; }
            }
            throw new GreetingRequestError(reply.error);
        }
        this.postedHere.add(step);
    }

    get ended(): Promise<GreetingEndedError> {
        return this.mailbox.whenEnded;
    }

    /**
     * False once the stored state shows steps of this side that this channel did not post (a page
     * reloaded mid-greeting): its keys and nonce are gone, so it cannot go on with this attempt.
     */
    get resumable(): boolean {
        return !this.postedElsewhere;
    }

    peer(step: number): Promise<string> {
        return this.mailbox.peer(step);
    }

    async cancel(reason: GreetingCancelReason): Promise<void> {
        this.mailbox.end({ attemptId: this.attemptId, reason, by: this.side });
        await this.socket.request(`${this.prefix}Cancel`, { ...this.identity, attemptId: this.attemptId, reason });
    }

    /** Fills in steps and an end the pushes may have missed. */
    async resync(): Promise<void> {
        const reply = await this.socket.request(`${this.prefix}State`, { ...this.identity, attemptId: this.attemptId });
        if (reply.ok) {
            const state = reply.value as StateReply;
            this.postedElsewhere ||= state.steps.some(posted => posted.side === this.side && !this.postedHere.has(posted.step));
            this.mailbox.deliverState(state);
        } else if (reply.error.code === 'INVITATION_NO_LONGER_VALID' || reply.error.code === 'GREETING_ATTEMPT_NOT_FOUND' || reply.error.code === 'INVITATION_NOT_FOUND') {
            this.mailbox.end({ attemptId: this.attemptId, reason: 'INVITATION_CANCELLED', by: 'server' });
        }
    }

    dispose(): void {
        this.socket.off('greeting.step', this.onStep as (payload: never) => void);
        this.socket.off('greeting.cancelled', this.onCancelled as (payload: never) => void);
    }
}


