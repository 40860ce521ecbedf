import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { Emitter } from '@theia/core/lib/common/event';
import {
    ApiError, BlockCipher, Certificate, decodeCertificate, DEFAULT_TIMESTAMP_BALLPARK_MS, DeviceId, FolderManifest, linkCertificates, LogPosition, newEntryId, newWorkspaceKey, openKeyList, openManifest,
    portableEd25519, positionAfter, reencryptionRunners, Reply, ROOT_ENTRY_ID, sealKeyList, sealManifest, sendAtLogPosition, SignatureScheme, Unlinked, UserId,
    WorkspaceId, workspaceKeyDigest, WorkspaceRole, WorkspaceRoles, WorkspaceSummary, webCryptoAesGcmBlockCipher
} from '@vouch/protocol';
import { z } from 'zod';
import { BlockCache } from './block-cache';
import {
    RoleChange, WorkspaceConnection, WorkspaceEngine, WorkspaceEngineRequest, workspaceEngineRequests, WorkspaceEngineResponses, WorkspaceError, WorkspaceFiles, WorkspaceIdentity, WorkspaceInfo, WorkspaceLocalStore
} from './workspace-engine-api';
import { REENCRYPTION_PAUSE, WorkspaceFilesImpl } from './workspace-files';
import { applyChange, CertifiedUser, certifiedKeys, certifyUser, ReplayedWorkspace, replayWorkspace, WorkspaceTrustStore } from './workspace-roles';

export interface WorkspaceEngineOptions {
    readonly connection: WorkspaceConnection;
    readonly identity: WorkspaceIdentity;
    readonly store: WorkspaceLocalStore;
    /** Verifies certificate signatures; the portable Ed25519 by default. */
    readonly signatureScheme?: SignatureScheme;
    /** Bytes of sealed blocks kept in the local store's cache (64 MiB by default). */
    readonly blockCacheBytes?: number;
    readonly now?: () => number;
}

export function createWorkspaceEngine(options: WorkspaceEngineOptions): WorkspaceEngine {
    return new WorkspaceEngineImpl(options);
}

/** What the local store keeps of a checked workspace, to list and open it offline. */
interface CachedAccess {
    readonly summary: WorkspaceSummary;
    readonly role: WorkspaceRole;
    readonly members: [UserId, WorkspaceRole][];
    readonly removedSinceKey: UserId[];
}

/** A workspace as this client checked it: its log replayed, its keys certified. */
interface CheckedWorkspace {
    readonly summary: WorkspaceSummary;
    readonly replayed: ReplayedWorkspace;
    readonly keys: Uint8Array[];
    readonly role: WorkspaceRole;
}

const USERS_PAGE = 200;
/** Where the local store keeps a workspace's checked role and sealed key list, beside its manifests. */
const ACCESS_KEY = 'access';
/** Stands for this device's verify key in the check a change passes before it is sent. */
const OWN_SIGNATURE = new Uint8Array(32);

/**
 * The workspaces of the unlocked device's user: listed by the server, believed only as far as
 * each workspace's log (replayed from the root key) and the certified key digests say.
 */
export class WorkspaceEngineImpl implements WorkspaceEngine {
    protected readonly connection: WorkspaceConnection;
    protected readonly identity: WorkspaceIdentity;
    protected readonly store: WorkspaceLocalStore;
    protected readonly cipher: BlockCipher;
    protected readonly scheme: SignatureScheme;
    protected readonly now: () => number;
    protected readonly cache: BlockCache;
    protected readonly trust: WorkspaceTrustStore;
    protected readonly users = new Map<UserId, CertifiedUser>();
    protected readonly checked = new Map<WorkspaceId, CheckedWorkspace>();
    protected readonly opened = new Map<WorkspaceId, Promise<WorkspaceFilesImpl>>();
    /** The opened workspaces whose opening finished. */
    protected readonly openFiles = new Map<WorkspaceId, WorkspaceFilesImpl>();
    protected readonly names = new Map<WorkspaceId, string>();
    /** Workspaces whose re-encryption has rotated their key and not finished: the server refuses their writes. */
    protected readonly maintenance = new Set<WorkspaceId>();
    protected infos: WorkspaceInfo[] = [];
    protected refreshing: Promise<void> | undefined;
    protected refreshAgain = false;
    protected readonly toDispose = new DisposableCollection();

