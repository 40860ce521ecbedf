import { z } from 'zod';
import { SignedCertificate, SignedCertificateSchema, WorkspaceId, WorkspaceIdSchema, WorkspaceRole } from '../certificates/certificate-types';
import { UserId, UserIdSchema } from '../identity';
import { EntryIdSchema } from '../workspaces/manifests';

/** A sealed key list or manifest, base64url: large enough for a big folder, bounded. */
const SealedSchema = z.string().min(1).max(512 * 1024);
/** File data travels as binary (a Uint8Array, a Node Buffer). */
const BinarySchema = z.custom<Uint8Array>(value => value instanceof Uint8Array, 'Binary data expected');

/** The most manifests one write or one read carries. */
export const MANIFESTS_PER_BATCH = 500;

/**
 * The most blocks one `workspaces.putBlocks` carries: Socket.IO's parser closes a connection whose
 * message has more than 10 binary attachments. Their weight is bounded by the message size limit.
 */
export const BLOCKS_PER_BATCH = 10;

export const ManifestWriteSchema = z.object({
    entryId: EntryIdSchema,
    /** The version this write replaces; 0 for a new entry. */
    expectedVersion: z.number().int().min(0),
    /** The key the manifest is sealed with: the workspace's current one. */
    keyIndex: z.number().int().min(0),
    blob: SealedSchema
}).strict();
export type ManifestWrite = z.infer<typeof ManifestWriteSchema>;

export const workspacesDeviceRequests = {
    /** A Member or Administrator creates a workspace: Owner and first key certificates, the key sealed to themself, the root folder. */
    'workspaces.create': z.object({
        workspaceId: WorkspaceIdSchema,
        certificates: z.array(SignedCertificateSchema).length(2),
        sealedKeys: SealedSchema,
        root: z.object({ blob: SealedSchema }).strict()
    }).strict(),
    'workspaces.list': z.object({}).strict(),
    /** A workspace's log (roles and keys) and who is in it, for its members. */
    'workspaces.roles': z.object({ workspaceId: WorkspaceIdSchema }).strict(),
    /** Role certificates (grant, change, remove, leave), with the key list sealed to each newly granted member. */
    'workspaces.share': z.object({
        workspaceId: WorkspaceIdSchema,
        certificates: z.array(SignedCertificateSchema).min(1).max(100),
        sealedKeys: z.record(UserIdSchema, SealedSchema).default({})
    }).strict(),
    /** Manifests changed after `since` (a change number; 0: all), in change order. */
    'workspaces.manifests': z.object({
        workspaceId: WorkspaceIdSchema,
        since: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(MANIFESTS_PER_BATCH).default(MANIFESTS_PER_BATCH)
    }).strict(),
    /** Writes manifests, all or none; each names the version it replaces. */
    'workspaces.write': z.object({
        workspaceId: WorkspaceIdSchema,
        entries: z.array(ManifestWriteSchema).min(1).max(MANIFESTS_PER_BATCH)
    }).strict(),
    'workspaces.putBlock': z.object({ workspaceId: WorkspaceIdSchema, blockId: EntryIdSchema, data: BinarySchema }).strict(),
    /** Several sealed blocks in one request (small files written together): one role check, one transaction. */
    'workspaces.putBlocks': z.object({
        workspaceId: WorkspaceIdSchema,
        blocks: z.array(z.object({ blockId: EntryIdSchema, data: BinarySchema }).strict()).min(1).max(BLOCKS_PER_BATCH)
    }).strict(),
    'workspaces.getBlock': z.object({ workspaceId: WorkspaceIdSchema, blockId: EntryIdSchema }).strict()
};

export interface WorkspaceSummary {
    readonly workspaceId: WorkspaceId;
    readonly role: WorkspaceRole;
    /** The workspace's current key index: writes are sealed with it. */
    readonly keyIndex: number;
    /** This user's key list (index 0 to keyIndex), sealed to their user key. */
    readonly sealedKeys: string;
    readonly members: number;
    /** ISO time. */
    readonly createdOn: string;
    /** The newest change number: a client that saw it has every manifest. */
    readonly lastChange: number;
    /** The root folder's manifest, sealed: it carries the workspace's name, which the list shows before the workspace is opened. */
    readonly root?: { readonly version: number; readonly keyIndex: number; readonly blob: string };
}

export interface WorkspaceMember {
    readonly userId: UserId;
    readonly role: WorkspaceRole;
}

export interface WorkspaceRoles {
    readonly members: readonly WorkspaceMember[];
    /** The workspace's topic of the log, in order, for the client to replay. */
    readonly certificates: readonly { readonly index: number; readonly signed: SignedCertificate }[];
    /** Device certificates (redacted) chaining the authors to the root key. */
    readonly authorDevices: readonly SignedCertificate[];
}

export interface StoredManifest {
    readonly entryId: string;
    readonly version: number;
    readonly keyIndex: number;
    readonly blob: string;
    /** The change that wrote this version. */
    readonly change: number;
}

export interface ManifestsPage {
    readonly manifests: readonly StoredManifest[];
    /** Ask again from here when there is more. */
    readonly nextSince?: number;
    readonly lastChange: number;
}

export interface WorkspacesDeviceResponses {
    'workspaces.create': { readonly workspaceId: WorkspaceId };
    'workspaces.list': { readonly workspaces: readonly WorkspaceSummary[] };
    'workspaces.roles': WorkspaceRoles;
    'workspaces.share': { readonly members: number };
    'workspaces.manifests': ManifestsPage;
    'workspaces.write': { readonly versions: Readonly<Record<string, number>>; readonly change: number };
    'workspaces.putBlock': { readonly size: number };
    'workspaces.putBlocks': { readonly count: number };
    'workspaces.getBlock': { readonly data: Uint8Array };
}

/** Manifests of a workspace changed: its members' open workbenches fetch what is new. */
export interface WorkspaceChangedEvent {
    readonly workspaceId: WorkspaceId;
    readonly change: number;
}

/** This user's membership or keys of a workspace changed (granted, removed, new key). */
export interface WorkspacesChangedEvent {
    readonly workspaceId: WorkspaceId;
}

export interface WorkspacesServerEvents {
    'workspace.changed': (event: WorkspaceChangedEvent) => void;
    'workspaces.changed': (event: WorkspacesChangedEvent) => void;
}
