import { z } from 'zod';
import { SignedCertificate, SignedCertificateSchema, WorkspaceId, WorkspaceIdSchema, WorkspaceRole } from '../certificates/certificate-types';
import { DeviceId, UserId, UserIdSchema } from '../identity';
import { EntryIdSchema } from '../workspaces/manifests';
import type { StoredManifest } from './workspaces-api';

/**
 * Re-encryption of a workspace after a revocation, run by an Owner's client: claim the run (a
 * lease, so one runs and the others wait or take over), rotate (remove the revoked members,
 * add a key sealed to exactly the remaining members), move every manifest to the new key in
 * batches (the client decrypts and seals; the server only swaps ciphertext), finish. Writes are
 * refused from the rotation to the finish; reads go on under either key.
 */

const SealedSchema = z.string().min(1).max(512 * 1024);

/** The most users one `reencryption.impact` asks about (the Revoke dialog's selection). */
export const REVOCATION_IMPACT_USERS = 1000;

/** The most manifests one batch of a re-encryption carries. */
export const REENCRYPTION_BATCH = 500;

export const ReencryptedManifestSchema = z.object({
    entryId: EntryIdSchema,
    /** The stored version this replaces: a batch over anything else is refused whole. */
    version: z.number().int().min(1),
    /** The key index it was sealed under (older than the run's). */
    fromKeyIndex: z.number().int().min(0),
    /** The same manifest sealed under the run's key index. */
    blob: SealedSchema
}).strict();
export type ReencryptedManifest = z.infer<typeof ReencryptedManifestSchema>;

export const reencryptionDeviceRequests = {
    /** Claims (or resumes, or takes over) the workspace's run; refused while another device holds it. */
    'reencryption.start': z.object({ workspaceId: WorkspaceIdSchema }).strict(),
    /**
     * Role removals of the revoked members (and, with no Owner left, the runner's own Owner
     * certificate first), then the next key certificate; the whole key list sealed to exactly
     * each member left.
     */
    'reencryption.rotate': z.object({
        workspaceId: WorkspaceIdSchema,
        certificates: z.array(SignedCertificateSchema).min(1).max(200),
        sealedKeys: z.record(UserIdSchema, SealedSchema)
    }).strict(),
    /** Manifests still under an older key than the run's, after `after` in entry order. */
    'reencryption.pending': z.object({
        workspaceId: WorkspaceIdSchema,
        after: z.union([EntryIdSchema, z.literal('')]).default(''),
        limit: z.number().int().min(1).max(REENCRYPTION_BATCH).default(REENCRYPTION_BATCH)
    }).strict(),
    /** One transaction: every manifest named moves to the run's key, or none does. */
    'reencryption.batch': z.object({
        workspaceId: WorkspaceIdSchema,
        entries: z.array(ReencryptedManifestSchema).min(1).max(REENCRYPTION_BATCH)
    }).strict(),
    /** Maintenance off, once no manifest is left under an older key. */
    'reencryption.finish': z.object({ workspaceId: WorkspaceIdSchema }).strict(),
    /** Gives the run up (cancelled): another Owner may take it over at once. */
    'reencryption.release': z.object({ workspaceId: WorkspaceIdSchema }).strict(),
    /** Before a revocation (Administrators): the workspaces these users hold a role in, and where they are the last active Owners. */
    'reencryption.impact': z.object({ userIds: z.array(UserIdSchema).min(1).max(REVOCATION_IMPACT_USERS) }).strict()
};

/** A workspace's re-encryption as its members see it (in workspaces.list and the run's replies). */
export interface ReencryptionStatus {
    /** A revoked user received the current key and no run has covered it yet. */
    readonly needed: boolean;
    readonly run?: ReencryptionRun;
}

export interface ReencryptionRun {
    /** The key index the run moves every manifest to; absent until the rotation (maintenance starts there). */
    readonly keyIndex?: number;
    readonly runnerUserId: UserId;
    readonly runnerDeviceId: DeviceId;
    /** ISO time: after it, another Owner may take the run over. */
    readonly leaseUntil: string;
    /** Manifests moved to the run's key, of those there were at the rotation. */
    readonly done: number;
    readonly total: number;
}

/** What the runner needs to rotate: who stays, their keys to seal to, and proof of who is revoked. */
export interface ReencryptionStart {
    readonly run: ReencryptionRun;
    /** Every member now, each with their user certificate (redacted) and, if revoked, their revocation. */
    readonly members: readonly {
        readonly userId: UserId;
        readonly role: WorkspaceRole;
        readonly userCertificate: SignedCertificate;
        readonly revocation?: SignedCertificate;
    }[];
    /** Device certificates (redacted) chaining those certificates' authors to the root key. */
    readonly authorDevices: readonly SignedCertificate[];
}

export interface ReencryptionDeviceResponses {
    'reencryption.start': ReencryptionStart;
    'reencryption.rotate': { readonly run: ReencryptionRun };
    'reencryption.pending': { readonly keyIndex: number; readonly manifests: readonly StoredManifest[] };
    'reencryption.batch': { readonly done: number; readonly total: number };
    'reencryption.finish': { readonly keyIndex: number; readonly needed: boolean };
    'reencryption.release': Record<string, never>;
    'reencryption.impact': RevocationImpact;
}

/**
 * What revoking some users will cause, for the Administrator about to do it: only workspace ids
 * (the names are sealed; the Administrator's client names those it is a member of).
 */
export interface RevocationImpact {
    readonly workspaces: readonly {
        readonly workspaceId: WorkspaceId;
        /** Every active Owner is among these users: the highest role left takes over, or nobody when no member is left. */
        readonly lastOwner: boolean;
    }[];
}

/** Pushed to each Owner (or successor) of workspaces a revocation exposed. */
export interface ReencryptionNeededEvent {
    readonly workspaceIds: readonly WorkspaceId[];
    readonly revokedUserIds: readonly UserId[];
}

/** Pushed to a workspace's members: maintenance started (writes refused) or finished (sync resumes). */
export interface WorkspaceMaintenanceEvent {
    readonly workspaceId: WorkspaceId;
    readonly maintenance: boolean;
    readonly keyIndex: number;
}

export interface ReencryptionServerEvents {
    'workspaces.reencryptionNeeded': (event: ReencryptionNeededEvent) => void;
    'workspace.maintenance': (event: WorkspaceMaintenanceEvent) => void;
}
