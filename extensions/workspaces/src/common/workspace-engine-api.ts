import { CancellationToken, Disposable, Event } from '@theia/core/lib/common';
import {
    ApiError, DeviceId, ReencryptionNeededEvent, Reply, SignedCertificate, UserId, UsersDeviceResponses, usersDeviceRequests, WorkspaceId, WorkspaceRole, WorkspaceChangedEvent,
    WorkspaceMaintenanceEvent, WorkspacesChangedEvent, WorkspacesDeviceResponses, workspacesDeviceRequests
} from '@vouch/protocol';
import { z } from 'zod';

/**
 * The contract between the workspace engine (this folder: keys, manifests, blocks, sync — no
 * Theia widgets, runs in the browser, the desktop app, Node tests and benchmarks) and what
 * uses it (the `vouch:` file system provider, the Workspaces view, the re-encryption run).
 * Paths are absolute inside one workspace, '/'-separated, '/' being its root folder.
 */

// ---- What the engine needs from its host ------------------------------------------------

/**
 * The device requests the engine makes: the workspaces API, and the users' rows (`users.get` for
 * given ids; `users.list` stays for hosts that pass it on), whose signed user certificates give
 * the profiles the role rules need and the public keys key lists are sealed to (never the
 * server's word alone).
 */
export const workspaceEngineRequests = { ...workspacesDeviceRequests, 'users.list': usersDeviceRequests['users.list'], 'users.get': usersDeviceRequests['users.get'] };
export type WorkspaceEngineRequest = keyof typeof workspaceEngineRequests;
export type WorkspaceEngineResponses = WorkspacesDeviceResponses & Pick<UsersDeviceResponses, 'users.list' | 'users.get'>;

/** The device's connection to the organization server, as the engine uses it. */
export interface WorkspaceConnection {
    /**
     * A device request of the workspaces API (or `users.list`); never throws for a refusal (a
     * Reply says it); may throw when the connection fails (the engine then waits for the next one).
     */
    request<K extends WorkspaceEngineRequest>(name: K, payload: z.input<typeof workspaceEngineRequests[K]>): Promise<Reply<WorkspaceEngineResponses[K]>>;
    /** Manifests of one of this user's workspaces changed (pushed by the server). */
    readonly onWorkspaceChanged: Event<WorkspaceChangedEvent>;
    /** This user's membership or keys of a workspace changed. */
    readonly onWorkspacesChanged: Event<WorkspacesChangedEvent>;
    /** A re-encryption of one of this user's workspaces started (writes refused) or ended (sync resumes). */
    readonly onWorkspaceMaintenance: Event<WorkspaceMaintenanceEvent>;
    /** A revocation left workspaces this user owns needing re-encryption. */
    readonly onReencryptionNeeded: Event<ReencryptionNeededEvent>;
    /** Connected and authenticated now; requests fail fast otherwise. */
    readonly connected: boolean;
    /** Fires on every change of `connected` (a reconnection: the engine catches up). */
    readonly onDidChangeConnected: Event<boolean>;
}

/** Who the engine acts as: the unlocked device. Private keys stay behind these methods where the host can keep them. */
export interface WorkspaceIdentity {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    /** How this user is named in the conflict copies their edits leave ("notes (conflicting copy by Alice …).txt"); the user id when absent. */
    readonly displayName?: string;
    /** The user's X25519 key pair: workspace key lists are sealed to it. */
    readonly userKey: { readonly privateKey: Uint8Array; readonly publicKey: Uint8Array };
    /** The organization's root verify key: certificates are re-checked back to it. */
    readonly rootVerifyKey: Uint8Array;
    /** Signs certificate contents with the device's signing key (in log order, already linked). */
    sign(contents: readonly object[]): Promise<SignedCertificate[]>;
}

/**
 * Where the engine keeps what must outlive a page: manifests and recently used blocks (a cache,
 * bounded), and edits not yet accepted by the server (never dropped). IndexedDB in the browser,
 * a folder on the desktop, memory in tests.
 */
export interface WorkspaceLocalStore {
    get(area: 'manifests' | 'blocks' | 'pending', key: string): Promise<Uint8Array | undefined>;
    put(area: 'manifests' | 'blocks' | 'pending', key: string, value: Uint8Array): Promise<void>;
    delete(area: 'manifests' | 'blocks' | 'pending', key: string): Promise<void>;
    /** Keys of an area starting with a prefix (a workspace id), in key order. */
    keys(area: 'manifests' | 'blocks' | 'pending', prefix: string): Promise<string[]>;
}

// ---- What the engine offers -----------------------------------------------------------------

/** How a workspace's content stands against the server. */
export type SyncState =
    | { readonly kind: 'synced' }
    | { readonly kind: 'syncing'; readonly files: number }
    /** Not connected: edits are kept and sync on reconnection. */
    | { readonly kind: 'offline'; readonly pending: number }
    /** The server refuses writes for now (a re-encryption runs): reads go on, edits wait. */
    | { readonly kind: 'paused'; readonly pending: number; readonly reason: string };

