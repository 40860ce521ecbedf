import { GreetingCancelReason, GreetingSide, HumanHandle, InvitationKind, InvitationStatus, OrganizationId, UserId, UserProfile } from '@vouch/protocol';

export interface InvitationRecord {
    readonly invitationId: string;
    readonly organizationId: OrganizationId;
    readonly token: string;
    readonly kind: InvitationKind;
    readonly email: string;
    /** Device invitations: whose device. */
    readonly userId?: UserId;
    readonly proposedProfile?: UserProfile;
    readonly createdByUser: UserId;
    readonly createdByDevice: string;
    readonly createdOn: number;
    readonly status: InvitationStatus;
    readonly activeAttemptId?: string;
    readonly emailError?: string;
}

export interface InvitationListRow extends InvitationRecord {
    readonly createdByLabel: string;
}

export type AttemptStatus = 'ACTIVE' | 'CANCELLED' | 'COMPLETED';

export interface AttemptRecord {
    readonly attemptId: string;
    readonly organizationId: OrganizationId;
    readonly invitationId: string;
    readonly hostUserId: UserId;
    readonly hostDeviceId: string;
    readonly startedOn: number;
    readonly status: AttemptStatus;
    readonly cancelReason?: GreetingCancelReason;
    readonly cancelledBy?: GreetingSide | 'server';
}

export interface StepRecord {
    readonly step: number;
    readonly side: GreetingSide;
    readonly payload: string;
}

export interface UserHandleRow {
    readonly userId: UserId;
    readonly humanHandle: HumanHandle;
}

/** One pending invitation per address (user invitations) or per user (device invitations). */
export function pendingKey(organizationId: OrganizationId, kind: InvitationKind, emailOrUserId: string): string {
    return `${organizationId}\u001f${kind}\u001f${emailOrUserId}`;
}

/** The words and code of a refusal, mapped onto API errors by the socket adapter. */
export type InvitationErrorCode =
    | 'NOT_ALLOWED' | 'BAD_PAYLOAD' | 'INVITATION_NOT_FOUND' | 'INVITATION_NO_LONGER_VALID' | 'INVITATION_EMAIL_TAKEN' | 'ORGANIZATION_NOT_FOUND'
    | 'GREETING_ATTEMPT_NOT_FOUND' | 'GREETING_ATTEMPT_ENDED' | 'GREETING_STEP_TOO_EARLY' | 'GREETING_STEP_NOT_YOURS'
    | 'GREETING_STEP_PAYLOAD_CHANGED' | 'GREETING_COMMITMENT_MISMATCH';

export interface InvitationError {
    readonly code: InvitationErrorCode;
    readonly message: string;
}
