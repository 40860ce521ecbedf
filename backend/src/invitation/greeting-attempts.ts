import { GreetingCancelReason, GreetingSide, OrganizationId } from '@vouch/protocol';
import { EventBus } from '../common/event-bus';
import { InvitationRepository } from './invitation-repository';
import { AttemptRecord } from './invitation-types';

/** Ends greeting attempts, once each, and tells both sides why: shared by invitations (a cancel) and the greeting. */
export class GreetingAttempts {
    constructor(
        protected readonly repository: InvitationRepository,
        protected readonly bus: EventBus
    ) { }

    /** ACTIVE → CANCELLED with a reason; false (and nobody told) when it had ended already. */
    async end(organizationId: OrganizationId, attemptId: string, reason: GreetingCancelReason, by: GreetingSide | 'server', now: number): Promise<boolean> {
        if (!await this.repository.endAttempt(attemptId, 'CANCELLED', now, reason, by)) {
            return false;
        }
        const attempt = await this.repository.getAttempt(organizationId, attemptId);
        if (attempt) {
            this.bus.publish('greeting.cancelled', { organizationId, attempt: attemptRef(attempt), reason, by });
        }
        return true;
    }
}

/** What an event needs of an attempt to reach both of its sides. */
export function attemptRef(attempt: AttemptRecord): { attemptId: string; invitationId: string; hostDeviceId: string } {
    return { attemptId: attempt.attemptId, invitationId: attempt.invitationId, hostDeviceId: attempt.hostDeviceId };
}