    protected readonly onDidChangeWorkspacesEmitter = new Emitter<readonly WorkspaceInfo[]>();
    readonly onDidChangeWorkspaces = this.onDidChangeWorkspacesEmitter.event;

    constructor(options: WorkspaceEngineOptions) {
        this.connection = options.connection;
        this.identity = options.identity;
        this.store = options.store;
        // Part of the format (a block names no cipher): every member's client seals with it. Chosen by measurement (docs/decisions.md).
        this.cipher = webCryptoAesGcmBlockCipher;
        this.scheme = options.signatureScheme ?? portableEd25519;
        this.now = options.now ?? Date.now;
        this.cache = new BlockCache(this.store, options.blockCacheBytes ?? 64 * 1024 * 1024);
        this.trust = new WorkspaceTrustStore(this.identity.rootVerifyKey, this.scheme);
        this.toDispose.pushAll([
            this.onDidChangeWorkspacesEmitter,
            this.connection.onWorkspaceChanged(event => this.withOpen(event.workspaceId, files => files.remoteChanged(event.change))),
            this.connection.onWorkspacesChanged(() => this.refresh().catch(() => undefined)),
            // A revocation changes who is revoked, not the workspaces: the need is derived again from the users' certificates.
            this.connection.onReencryptionNeeded(() => this.refresh().catch(() => undefined)),
            this.connection.onWorkspaceMaintenance(event => this.maintenanceChanged(event.workspaceId, event.maintenance)),
            this.connection.onDidChangeConnected(connected => {
                for (const workspaceId of this.opened.keys()) {
                    this.withOpen(workspaceId, files => files.connectionChanged(connected));
                }
                if (connected) {
                    this.refresh().catch(() => undefined);
                }
            })
        ]);
    }

    get workspaces(): readonly WorkspaceInfo[] {
        return this.infos;
    }

    /** Writes stop for a re-encryption, or resume after it: opened files pause or sync again, and the list shows it. */
    protected maintenanceChanged(workspaceId: WorkspaceId, maintenance: boolean): void {
        if (maintenance) {
            this.maintenance.add(workspaceId);
        } else {
            this.maintenance.delete(workspaceId);
        }
        this.withOpen(workspaceId, files => files.maintenanceChanged(maintenance));
        if (maintenance) {
            this.publish();
        } else {
            // The run rotated the key and removed the revoked members: read the workspace again.
            this.refresh().catch(() => this.publish());
        }
    }

    protected withOpen(workspaceId: WorkspaceId, action: (files: WorkspaceFilesImpl) => void): void {
        this.opened.get(workspaceId)?.then(action, () => undefined);
    }

    // ---- Reading what the server says, and checking it ------------------------------------------

    protected async request<K extends WorkspaceEngineRequest>(name: K, payload: z.input<typeof workspaceEngineRequests[K]>): Promise<Reply<WorkspaceEngineResponses[K]>> {
        if (!this.connection.connected) {
            throw new WorkspaceError('Unavailable', 'Not connected to the organization server');
        }
        return this.connection.request(name, payload);
    }

    protected async value<T>(reply: Promise<Reply<T>>): Promise<T> {
        const got = await reply;
        if (!got.ok) {
            throw refusal(got.error);
        }
        return got.value;
    }

    /** These users as their certificates say (read again each time: a revocation may be new). */
    protected async loadUsers(userIds: Iterable<UserId>): Promise<void> {
        const ids = [...new Set(userIds)];
        for (let offset = 0; offset < ids.length; offset += USERS_PAGE) {
            const got = await this.value(this.request('users.get', { userIds: ids.slice(offset, offset + USERS_PAGE) }));
            this.trust.addDeviceCertificates(got.authorDevices);
            for (const row of got.users) {
                const user = certifyUser(row, this.trust);
                if (user) {
                    this.users.set(user.userId, user);
                }
            }
        }
    }

    /** The users a workspace's log names: the roles' subjects and the authors' users. */
    protected usersNamedBy(served: WorkspaceRoles): UserId[] {
        this.trust.addDeviceCertificates(served.authorDevices);
        const ids = new Set<UserId>([this.identity.userId]);
        for (const entry of served.certificates) {
            const decoded = decodeCertificate(entry.signed);
            if (!decoded.ok) {
                continue;
            }
            const content = decoded.value.content;
            if (content.kind === 'workspace_role') {
                ids.add(content.userId);
            }
            const author = content.author && this.trust.device(content.author);
            if (author) {
                ids.add(author.userId);
            }
        }
        return [...ids];
    }

