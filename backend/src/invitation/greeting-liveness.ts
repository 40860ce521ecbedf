import { GreetingSide, OrganizationId } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';
import { GreetingAttempts } from './greeting-attempts';
import { ConnectionId } from './invitation-types';

/** A side whose connection closed has this long to come back (a reload, a dropped network) before the other side is told. */
export const GREETING_RECONNECT_GRACE_MS = 5_000;
/** How often each instance ends the attempts nobody touched for their lifetime. */
export const GREETING_SWEEP_EVERY_MS = 60_000;

export interface GreetingLivenessOptions {
    readonly reconnectGraceMs: number;
    readonly sweepEveryMs: number;
}

export interface HeldAttempt {
    readonly organizationId: OrganizationId;
    readonly attemptId: string;
}

/**
 * Notices that a side of a greeting is gone, not only that it said so. The instance whose socket
 * closed owns the grace timer (only it saw the close); the side may come back on any instance,
 * which records the new connection in the attempt's row, and the ending at the end of the grace
 * period is the conditional update of `GreetingAttempts.sideLeft` — it changes nothing when
 * another connection holds the side by then. A timer lost with its instance leaves the attempt
 * to its lifetime: every instance sweeps idle attempts, and whoever looks at one next ends it.
 */
export class GreetingLiveness {
    protected readonly timers = new Set<ReturnType<typeof setTimeout>>();
    protected sweeper?: ReturnType<typeof setInterval>;
    protected stopped = false;

    constructor(
        protected readonly attempts: GreetingAttempts,
        protected readonly clock: () => number,
        protected readonly logger: ServerLogger,
        protected readonly options: GreetingLivenessOptions = { reconnectGraceMs: GREETING_RECONNECT_GRACE_MS, sweepEveryMs: GREETING_SWEEP_EVERY_MS }
    ) { }

    /** A connection that spoke for `side` of these attempts closed. */
    connectionClosed(side: GreetingSide, connection: ConnectionId, held: Iterable<HeldAttempt>): void {
        const attempts = [...held];
        if (this.stopped || attempts.length === 0) {
            return;
        }
        const timer = setTimeout(async () => {
            this.timers.delete(timer);
            for (const attempt of attempts) {
                try {
                    await this.attempts.sideLeft(attempt.organizationId, attempt.attemptId, side, connection, this.clock());
                } catch (error) {
                    this.logger.error(`Could not end the greeting ${attempt.attemptId} whose ${side} left`, error);
                }
            }
        }, this.options.reconnectGraceMs);
        timer.unref?.();
        this.timers.add(timer);
    }

    /** Sweeps idle attempts every `sweepEveryMs`, until stopped. */
    start(): void {
        if (this.stopped || this.sweeper) {
            return;
        }
        this.sweeper = setInterval(() => {
            this.attempts.sweep(this.clock()).catch(error => this.logger.error('Could not sweep idle greeting attempts', error));
        }, this.options.sweepEveryMs);
        this.sweeper.unref?.();
    }

    /**
     * Before the server closes its sockets: their closing is a shutdown, not sides leaving (they
     * come back to another instance, or to this one restarted).
     */
    stop(): void {
        this.stopped = true;
        clearInterval(this.sweeper);
        this.timers.forEach(timer => clearTimeout(timer));
        this.timers.clear();
    }
}
