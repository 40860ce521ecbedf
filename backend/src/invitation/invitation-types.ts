import { GreetingCancelReason, GreetingSide, HumanHandle, InvitationKind, InvitationStatus, OrganizationId, UserId, UserProfile } from '@vouch/protocol';
import { AddUserError } from '../organization/organization-types';

export interface InvitationRecord {
    readonly invitationId: string;
    readonly organizationId: OrganizationId;
    readonly token: string;
    readonly kind: InvitationKind;
    readonly email: string;
    /** Device invitations: whose device. */
    readonly userId?: UserId;
    /** The name the inviter gave (a spreadsheet's name column). */
    readonly proposedName?: string;
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
    /** The connection that holds each side now (the last one that spoke for it). */
    readonly hostConnection?: string;
    readonly guestConnection?: string;
}

export interface StepRecord {
    readonly step: number;
    readonly side: GreetingSide;
    readonly payload: string;
}

export interface StoredStep extends StepRecord {
    /** ms since epoch. */
    readonly postedOn: number;
}

/** The connection a side speaks on: an opaque id, unique across instances (the transport's socket id). */
export type ConnectionId = string;

/** An attempt nobody touched for this long (no step posted, not started meanwhile) has expired. */
export const GREETING_ATTEMPT_LIFETIME_MS = 10 * 60_000;

export interface UserHandleRow {
    readonly userId: UserId;
    readonly humanHandle: HumanHandle;
}

/** One pending invitation per address (user invitations) or per user (device invitations). */
export function pendingKey(organizationId: OrganizationId, kind: InvitationKind, emailOrUserId: string): string {
    return `${organizationId}\u001f${kind}\u001f${emailOrUserId}`;
}

/** Why an invitation request was refused. */
export interface InvitationError {
    readonly code: 'NOT_ALLOWED' | 'INVITATION_NOT_FOUND' | 'INVITATION_NO_LONGER_VALID';
    readonly message: string;
}

/** Why a greeting request was refused; step 7 may also meet the organization's refusal of the new user or device. */
export type GreetingError =
    | InvitationError
    | {
        readonly code: 'BAD_PAYLOAD' | 'GREETING_ATTEMPT_NOT_FOUND' | 'GREETING_ATTEMPT_ENDED' | 'GREETING_STEP_TOO_EARLY' | 'GREETING_STEP_NOT_YOURS'
            | 'GREETING_STEP_PAYLOAD_CHANGED' | 'GREETING_COMMITMENT_MISMATCH';
        readonly message: string;
    }
    | AddUserError;