    protected replayInputs(workspaceId: WorkspaceId) {
        return {
            workspaceId, rootVerifyKey: this.identity.rootVerifyKey, scheme: this.scheme,
            device: (deviceId: DeviceId) => this.trust.device(deviceId), user: (userId: UserId) => this.users.get(userId)
        };
    }

    /** One workspace's log replayed and its keys certified; undefined when this user is not in it by the log's word. */
    protected async check(summary: WorkspaceSummary, prefetched?: WorkspaceRoles): Promise<CheckedWorkspace | undefined> {
        const served = prefetched ?? await this.value(this.request('workspaces.roles', { workspaceId: summary.workspaceId }));
        if (!prefetched) {
            await this.loadUsers(this.usersNamedBy(served));
        }
        const replayed = replayWorkspace(served, this.replayInputs(summary.workspaceId), this.trust);
        if (!replayed.ok) {
            throw new WorkspaceError('Unavailable', `The workspace's roles do not check out: ${replayed.error.message}`);
        }
        const role = replayed.value.roles.get(this.identity.userId);
        if (!role) {
            return undefined;
        }
        const opened = openKeyList(this.identity.userKey.privateKey, this.identity.userKey.publicKey, summary.sealedKeys, summary.workspaceId, this.identity.userId);
        const keys = opened && certifiedKeys(summary.workspaceId, opened, replayed.value.keyDigests);
        if (!keys || keys.length !== summary.keyIndex + 1) {
            throw new WorkspaceError('Unavailable', 'The workspace\'s key list does not match the keys its log certifies');
        }
        const access: CachedAccess = { summary, role, members: [...replayed.value.roles], removedSinceKey: [...replayed.value.removedSinceKey] };
        await this.store.put('manifests', `${summary.workspaceId}/${ACCESS_KEY}`, new TextEncoder().encode(JSON.stringify(access)));
        return { summary, replayed: replayed.value, keys, role };
    }

    async refresh(): Promise<void> {
        if (!this.connection.connected) {
            return this.listFromStore();
        }
        if (this.refreshing) {
            this.refreshAgain = true;
            return this.refreshing;
        }
        this.refreshing = (async () => {
            do {
                this.refreshAgain = false;
                await this.refreshOnce();
            } while (this.refreshAgain);
        })().finally(() => { this.refreshing = undefined; });
        return this.refreshing;
    }

    protected async refreshOnce(): Promise<void> {
        const listed = await this.value(this.request('workspaces.list', {}));
        // Every workspace's log first, then the users they name in one go, then the replays.
        const served = new Map<WorkspaceId, WorkspaceRoles>();
        for (const summary of listed.workspaces) {
            const roles = await this.request('workspaces.roles', { workspaceId: summary.workspaceId });
            if (roles.ok) {
                served.set(summary.workspaceId, roles.value);
            }
        }
        await this.loadUsers([...served.values()].flatMap(roles => this.usersNamedBy(roles)));
        const seen = new Set<WorkspaceId>();
        for (const summary of listed.workspaces) {
            const roles = served.get(summary.workspaceId);
            if (!roles) {
                continue;
            }
            let checked: CheckedWorkspace | undefined;
            try {
                checked = await this.check(summary, roles);
            } catch (error) {
                // A workspace whose log or keys do not check out is not listed; the others still are.
                if (error instanceof WorkspaceError && error.code === 'Unavailable' && this.connection.connected) {
                    continue;
                }
                throw error;
            }
            if (!checked) {
                continue;
            }
            seen.add(summary.workspaceId);
            this.checked.set(summary.workspaceId, checked);
            const maintenance = summary.reencryption?.run?.keyIndex !== undefined;
            if (maintenance) {
                this.maintenance.add(summary.workspaceId);
            } else {
                this.maintenance.delete(summary.workspaceId);
            }
            this.withOpen(summary.workspaceId, files => {
                files.updateAccess(checked.role, checked.keys);
                files.maintenanceChanged(maintenance);
            });
        }
        for (const workspaceId of [...this.checked.keys()]) {
            if (!seen.has(workspaceId)) {
                this.checked.delete(workspaceId);
                this.withOpen(workspaceId, files => files.dispose());
            }
        }
        this.publish();
    }

