import { GreetingSide, OrganizationId, UserId } from '@vouch/protocol';
import { AttemptRecord, AttemptStatus, ConnectionId, InvitationListRow, InvitationRecord, StepRecord, StoredStep, UserHandleRow } from './invitation-types';

export interface InvitationRepository {
    /** False when a pending invitation holds the same key already (the caller returns that one). */
    insertInvitation(invitation: InvitationRecord, pendingKey: string): Promise<boolean>;
    findPending(pendingKey: string): Promise<InvitationRecord | undefined>;
    get(organizationId: OrganizationId, invitationId: string): Promise<InvitationRecord | undefined>;
    getByToken(organizationId: OrganizationId, token: string): Promise<InvitationRecord | undefined>;
    /** Pending invitations, newest first; `deviceOf` limits to that user's device invitations (plus user invitations when `withUsers`). */
    listPending(organizationId: OrganizationId, filter: { withUsers: boolean; deviceOf: UserId }): Promise<InvitationListRow[]>;
    /** PENDING → COMPLETED or CANCELLED; false when it was not pending any more. */
    finish(invitationId: string, status: 'COMPLETED' | 'CANCELLED', now: number): Promise<boolean>;
    setEmailError(invitationId: string, error: string | undefined): Promise<void>;
    /** Moves the active attempt from `expected` to `attemptId`; false when another start moved it first. */
    setActiveAttempt(invitationId: string, expected: string | undefined, attemptId: string): Promise<boolean>;
    insertAttempt(attempt: AttemptRecord): Promise<void>;
    getAttempt(organizationId: OrganizationId, attemptId: string): Promise<AttemptRecord | undefined>;
    /**
     * ACTIVE → `status`; false when it had ended already, or when `heldBy` is given and another
     * connection holds that side now (the side came back).
     */
    endAttempt(attemptId: string, status: Exclude<AttemptStatus, 'ACTIVE'>, now: number, reason?: string, by?: string,
        heldBy?: { side: GreetingSide; connection: ConnectionId }): Promise<boolean>;
    /** While active: `connection` holds `side` from now on. */
    holdAttempt(attemptId: string, side: GreetingSide, connection: ConnectionId): Promise<void>;
    /** Active attempts started before `cutoff` with no step posted since, oldest first. */
    idleAttempts(cutoff: number, limit: number): Promise<{ organizationId: OrganizationId; attemptId: string }[]>;
    /** When the attempt's newest step was posted; undefined without steps. */
    lastStepOn(attemptId: string): Promise<number | undefined>;
    steps(attemptId: string): Promise<StoredStep[]>;
    /** False when this side posted this step already. */
    insertStep(attemptId: string, step: StepRecord, now: number): Promise<boolean>;
    administrators(organizationId: OrganizationId): Promise<UserHandleRow[]>;
    user(organizationId: OrganizationId, userId: UserId): Promise<(UserHandleRow & { revoked: boolean }) | undefined>;
    hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean>;
}