export interface WorkspaceMemberInfo {
    readonly userId: UserId;
    readonly role: WorkspaceRole;
}

/** A workspace as the Workspaces view lists it, checked against its certificates. */
export interface WorkspaceInfo {
    readonly workspaceId: WorkspaceId;
    /** From the root manifest; undefined until its first manifest opened. */
    readonly name: string | undefined;
    readonly role: WorkspaceRole;
    readonly members: readonly WorkspaceMemberInfo[];
    readonly keyIndex: number;
    readonly sync: SyncState;
    /** A revoked member is newer than the current key (derived from certificates). */
    readonly needsReencryption: boolean;
    /** The revoked users who could still read its current key (named where this user may see names): why it needs re-encryption. */
    readonly revokedMembers: readonly { readonly userId: UserId; readonly label?: string }[];
    /** This user may run its re-encryption: an Owner, or with every Owner revoked, of the highest role left (protocol's reencryptionRunners). */
    readonly mayReencrypt: boolean;
    /** A re-encryption runs (its rotation is done): writes wait, reads go on. */
    readonly reencrypting: boolean;
}

/** One change of a role: a grant, a change, or a removal (`role: null`). */
export interface RoleChange {
    readonly userId: UserId;
    readonly role: WorkspaceRole | null;
}

/** Why an operation was refused, in terms a file system and a person understand. */
export type WorkspaceErrorCode =
    | 'FileNotFound' | 'FileExists' | 'FileNotADirectory' | 'FileIsADirectory'
    /** The role does not allow it (a Reader writing), or a rule of roles refused it. */
    | 'NoPermissions'
    /** Not connected and nothing cached for it. */
    | 'Unavailable'
    | 'Cancelled';

export class WorkspaceError extends Error {
    constructor(readonly code: WorkspaceErrorCode, message: string,
        /** The server's refusal it stands for, when it is one: the workbench says it in its own words. */
        readonly refusal?: ApiError) {
        super(message);
        this.name = 'WorkspaceError';
    }
}

export interface FileStat {
    readonly type: 'file' | 'folder';
    readonly size: number;
    /** ms since epoch. */
    readonly mtime: number;
    readonly ctime: number;
}

export interface FileChange {
    readonly type: 'added' | 'updated' | 'deleted';
    readonly path: string;
}

export interface TransferOptions {
    /** Bytes done and total, as blocks go. */
    readonly onProgress?: (done: number, total: number) => void;
    readonly token?: CancellationToken;
}

/** An opened workspace: a file system over its encrypted manifests and blocks, kept in sync. */
export interface WorkspaceFiles extends Disposable {
    readonly workspaceId: WorkspaceId;
    /** Readers may not write: every write throws NoPermissions. */
    readonly readonly: boolean;
    readonly state: SyncState;
    readonly onDidChangeState: Event<SyncState>;
    /** Local and remote changes, once applied to what this client sees. */
    readonly onDidChangeFiles: Event<readonly FileChange[]>;

    stat(path: string): Promise<FileStat>;
    readdir(path: string): Promise<[name: string, type: 'file' | 'folder'][]>;
    readFile(path: string, options?: TransferOptions): Promise<Uint8Array>;
    /** The file block by block, never whole in memory. */
    readFileStream(path: string, options?: TransferOptions): AsyncIterable<Uint8Array>;
    /** `content` whole, or as chunks with the total size known in advance. */
    writeFile(path: string, content: Uint8Array | { readonly size: number; readonly chunks: AsyncIterable<Uint8Array> },
        options: { readonly create: boolean; readonly overwrite: boolean } & TransferOptions): Promise<void>;
    mkdir(path: string): Promise<void>;
    delete(path: string, options: { readonly recursive: boolean }): Promise<void>;
    rename(from: string, to: string, options: { readonly overwrite: boolean }): Promise<void>;
    /** Every path of the workspace's files (for quick open), from the manifests at hand. */
    files(): Promise<string[]>;
    /** Resolves once every local edit is accepted by the server (or rejects when it cannot be). */
    flush(): Promise<void>;
}

/** The workspaces of the unlocked device's user. */
export interface WorkspaceEngine extends Disposable {
    readonly workspaces: readonly WorkspaceInfo[];
    readonly onDidChangeWorkspaces: Event<readonly WorkspaceInfo[]>;
    refresh(): Promise<void>;
    /** Members and Administrators; the creator is its Owner. */
    create(name: string): Promise<WorkspaceId>;
    rename(workspaceId: WorkspaceId, name: string): Promise<void>;
    /** Grants the key list to new members; each refusal says why (the rules of checkWorkspaceChange). */
    share(workspaceId: WorkspaceId, changes: readonly RoleChange[]): Promise<void>;
    leave(workspaceId: WorkspaceId): Promise<void>;
    /** The same object for the same workspace while it is open. */
    open(workspaceId: WorkspaceId): Promise<WorkspaceFiles>;
}