    protected publish(): void {
        this.infos = [...this.checked.values()].map(({ summary, replayed, role, keys }): WorkspaceInfo => {
            const members = [...replayed.roles].map(([userId, memberRole]) => ({ userId, role: memberRole }));
            const isRevoked = (userId: UserId) => this.users.get(userId)?.revokedOn !== undefined;
            const revokedMembers = [...new Set([...members.map(member => member.userId), ...replayed.removedSinceKey])].filter(isRevoked)
                .map(userId => ({ userId, ...(this.users.get(userId)?.label !== undefined ? { label: this.users.get(userId)!.label } : {}) }));
            return {
                workspaceId: summary.workspaceId,
                // The open workspace's root is the freshest; then the root the list carried; then what this client last set.
                name: this.openFiles.get(summary.workspaceId)?.name ?? this.listedName(summary, keys) ?? this.names.get(summary.workspaceId),
                role,
                members,
                keyIndex: summary.keyIndex,
                sync: this.maintenance.has(summary.workspaceId) ? { kind: 'paused', pending: 0, reason: REENCRYPTION_PAUSE }
                    : this.connection.connected ? { kind: 'synced' } : { kind: 'offline', pending: 0 },
                needsReencryption: revokedMembers.length > 0,
                revokedMembers,
                mayReencrypt: reencryptionRunners(members, isRevoked).userIds.includes(this.identity.userId),
                reencrypting: this.maintenance.has(summary.workspaceId)
            };
        });
        this.infos = this.infos.map(info => {
            const files = this.openFiles.get(info.workspaceId);
            return files ? { ...info, sync: files.state, name: files.name ?? info.name } : info;
        });
        this.onDidChangeWorkspacesEmitter.fire(this.infos);
    }

    /** The name on the sealed root folder the list carries; undefined when it does not open under the workspace's key. */
    protected listedName(summary: WorkspaceSummary, keys: readonly Uint8Array[]): string | undefined {
        const root = summary.root;
        const key = root && keys[root.keyIndex];
        const manifest = key && openManifest(key, { workspaceId: summary.workspaceId, entryId: ROOT_ENTRY_ID, keyIndex: root.keyIndex }, root.blob);
        return manifest && manifest.kind === 'folder' ? manifest.name : undefined;
    }

    protected need(workspaceId: WorkspaceId): CheckedWorkspace {
        const checked = this.checked.get(workspaceId);
        if (!checked) {
            throw new WorkspaceError('FileNotFound', 'This workspace does not exist, or is not shared with you (any more)');
        }
        return checked;
    }

    // ---- Changing workspaces ----------------------------------------------------------------

    protected async sign(contents: Unlinked<Certificate>[], previous: string | null) {
        return this.identity.sign(linkCertificates<Certificate>(contents, previous));
    }

    async create(name: string): Promise<WorkspaceId> {
        if (!name.trim() || name.length > 255) {
            throw new WorkspaceError('NoPermissions', 'A workspace needs a name of 1 to 255 characters');
        }
        if (!this.users.has(this.identity.userId)) {
            await this.loadUsers([this.identity.userId]);
        }
        if (this.users.get(this.identity.userId)?.profile === 'EXTERNAL') {
            throw new WorkspaceError('NoPermissions', 'External users cannot create workspaces');
        }
        const workspaceId = newEntryId();
        const key = newWorkspaceKey();
        const timestamp = this.now();
        const common = { version: 1 as const, author: this.identity.deviceId, timestamp, workspaceId };
        const certificates = await this.sign([
            { kind: 'workspace_role', ...common, userId: this.identity.userId, role: 'OWNER' },
            { kind: 'workspace_key', ...common, keyIndex: 0, keyDigest: workspaceKeyDigest(workspaceId, 0, key) }
        ], null);
        const root: FolderManifest = { kind: 'folder', name: name.trim(), children: {}, updated: timestamp, updatedBy: this.identity.deviceId };
        await this.value(this.request('workspaces.create', {
            workspaceId, certificates, sealedKeys: sealKeyList(this.identity.userKey.publicKey, [key], workspaceId, this.identity.userId),
            root: { blob: sealManifest(key, { workspaceId, entryId: ROOT_ENTRY_ID, keyIndex: 0 }, root) }
        }));
        this.names.set(workspaceId, root.name!);
        await this.refresh();
        return workspaceId;
    }

