import { CertificateError, DeviceId, OrganizationId, SignedCertificate, UserId, WorkspaceId } from '@vouch/protocol';
import { OrganizationNotFound } from '../organization/certificate-contexts';

/**
 * What the server keeps of a workspace's re-encryption: whether a revocation exposed its current
 * key (`revocations` counts those revocations, `covered` how many a rotation has answered), and
 * the run in progress, if any.
 */
export interface ReencryptionRecord {
    readonly organizationId: OrganizationId;
    readonly workspaceId: WorkspaceId;
    readonly revocations: number;
    readonly covered: number;
    /** ms: the first revocation not covered yet. */
    readonly neededSince?: number;
    /** The run's key index, from its rotation to its finish: maintenance. */
    readonly keyIndex?: number;
    readonly runnerUserId?: UserId;
    readonly runnerDeviceId?: DeviceId;
    /** ms since epoch. */
    readonly leaseUntil?: number;
    readonly startedOn?: number;
    readonly done: number;
    readonly total: number;
}

/** A member as the rotation and its runner need them. */
export interface MemberCertificates {
    readonly userId: UserId;
    readonly revoked: boolean;
    /** The redacted user certificate (no name or email) and the device that signed it. */
    readonly userCertificate: SignedCertificate;
    readonly userAuthorDevice?: DeviceId;
    readonly revocation?: { readonly certificate: SignedCertificate; readonly authorDevice: DeviceId };
}

export interface ReencryptedManifestRecord {
    readonly entryId: string;
    readonly version: number;
    readonly fromKeyIndex: number;
    readonly blob: string;
}

export type ReencryptionError =
    | { readonly code: 'NOT_ALLOWED' | 'WORKSPACE_NOT_FOUND' | 'BAD_PAYLOAD' | 'REENCRYPTION_NOT_NEEDED' | 'REENCRYPTION_NOT_RUNNING'; readonly message: string }
    /** Writes wait for the run's end; reads go on. */
    | { readonly code: 'WORKSPACE_REENCRYPTING'; readonly message: string; readonly keyIndex: number }
    /** Another device holds the run: the caller waits (its progress is given) or takes over after the lease. */
    | { readonly code: 'REENCRYPTION_RUNNING'; readonly message: string; readonly runnerUserId: UserId; readonly leaseUntil: number; readonly done: number; readonly total: number }
    | { readonly code: 'REENCRYPTION_RECIPIENTS_MISMATCH'; readonly message: string; readonly missing: readonly UserId[]; readonly unexpected: readonly UserId[] }
    /** A manifest of the batch is not (any more) at the version and key it names: nothing was written. */
    | { readonly code: 'REENCRYPTION_STALE_BATCH'; readonly message: string; readonly entryId: string }
    | { readonly code: 'REENCRYPTION_INCOMPLETE'; readonly message: string; readonly remaining: number }
    | CertificateError
    | OrganizationNotFound;
