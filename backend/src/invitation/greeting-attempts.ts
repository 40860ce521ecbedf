import { GreetingCancelReason, GreetingSide, GreetingStep, OrganizationId } from '@vouch/protocol';
import { EventBus } from '../common/event-bus';
import { InvitationRepository } from './invitation-repository';
import { AttemptRecord, ConnectionId, GREETING_ATTEMPT_LIFETIME_MS, StoredStep } from './invitation-types';

/** How many idle attempts one sweep ends at most; the next sweep takes the rest. */
const SWEEP_BATCH = 100;

/**
 * Ends greeting attempts, once each, and tells both sides why: shared by invitations (a cancel),
 * the greeting, and the liveness of its sides (a side that left, an attempt nobody touched).
 * Every ending is one conditional update of the attempt's row, so whichever instance or request
 * gets there first ends it and the others change nothing.
 */
export class GreetingAttempts {
    constructor(
        protected readonly repository: InvitationRepository,
        protected readonly bus: EventBus,
        readonly lifetimeMs = GREETING_ATTEMPT_LIFETIME_MS
    ) { }

    /**
     * ACTIVE → CANCELLED with a reason; false (and nobody told) when it had ended already, or when
     * `heldBy` is given and another connection holds that side now.
     */
    async end(organizationId: OrganizationId, attemptId: string, reason: GreetingCancelReason, by: GreetingSide | 'server', now: number,
        heldBy?: { side: GreetingSide; connection: ConnectionId }): Promise<boolean> {
        if (!await this.repository.endAttempt(attemptId, 'CANCELLED', now, reason, by, heldBy)) {
            return false;
        }
        const attempt = await this.repository.getAttempt(organizationId, attemptId);
        if (attempt) {
            this.bus.publish('greeting.cancelled', { organizationId, attempt: attemptRef(attempt), reason, by });
        }
        return true;
    }

    /**
     * Whoever looks at an active attempt next ends it when nothing happened for its lifetime (not
     * started meanwhile, no step posted): true when it has ended, now or before. `steps` when the
     * caller read them already.
     */
    async expireIfIdle(attempt: AttemptRecord, now: number, steps?: readonly StoredStep[]): Promise<boolean> {
        if (attempt.status !== 'ACTIVE') {
            return true;
        }
        const lastStep = steps ? Math.max(0, ...steps.map(step => step.postedOn)) : await this.repository.lastStepOn(attempt.attemptId) ?? 0;
        if (now - Math.max(attempt.startedOn, lastStep) < this.lifetimeMs) {
            return false;
        }
        await this.end(attempt.organizationId, attempt.attemptId, 'EXPIRED', 'server', now);
        return true;
    }

    /**
     * The connection that held `side` closed and did not come back within the grace period: the
     * attempt ends for the other side, unless another connection holds the side now (a reconnect,
     * on any instance) or the host's confirmation is stored (the guest may still acknowledge it).
     */
    async sideLeft(organizationId: OrganizationId, attemptId: string, side: GreetingSide, connection: ConnectionId, now: number): Promise<boolean> {
        const steps = await this.repository.steps(attemptId);
        if (steps.some(step => step.step === GreetingStep.HOST_CONFIRMATION)) {
            return false;
        }
        return this.end(organizationId, attemptId, 'LEFT', side, now, { side, connection });
    }

    /** Ends the attempts nobody touched for their lifetime; returns how many it ended. */
    async sweep(now: number): Promise<number> {
        let ended = 0;
        for (const idle of await this.repository.idleAttempts(now - this.lifetimeMs, SWEEP_BATCH)) {
            if (await this.end(idle.organizationId, idle.attemptId, 'EXPIRED', 'server', now)) {
                ended++;
            }
        }
        return ended;
    }
}

/** What an event needs of an attempt to reach both of its sides. */
export function attemptRef(attempt: AttemptRecord): { attemptId: string; invitationId: string; hostDeviceId: string } {
    return { attemptId: attempt.attemptId, invitationId: attempt.invitationId, hostDeviceId: attempt.hostDeviceId };
}