    async rename(workspaceId: WorkspaceId, name: string): Promise<void> {
        const { role } = this.need(workspaceId);
        if (role !== 'OWNER' && role !== 'MANAGER') {
            throw new WorkspaceError('NoPermissions', 'Only Owners and Managers rename a workspace');
        }
        if (!name.trim() || name.length > 255) {
            throw new WorkspaceError('NoPermissions', 'A workspace needs a name of 1 to 255 characters');
        }
        const files = await this.openImpl(workspaceId);
        await files.renameWorkspace(name.trim());
        this.names.set(workspaceId, name.trim());
        if (this.connection.connected) {
            await files.flush();
        }
        this.publish();
    }

    async share(workspaceId: WorkspaceId, changes: readonly RoleChange[]): Promise<void> {
        if (changes.length === 0) {
            return;
        }
        let checked = this.need(workspaceId);
        const fresh = await this.check(checked.summary);
        if (!fresh) {
            throw new WorkspaceError('NoPermissions', 'You are no longer a member of this workspace');
        }
        checked = fresh;
        // Read again: a target's revocation may be newer than what this client saw.
        await this.loadUsers(changes.map(change => change.userId));
        for (const change of changes) {
            if (!this.users.has(change.userId)) {
                throw new WorkspaceError('NoPermissions', `The user ${change.userId} is not part of the organization`);
            }
        }
        // This device's own signature is not what the check before sending is about (the server
        // verifies it); the rules are. Its device certificate may not be among the authors yet.
        const replay = this.replayInputs(workspaceId);
        const own = { userId: this.identity.userId, verifyKey: OWN_SIGNATURE };
        const inputs = {
            ...replay,
            scheme: { ...this.scheme, verify: (key: Uint8Array, message: Uint8Array, signature: Uint8Array) => key === OWN_SIGNATURE || this.scheme.verify(key, message, signature) },
            device: (deviceId: DeviceId) => deviceId === this.identity.deviceId ? own : replay.device(deviceId)
        };
        const contentsAt = (position: LogPosition) => changes.map((change): Unlinked<Certificate> => ({
            kind: 'workspace_role', version: 1, author: this.identity.deviceId, timestamp: position.timestamp, workspaceId, userId: change.userId, role: change.role
        }));
        const granted = changes.filter(change => change.role !== null && !checked.replayed.roles.has(change.userId));
        const sealedKeys: Record<UserId, string> = {};
        for (const change of granted) {
            sealedKeys[change.userId] = sealKeyList(this.users.get(change.userId)!.publicKey, checked.keys, workspaceId, change.userId);
        }
        let state = checked.replayed;
        const send = async (position: LogPosition) => {
            const certificates = await this.sign(contentsAt(position), position.previous);
            // The same rules as the server's, so a refusal is explained before anything is sent.
            const local = applyChange({ ...state, head: { ...state.head, digest: position.previous } }, certificates, inputs, position.timestamp, DEFAULT_TIMESTAMP_BALLPARK_MS);
            if (!local.ok && local.error.code !== 'CERTIFICATE_LOG_HEAD_MOVED' && local.error.code !== 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP') {
                throw new WorkspaceError('NoPermissions', local.error.message);
            }
            return this.request('workspaces.share', { workspaceId, certificates, sealedKeys });
        };
        const first = positionAfter({ digest: state.head.digest, timestamp: state.head.timestamp }, this.now());
        const reply = await sendAtLogPosition(first, async position => {
            const got = await send(position);
            if (!got.ok && (got.error.code === 'CERTIFICATE_LOG_HEAD_MOVED' || got.error.code === 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP')) {
                const again = await this.check(checked.summary);
                if (again) {
                    state = again.replayed;
                }
            }
            return got;
        }, 3, this.now);
        if (!reply.ok) {
            throw refusal(reply.error);
        }
        await this.refresh();
    }

    async leave(workspaceId: WorkspaceId): Promise<void> {
        await this.share(workspaceId, [{ userId: this.identity.userId, role: null }]);
        (await this.opened.get(workspaceId)?.catch(() => undefined))?.dispose();
        this.opened.delete(workspaceId);
        for (const area of ['manifests', 'pending'] as const) {
            for (const key of await this.store.keys(area, `${workspaceId}/`)) {
                await this.store.delete(area, key);
            }
        }
        await this.cache.drop(`${workspaceId}/`);
        this.checked.delete(workspaceId);
        this.publish();
    }

    // ---- Opening ----------------------------------------------------------------------------

    async open(workspaceId: WorkspaceId): Promise<WorkspaceFiles> {
        return this.openImpl(workspaceId);
    }

    protected openImpl(workspaceId: WorkspaceId): Promise<WorkspaceFilesImpl> {
        let opened = this.opened.get(workspaceId);
        if (!opened) {
            opened = this.openNew(workspaceId);
            this.opened.set(workspaceId, opened);
            opened.catch(() => this.opened.delete(workspaceId));
        }
        return opened;
    }

    protected async openNew(workspaceId: WorkspaceId): Promise<WorkspaceFilesImpl> {
        let checked = this.checked.get(workspaceId);
        if (!checked && this.connection.connected) {
            await this.refresh();
            checked = this.checked.get(workspaceId);
        }
        // Offline, what this device checked last time; online, only what checks out now.
        const found = checked ?? (this.connection.connected ? undefined : await this.cachedAccess(workspaceId));
        const role = found?.role;
        const keys = found?.keys;
        if (!role || !keys) {
            throw new WorkspaceError(this.connection.connected ? 'FileNotFound' : 'Unavailable', 'This workspace does not exist, or is not shared with you (any more)');
        }
        await this.cache.adopt(`${workspaceId}/`, 512 * 1024);
        const files = new WorkspaceFilesImpl({
            connection: this.connection, identity: this.identity, store: this.store, cipher: this.cipher, cache: this.cache, now: this.now,
            refreshKeys: async id => { await this.refresh(); return this.need(id).keys; },
            closed: id => {
                if (this.openFiles.get(id) === files) {
                    this.opened.delete(id);
                    this.openFiles.delete(id);
                }
            }
        }, workspaceId, role, keys);
        await files.load();
        files.onDidChangeState(() => this.publish());
        files.onDidChangeFiles(() => {
            if (files.name !== undefined && files.name !== this.names.get(workspaceId)) {
                this.names.set(workspaceId, files.name);
                this.publish();
            }
        });
        files.connectionChanged(this.connection.connected);
        files.maintenanceChanged(this.maintenance.has(workspaceId));
        this.openFiles.set(workspaceId, files);
        return files;
    }

    /**
     * Offline: the workspace as this device checked it last time — its listing (the key list sealed
     * to the user key, the root sealed under the workspace key: only this device opens them), its
     * role and members.
     */
    protected async cachedAccess(workspaceId: WorkspaceId): Promise<CheckedWorkspace | undefined> {
        const raw = await this.store.get('manifests', `${workspaceId}/${ACCESS_KEY}`);
        if (!raw) {
            return undefined;
        }
        const access = JSON.parse(new TextDecoder().decode(raw)) as CachedAccess;
        const keys = openKeyList(this.identity.userKey.privateKey, this.identity.userKey.publicKey, access.summary.sealedKeys, workspaceId, this.identity.userId);
        return keys && {
            summary: access.summary, keys, role: access.role,
            replayed: { roles: new Map(access.members), keyDigests: [], removedSinceKey: access.removedSinceKey, head: { digest: null, timestamp: undefined, index: 0 } }
        };
    }

    /** Offline: the workspaces this device listed last time, so they show and open (their edits sync once connected). */
    protected async listFromStore(): Promise<void> {
        for (const key of await this.store.keys('manifests', '')) {
            const workspaceId = key.slice(0, -`/${ACCESS_KEY}`.length);
            if (key.endsWith(`/${ACCESS_KEY}`) && !this.checked.has(workspaceId)) {
                const cached = await this.cachedAccess(workspaceId);
                if (cached) {
                    this.checked.set(workspaceId, cached);
                }
            }
        }
        this.publish();
    }

    dispose(): void {
        for (const opened of [...this.opened.values()]) {
            opened.then(files => files.dispose(), () => undefined);
        }
        this.toDispose.dispose();
    }
}

function refusal(error: ApiError): WorkspaceError {
    return new WorkspaceError(error.code === 'WORKSPACE_NOT_FOUND' ? 'FileNotFound' : error.code === 'INTERNAL_ERROR' ? 'Unavailable' : 'NoPermissions', error.message, error);
}
