import { Emitter } from '@theia/core/lib/common/event';
import {
    BlockCipher, EntryId, EntryIdSchema, FileManifest, FolderManifest, fromBase64Url, Manifest, MANIFESTS_PER_BATCH, newEntryId,
    openManifest, openSecretBox, Reply, ROOT_ENTRY_ID, sealManifest, sealSecretBox, toBase64Url, utf8Decode, utf8Encode, WorkspaceId, WorkspaceRole
} from '@vouch/protocol';
import { BlockCache } from './block-cache';
import { contentSize, FileContent } from './block-stream';
import { conflictCopyName, unusedName } from './conflict-names';
import { mergeFolder } from './manifest-merge';
import {
    FileChange, FileStat, SyncState, TransferOptions, WorkspaceConnection, WorkspaceEngineRequest, workspaceEngineRequests, WorkspaceEngineResponses, WorkspaceError,
    WorkspaceFiles, WorkspaceIdentity, WorkspaceLocalStore
} from './workspace-engine-api';
import { z } from 'zod';
import { callServer, ConnectionFault, refusal, WorkspaceBlocks } from './workspace-blocks';
import { joinPath, pathSegments, splitParent } from './workspace-paths';

/** What an opened workspace needs from the engine that opened it. */
export interface WorkspaceFilesHost {
    readonly connection: WorkspaceConnection;
    readonly identity: WorkspaceIdentity;
    readonly store: WorkspaceLocalStore;
    readonly cipher: BlockCipher;
    readonly cache: BlockCache;
    readonly now: () => number;
    /** The workspace's key list again from the server, checked against its log (after WORKSPACE_STALE_KEY). */
    refreshKeys(workspaceId: WorkspaceId): Promise<Uint8Array[]>;
    /** Called once when the files are disposed. */
    closed(workspaceId: WorkspaceId): void;
}

/** A manifest as the server stores it, opened. */
interface RemoteEntry {
    readonly version: number;
    readonly manifest: Manifest;
}

/** A change of this client not yet accepted by the server: the version it was made on, and that version's content (for merging). */
interface LocalEdit {
    readonly baseVersion: number;
    readonly base: Manifest | undefined;
    readonly manifest: Manifest;
    /** Bumped at each edit, so an edit made while an older one is on its way is not forgotten. */
    readonly revision: number;
}

interface PendingRecord {
    readonly baseVersion: number;
    readonly base?: Manifest;
    readonly manifest: Manifest;
}

/** Why an opened workspace's writes wait while a re-encryption runs (reads go on). */
export const REENCRYPTION_PAUSE = 're-encryption in progress';

const WRITE_ATTEMPTS = 20;
const RETRY_AFTER_FAULT_MS = 2000;
/** A write refused for now (a re-encryption, a fault of the server) is tried again this much later. */
const RESUME_AFTER_REFUSAL_MS = 5000;
/** Refusals that stay until the engine's next refresh (a new role, membership or key). */
const PAUSED_UNTIL_REFRESH: readonly string[] = ['NOT_ALLOWED', 'WORKSPACE_NOT_FOUND', 'BAD_PAYLOAD'];

/**
 * An opened workspace: the tree of its manifests as this client sees it (the server's versions
 * with this client's unsent edits on top), its files' blocks, and the loop that syncs both ways.
 *
 * Every edit is kept in the local store's 'pending' area (sealed under the workspace key) until
 * the server accepts it, so edits made offline or before a reload are never lost. A write the
 * server refuses because someone else wrote first is merged: folders keep both sides' entries,
 * a file changed on both sides keeps theirs under its name and this client's as a conflict copy.
 */
export class WorkspaceFilesImpl implements WorkspaceFiles {
    protected readonly remote = new Map<EntryId, RemoteEntry>();
    protected readonly local = new Map<EntryId, LocalEdit>();
    protected readonly blocks: WorkspaceBlocks;
    protected lastChange = 0;
    /** The newest change the server announced. */
    protected heardChange = 0;
    protected keys: Uint8Array[];
    protected role: WorkspaceRole;
    protected paused: string | undefined;
    /** A re-encryption runs: the server refuses writes, so edits stay queued until it ends. */
    protected maintenance = false;
    protected currentState: SyncState = { kind: 'synced' };
    protected running: Promise<void> | undefined;
    protected again = false;
    protected pullWanted = false;
    protected timer: ReturnType<typeof setTimeout> | undefined;
    protected resumeTimer: ReturnType<typeof setTimeout> | undefined;
    protected disposed = false;
    /** Entries whose edits wait to be kept in the store, and the turn that keeps them. */
    protected readonly toPersist = new Set<EntryId>();
    protected persisting: Promise<void> | undefined;

    protected readonly onDidChangeStateEmitter = new Emitter<SyncState>();
    readonly onDidChangeState = this.onDidChangeStateEmitter.event;
    protected readonly onDidChangeFilesEmitter = new Emitter<readonly FileChange[]>();
    readonly onDidChangeFiles = this.onDidChangeFilesEmitter.event;

    constructor(protected readonly host: WorkspaceFilesHost, readonly workspaceId: WorkspaceId, role: WorkspaceRole, keys: Uint8Array[]) {
        this.role = role;
        this.keys = keys;
        this.blocks = new WorkspaceBlocks(host, workspaceId);
    }

    get readonly(): boolean {
        return this.role === 'READER';
    }

    get state(): SyncState {
        return this.currentState;
    }

    protected get keyIndex(): number {
        return this.keys.length - 1;
    }

    // ---- Local store -------------------------------------------------------------------------

    protected manifestKey(entryId: string): string {
        return `${this.workspaceId}/${entryId}`;
    }

    protected pendingEntryKey(entryId: string): string {
        return `${this.workspaceId}/entry/${entryId}`;
    }

    protected pendingAd(entryId: string): Uint8Array {
        return utf8Encode(`vouch/pending/v1\n${this.workspaceId}\n${entryId}`);
    }

    protected async persistEdit(entryId: EntryId): Promise<void> {
        const edit = this.local.get(entryId);
        if (!edit) {
            await this.host.store.delete('pending', this.pendingEntryKey(entryId));
            return;
        }
        const record: PendingRecord = { baseVersion: edit.baseVersion, ...(edit.base ? { base: edit.base } : {}), manifest: edit.manifest };
        const box = sealSecretBox(this.keys[this.keyIndex], utf8Encode(JSON.stringify(record)), this.pendingAd(entryId));
        await this.host.store.put('pending', this.pendingEntryKey(entryId), utf8Encode(JSON.stringify({ keyIndex: this.keyIndex, box: toBase64Url(box) })));
    }

    /** What a previous session left: the server's manifests it saw, and its unsent edits and blocks. */
    async load(): Promise<void> {
        const prefix = `${this.workspaceId}/`;
        for (const key of await this.host.store.keys('manifests', prefix)) {
            const entryId = key.slice(prefix.length);
            if (!EntryIdSchema.safeParse(entryId).success) {
                continue;
            }
            const raw = await this.host.store.get('manifests', key);
            const stored = raw && JSON.parse(utf8Decode(raw)) as { version: number; keyIndex: number; blob: string; change: number };
            const manifest = stored && this.keys[stored.keyIndex] && openManifest(this.keys[stored.keyIndex], { workspaceId: this.workspaceId, entryId, keyIndex: stored.keyIndex }, stored.blob);
            if (stored && manifest) {
                this.remote.set(entryId, { version: stored.version, manifest });
                this.lastChange = Math.max(this.lastChange, stored.change);
            }
        }
        for (const key of await this.host.store.keys('pending', `${prefix}entry/`)) {
            const entryId = key.slice(`${prefix}entry/`.length);
            const raw = await this.host.store.get('pending', key);
            const sealed = raw && JSON.parse(utf8Decode(raw)) as { keyIndex: number; box: string };
            const box = sealed && fromBase64Url(sealed.box);
            const opened = sealed && box && this.keys[sealed.keyIndex] && openSecretBox(this.keys[sealed.keyIndex], box, this.pendingAd(entryId));
            if (opened) {
                const record = JSON.parse(utf8Decode(opened)) as PendingRecord;
                this.local.set(entryId, { baseVersion: record.baseVersion, base: record.base, manifest: record.manifest, revision: 1 });
            }
        }
        await this.blocks.load();
        this.updateState();
    }

    // ---- The tree as this client sees it -----------------------------------------------------

    protected view(entryId: EntryId): Manifest | undefined {
        return this.local.get(entryId)?.manifest ?? this.remote.get(entryId)?.manifest;
    }

    protected find(path: string): { entryId: EntryId; manifest: Manifest } | undefined {
        let entryId = ROOT_ENTRY_ID;
        let manifest = this.view(entryId);
        for (const name of pathSegments(path)) {
            if (!manifest || manifest.kind !== 'folder' || !(name in manifest.children)) {
                return undefined;
            }
            entryId = manifest.children[name];
            manifest = this.view(entryId);
        }
        return manifest && { entryId, manifest };
    }

    protected need(path: string): { entryId: EntryId; manifest: Manifest } {
        const found = this.find(path);
        if (!found) {
            if (!this.view(ROOT_ENTRY_ID)) {
                throw new WorkspaceError('Unavailable', 'This workspace has not been fetched yet and the server cannot be reached');
            }
            throw new WorkspaceError('FileNotFound', `${path} does not exist`);
        }
        return found;
    }

    protected needFolder(path: string): { entryId: EntryId; manifest: FolderManifest } {
        const found = this.need(path);
        if (found.manifest.kind !== 'folder') {
            throw new WorkspaceError('FileNotADirectory', `${path} is not a folder`);
        }
        return found as { entryId: EntryId; manifest: FolderManifest };
    }

    /** Every path with its entry, from the root down (the root itself included as '/'). */
    protected walk(): Map<string, { entryId: EntryId; manifest: Manifest }> {
        const out = new Map<string, { entryId: EntryId; manifest: Manifest }>();
        const root = this.view(ROOT_ENTRY_ID);
        if (!root) {
            return out;
        }
        const queue: [string, EntryId, Manifest][] = [['/', ROOT_ENTRY_ID, root]];
        const seen = new Set<EntryId>();
        for (let next = 0; next < queue.length; next++) {
            const [path, entryId, manifest] = queue[next];
            // A manifest that names an ancestor (or an entry twice) is shown once: a server cannot make the walk loop.
            if (seen.has(entryId)) {
                continue;
            }
            seen.add(entryId);
            out.set(path, { entryId, manifest });
            if (manifest.kind === 'folder') {
                for (const [name, childId] of Object.entries(manifest.children)) {
                    const child = this.view(childId);
                    if (child) {
                        queue.push([joinPath(path, name), childId, child]);
                    }
                }
            }
        }
        return out;
    }

    /** Runs `change` and tells listeners which paths it changed (by comparing the tree before and after). */
    protected async observed<T>(change: () => Promise<T>): Promise<T> {
        const before = this.walk();
        try {
            return await change();
        } finally {
            const after = this.walk();
            const changes: FileChange[] = [];
            for (const [path, entry] of after) {
                const old = before.get(path);
                if (!old) {
                    changes.push({ type: 'added', path });
                } else if (old.entryId !== entry.entryId || old.manifest !== entry.manifest) {
                    changes.push({ type: old.entryId !== entry.entryId || old.manifest.kind !== entry.manifest.kind ? 'added' : 'updated', path });
                }
            }
            for (const path of before.keys()) {
                if (!after.has(path)) {
                    changes.push({ type: 'deleted', path });
                }
            }
            this.fireChanges(changes);
        }
    }

    protected fireChanges(changes: FileChange[]): void {
        if (changes.length > 0 && !this.disposed) {
            this.onDidChangeFilesEmitter.fire(changes);
        }
    }

    // ---- Reading -----------------------------------------------------------------------------

    async stat(path: string): Promise<FileStat> {
        await this.ready();
        const { manifest } = this.need(path);
        return { type: manifest.kind, size: manifest.kind === 'file' ? manifest.size : 0, mtime: manifest.updated, ctime: manifest.updated };
    }

    async readdir(path: string): Promise<[name: string, type: 'file' | 'folder'][]> {
        await this.ready();
        const { manifest } = this.needFolder(path);
        const out: [string, 'file' | 'folder'][] = [];
        for (const [name, childId] of Object.entries(manifest.children)) {
            const child = this.view(childId);
            if (child) {
                out.push([name, child.kind]);
            }
        }
        return out.sort(([a], [b]) => a.localeCompare(b));
    }

    async files(): Promise<string[]> {
        await this.ready();
        return [...this.walk()].filter(([, entry]) => entry.manifest.kind === 'file').map(([path]) => path);
    }

    async readFile(path: string, options: TransferOptions = {}): Promise<Uint8Array> {
        await this.ready();
        const file = this.needFile(path);
        const out = new Uint8Array(file.size);
        let offset = 0;
        for await (const data of this.blocks.read(file, options)) {
            out.set(data, offset);
            offset += data.length;
        }
        return out;
    }

    readFileStream(path: string, options: TransferOptions = {}): AsyncIterable<Uint8Array> {
        return { [Symbol.asyncIterator]: () => this.streamFile(path, options) };
    }

    protected async *streamFile(path: string, options: TransferOptions): AsyncGenerator<Uint8Array> {
        await this.ready();
        yield* this.blocks.read(this.needFile(path), options);
    }

    protected needFile(path: string): FileManifest {
        const { manifest } = this.need(path);
        if (manifest.kind !== 'file') {
            throw new WorkspaceError('FileIsADirectory', `${path} is a folder`);
        }
        return manifest;
    }

    // ---- Writing -----------------------------------------------------------------------------

    protected checkWritable(): void {
        if (this.readonly) {
            throw new WorkspaceError('NoPermissions', 'Readers of a workspace cannot change it');
        }
    }

    protected stamp<M extends Manifest>(manifest: M): M {
        return { ...manifest, updated: this.host.now(), updatedBy: this.host.identity.deviceId };
    }

    /** Records an edit of an entry; resolves once it is kept in the store (the operation returns after that). */
    protected edit(entryId: EntryId, manifest: Manifest): Promise<void> {
        const existing = this.local.get(entryId);
        const remote = this.remote.get(entryId);
        this.local.set(entryId, existing
            ? { ...existing, manifest, revision: existing.revision + 1 }
            : { baseVersion: remote?.version ?? 0, base: remote?.manifest, manifest, revision: 1 });
        return this.persistSoon(entryId);
    }

    /**
     * Keeps the newest state of edited entries in the store, once for all the edits of one turn of
     * the event loop: many files written at once into one folder seal that folder once, not once each.
     */
    protected persistSoon(entryId: EntryId): Promise<void> {
        this.toPersist.add(entryId);
        this.persisting ??= new Promise<void>(resolve => setTimeout(resolve, 0)).then(async () => {
            const entries = [...this.toPersist];
            this.toPersist.clear();
            this.persisting = undefined;
            for (const one of entries) {
                await this.persistEdit(one);
            }
        });
        return this.persisting;
    }

    protected withChild(folder: FolderManifest, name: string, entryId: EntryId | undefined): FolderManifest {
        const children = { ...folder.children };
        if (entryId === undefined) {
            delete children[name];
        } else {
            children[name] = entryId;
        }
        return this.stamp({ ...folder, children });
    }

    async mkdir(path: string): Promise<void> {
        await this.ready();
        this.checkWritable();
        const { parent, name } = splitParent(path);
        const folder = this.needFolder(parent);
        if (name in folder.manifest.children) {
            throw new WorkspaceError('FileExists', `${path} exists already`);
        }
        const entryId = newEntryId();
        await Promise.all([
            this.edit(entryId, this.stamp<FolderManifest>({ kind: 'folder', children: {}, updated: 0, updatedBy: '' })),
            this.edit(folder.entryId, this.withChild(folder.manifest, name, entryId))
        ]);
        this.fireChanges([{ type: 'added', path: joinPath(parent, name) }]);
        this.requestSync();
    }

    async writeFile(path: string, content: FileContent, options: { readonly create: boolean; readonly overwrite: boolean } & TransferOptions): Promise<void> {
        await this.ready();
        this.checkWritable();
        const target = () => {
            const { parent, name } = splitParent(path);
            const folder = this.needFolder(parent);
            const existingId = folder.manifest.children[name];
            const existing = existingId !== undefined ? this.view(existingId) : undefined;
            if (existing?.kind === 'folder') {
                throw new WorkspaceError('FileIsADirectory', `${path} is a folder`);
            }
            if (existing && !options.overwrite) {
                throw new WorkspaceError('FileExists', `${path} exists already`);
            }
            if (!existing && !options.create) {
                throw new WorkspaceError('FileNotFound', `${path} does not exist`);
            }
            return { folder, name, existingId: existing ? existingId : undefined };
        };
        target();
        const blocks = await this.blocks.write(content, options);
        // The tree may have moved on while the blocks went: the rules are checked again.
        const { folder, name, existingId } = target();
        const file = this.stamp<FileManifest>({ kind: 'file', size: contentSize(content), blocks, updated: 0, updatedBy: '' });
        const changed = joinPath(splitParent(path).parent, name);
        if (existingId) {
            await this.edit(existingId, file);
            this.fireChanges([{ type: 'updated', path: changed }]);
        } else {
            const entryId = newEntryId();
            await Promise.all([this.edit(entryId, file), this.edit(folder.entryId, this.withChild(folder.manifest, name, entryId))]);
            this.fireChanges([{ type: 'added', path: changed }]);
        }
        this.requestSync();
    }

    /** Seals and sends the content block by block (kept locally when the server cannot be reached); one block in memory at a time. */
    async delete(path: string, options: { readonly recursive: boolean }): Promise<void> {
        await this.ready();
        this.checkWritable();
        const { parent, name } = splitParent(path);
        const found = this.need(path);
        if (found.manifest.kind === 'folder' && !options.recursive && Object.keys(found.manifest.children).length > 0) {
            throw new WorkspaceError('NoPermissions', `The folder ${path} is not empty`);
        }
        const folder = this.needFolder(parent);
        await this.observed(() => this.edit(folder.entryId, this.withChild(folder.manifest, name, undefined)));
        this.requestSync();
    }

    async rename(from: string, to: string, options: { readonly overwrite: boolean }): Promise<void> {
        await this.ready();
        this.checkWritable();
        const source = splitParent(from);
        const target = splitParent(to);
        const moving = this.need(from);
        const toSegments = pathSegments(to);
        const fromSegments = pathSegments(from);
        if (fromSegments.length <= toSegments.length && fromSegments.every((segment, i) => toSegments[i] === segment)) {
            if (fromSegments.length === toSegments.length) {
                return;
            }
            throw new WorkspaceError('NoPermissions', `${from} cannot be moved into itself`);
        }
        const targetFolder = this.needFolder(target.parent);
        const existingId = targetFolder.manifest.children[target.name];
        if (existingId !== undefined && this.view(existingId)) {
            if (!options.overwrite) {
                throw new WorkspaceError('FileExists', `${to} exists already`);
            }
        }
        await this.observed(async () => {
            if (source.parent === target.parent || targetFolder.entryId === this.needFolder(source.parent).entryId) {
                const folder = targetFolder.manifest;
                const children = { ...folder.children };
                delete children[source.name];
                children[target.name] = moving.entryId;
                await this.edit(targetFolder.entryId, this.stamp({ ...folder, children }));
            } else {
                const sourceFolder = this.needFolder(source.parent);
                await Promise.all([
                    this.edit(sourceFolder.entryId, this.withChild(sourceFolder.manifest, source.name, undefined)),
                    this.edit(targetFolder.entryId, this.withChild(targetFolder.manifest, target.name, moving.entryId))
                ]);
            }
        });
        this.requestSync();
    }

    /** The workspace's name, on its root folder. */
    get name(): string | undefined {
        const root = this.view(ROOT_ENTRY_ID);
        return root?.kind === 'folder' ? root.name : undefined;
    }

    async renameWorkspace(name: string): Promise<void> {
        await this.ready();
        this.checkWritable();
        const root = this.needFolder('/');
        await this.edit(ROOT_ENTRY_ID, this.stamp({ ...root.manifest, name }));
        this.requestSync();
    }

    // ---- Sync --------------------------------------------------------------------------------

    /** Resolves once the root is known (fetched or cached); a first open waits for the first pull. */
    protected async ready(): Promise<void> {
        if (!this.view(ROOT_ENTRY_ID) && this.host.connection.connected) {
            this.pullWanted = true;
            await this.runSync();
        }
    }

    /**
     * A change pushed by the server: fetched by the next sync round unless it is one this client
     * wrote itself (its announcement may come before the write's reply).
     */
    remoteChanged(change: number): void {
        if (change > this.heardChange) {
            this.heardChange = change;
            this.requestSync(0);
        }
    }

    /** The connection came back (or went): catch up and send what waited. */
    connectionChanged(connected: boolean): void {
        if (connected) {
            this.pullWanted = true;
            this.requestSync(0);
        }
        this.updateState();
    }

    /**
     * A re-encryption started or ended (pushed, refused, or read from the list on reconnection).
     * When it ends, the queued edits go out by themselves (under the new key, fetched on refusal).
     */
    maintenanceChanged(maintenance: boolean): void {
        if (maintenance === this.maintenance) {
            return;
        }
        this.maintenance = maintenance;
        if (!maintenance) {
            this.pullWanted = true;
            this.requestSync(0);
        }
        this.updateState();
    }

    /** New role or keys from the engine's refresh. */
    updateAccess(role: WorkspaceRole, keys: Uint8Array[]): void {
        this.role = role;
        if (keys.length >= this.keys.length) {
            this.keys = keys;
        }
        if (role === 'READER' && this.local.size > 0) {
            this.paused = 'Your role in this workspace is now Reader: your unsent edits are kept, and sync if you may write again';
        } else if (this.paused && role !== 'READER') {
            this.paused = undefined;
            this.requestSync(0);
        }
        this.updateState();
    }

    protected requestSync(delayMs = 0): void {
        if (this.disposed) {
            return;
        }
        if (this.running) {
            this.again = true;
            return;
        }
        if (this.timer === undefined) {
            this.timer = setTimeout(() => {
                this.timer = undefined;
                this.runSync().catch(() => undefined);
            }, delayMs);
        }
    }

    protected resumeLater(): void {
        if (!this.disposed && this.resumeTimer === undefined) {
            this.resumeTimer = setTimeout(() => {
                this.resumeTimer = undefined;
                this.paused = undefined;
                this.requestSync();
            }, RESUME_AFTER_REFUSAL_MS);
        }
    }

    protected retryLater(): void {
        if (this.host.connection.connected && !this.disposed) {
            this.timer ??= setTimeout(() => { this.timer = undefined; this.pullWanted = true; this.runSync().catch(() => undefined); }, RETRY_AFTER_FAULT_MS);
        }
    }

    protected runSync(): Promise<void> {
        if (!this.running) {
            this.running = this.syncLoop().finally(() => {
                this.running = undefined;
                this.updateState();
                if (this.again) {
                    this.again = false;
                    this.requestSync();
                }
            });
        }
        return this.running;
    }

    protected async syncLoop(): Promise<void> {
        this.updateState();
        try {
            for (let round = 0; round < WRITE_ATTEMPTS && !this.disposed; round++) {
                if (!this.host.connection.connected) {
                    return;
                }
                if (this.pullWanted || this.heardChange > this.lastChange) {
                    this.pullWanted = false;
                    await this.pull();
                }
                if (this.readonly || this.paused || this.maintenance || (this.local.size === 0 && this.blocks.pending.size === 0)) {
                    if (!this.pullWanted && this.heardChange <= this.lastChange) {
                        return;
                    }
                    continue;
                }
                const outcome = await this.push();
                if (outcome === 'done' && !this.pullWanted && this.heardChange <= this.lastChange) {
                    return;
                }
            }
            // Rounds used up (others kept writing first): the edits stay, and another try comes later.
            this.retryLater();
        } catch (error) {
            if (error instanceof ConnectionFault) {
                // Still connected (a timeout): try again a little later; otherwise the reconnection does.
                this.retryLater();
                return;
            }
            throw error;
        }
    }

    protected call<K extends WorkspaceEngineRequest>(name: K, payload: z.input<typeof workspaceEngineRequests[K]>): Promise<Reply<WorkspaceEngineResponses[K]>> {
        return callServer(this.host.connection, name, payload);
    }

    /** Fetches the manifests changed since the newest this client saw. */
    protected async pull(): Promise<void> {
        const reachableBefore = new Map([...this.walk()].map(([path, entry]) => [entry.entryId, path]));
        await this.observed(async () => {
            let since = this.lastChange;
            for (let page = 0; page < 100_000; page++) {
                const reply = await this.call('workspaces.manifests', { workspaceId: this.workspaceId, since, limit: MANIFESTS_PER_BATCH });
                if (!reply.ok) {
                    throw refusal(reply.error);
                }
                const value = reply.value;
                for (const stored of value.manifests) {
                    if (stored.keyIndex >= this.keys.length) {
                        this.keys = await this.host.refreshKeys(this.workspaceId);
                    }
                    const key = this.keys[stored.keyIndex];
                    const manifest = key && openManifest(key, { workspaceId: this.workspaceId, entryId: stored.entryId, keyIndex: stored.keyIndex }, stored.blob);
                    // A manifest that does not open under its workspace's key was not written by a member: it is ignored.
                    if (manifest && stored.version > (this.remote.get(stored.entryId)?.version ?? 0)) {
                        this.remote.set(stored.entryId, { version: stored.version, manifest });
                        await this.host.store.put('manifests', this.manifestKey(stored.entryId), utf8Encode(JSON.stringify(stored)));
                    }
                    this.lastChange = Math.max(this.lastChange, stored.change);
                }
                if (value.nextSince === undefined) {
                    // The server read its newest change before these manifests: everything up to it is here.
                    this.lastChange = Math.max(this.lastChange, value.lastChange);
                    break;
                }
                since = value.nextSince;
            }
            await this.mergeWithRemote();
            await this.rescueEditsRemovedElsewhere(reachableBefore);
        });
    }

    /**
     * A file this client changed or made and has not sent, which another member's delete (of the
     * file or a folder above it) took out of the tree: put back at the root as a conflict copy, so the
     * edit is not lost. Only what this fetch removed (a delete made here is meant).
     */
    protected async rescueEditsRemovedElsewhere(reachableBefore: ReadonlyMap<EntryId, string>): Promise<void> {
        const edited = [...this.local].filter(([entryId, edit]) => edit.manifest.kind === 'file' && reachableBefore.has(entryId));
        if (edited.length === 0) {
            return;
        }
        const reachable = new Set([...this.walk().values()].map(entry => entry.entryId));
        for (const [entryId, edit] of edited) {
            if (reachable.has(entryId)) {
                continue;
            }
            const root = this.view(ROOT_ENTRY_ID);
            if (root?.kind !== 'folder') {
                return;
            }
            const name = splitParent(reachableBefore.get(entryId)!).name;
            const copyName = unusedName(conflictCopyName(name, this.author(), new Date(edit.manifest.updated)), candidate => candidate in root.children);
            await this.edit(ROOT_ENTRY_ID, this.withChild(root, copyName, entryId));
        }
    }

    /** Edits made on a version the server has replaced since: merged over the new version. */
    protected async mergeWithRemote(): Promise<void> {
        for (const entryId of [...this.local.keys()]) {
            // Read again: merging one entry may have changed another (a conflict copy added to its folder).
            const edit = this.local.get(entryId);
            const remote = this.remote.get(entryId);
            if (!edit || !remote || remote.version === edit.baseVersion) {
                continue;
            }
            if (edit.manifest.kind === 'folder' && remote.manifest.kind === 'folder') {
                const merged = mergeFolder(edit.base?.kind === 'folder' ? edit.base : undefined, edit.manifest, remote.manifest, (name, taken) =>
                    unusedName(conflictCopyName(name, this.author(), new Date(edit.manifest.updated)), taken));
                this.local.set(entryId, { baseVersion: remote.version, base: remote.manifest, manifest: merged, revision: edit.revision + 1 });
                await this.persistEdit(entryId);
            } else if (edit.manifest.kind === 'file' && remote.manifest.kind === 'file') {
                await this.keepAsConflictCopy(entryId, edit);
            } else {
                this.local.delete(entryId);
                await this.persistEdit(entryId);
            }
        }
    }

    /** Another member changed a file this client changed too: theirs keeps the name, this client's version goes beside it. */
    protected async keepAsConflictCopy(entryId: EntryId, edit: LocalEdit): Promise<void> {
        this.local.delete(entryId);
        await this.persistEdit(entryId);
        const parent = [...this.walk()].find(([, entry]) => entry.manifest.kind === 'folder' && Object.values(entry.manifest.children).includes(entryId));
        if (!parent) {
            return;
        }
        const folder = parent[1].manifest as FolderManifest;
        const name = Object.entries(folder.children).find(([, id]) => id === entryId)![0];
        const copyId = newEntryId();
        const copyName = unusedName(conflictCopyName(name, this.author(), new Date(edit.manifest.updated)), candidate => candidate in folder.children);
        this.local.set(copyId, { baseVersion: 0, base: undefined, manifest: edit.manifest, revision: 1 });
        await this.persistEdit(copyId);
        await this.edit(parent[1].entryId, this.withChild(folder, copyName, copyId));
    }

    protected author(): string {
        return this.host.identity.displayName ?? this.host.identity.userId;
    }

    /** Sends kept blocks, then every unsent edit; 'retry' when the server asks for a merge or new keys first. */
    protected async push(): Promise<'done' | 'retry'> {
        await this.blocks.sendWaiting();
        if (this.local.size === 0) {
            return 'done';
        }
        // A file whose blocks are not all on the server yet waits (its blocks were kept while this round began).
        const ready = [...this.local].filter(([, edit]) => edit.manifest.kind !== 'file' || !edit.manifest.blocks.some(block => this.blocks.pending.has(block.id)));
        if (ready.length === 0) {
            return 'retry';
        }
        // New entries first: when a change is too big for one write, no folder names an entry the server does not have.
        const edits = ready.sort(([, a], [, b]) => (a.baseVersion === 0 ? 0 : 1) - (b.baseVersion === 0 ? 0 : 1)).slice(0, MANIFESTS_PER_BATCH);
        const keyIndex = this.keyIndex;
        const entries = edits.map(([entryId, edit]) => ({
            entryId, expectedVersion: edit.baseVersion, keyIndex,
            blob: sealManifest(this.keys[keyIndex], { workspaceId: this.workspaceId, entryId, keyIndex }, edit.manifest)
        }));
        const reply = await this.call('workspaces.write', { workspaceId: this.workspaceId, entries });
        if (!reply.ok) {
            switch (reply.error.code) {
                case 'WORKSPACE_MANIFEST_CONFLICT':
                    this.pullWanted = true;
                    return 'retry';
                case 'WORKSPACE_STALE_KEY':
                    this.keys = await this.host.refreshKeys(this.workspaceId);
                    return 'retry';
                case 'WORKSPACE_REENCRYPTING':
                    // Not a refusal of these edits: they wait for the run's end (workspace.maintenance, or the next connection).
                    this.maintenance = true;
                    this.updateState();
                    return 'done';
                default:
                    this.paused = reply.error.message;
                    // Refused for now (a re-encryption runs, a fault of the server): edits are kept and tried
                    // again later. A role that no longer writes or a workspace gone waits for the refresh that says so.
                    if (!PAUSED_UNTIL_REFRESH.includes(reply.error.code)) {
                        this.resumeLater();
                    }
                    this.updateState();
                    return 'done';
            }
        }
        const { versions, change } = reply.value;
        for (const [entryId, edit] of edits) {
            const version = versions[entryId];
            const stored = { entryId, version, keyIndex, blob: entries.find(entry => entry.entryId === entryId)!.blob, change };
            this.remote.set(entryId, { version, manifest: edit.manifest });
            await this.host.store.put('manifests', this.manifestKey(entryId), utf8Encode(JSON.stringify(stored)));
            const now = this.local.get(entryId);
            if (now && now.revision === edit.revision) {
                this.local.delete(entryId);
                await this.persistEdit(entryId);
            } else if (now) {
                this.local.set(entryId, { ...now, baseVersion: version, base: edit.manifest });
                await this.persistEdit(entryId);
            }
        }
        // Our own write: the push that announces it brings nothing new.
        if (change === this.lastChange + 1) {
            this.lastChange = change;
        }
        this.updateState();
        return this.local.size === 0 ? 'done' : 'retry';
    }

    async flush(): Promise<void> {
        for (let round = 0; round < 1000; round++) {
            if (this.local.size === 0 && this.blocks.pending.size === 0 && !this.running && this.timer === undefined) {
                return;
            }
            if (!this.host.connection.connected) {
                throw new WorkspaceError('Unavailable', 'Not connected: the edits are kept and sync when the connection comes back');
            }
            if (this.paused) {
                throw new WorkspaceError('NoPermissions', this.paused);
            }
            if (this.maintenance) {
                throw new WorkspaceError('Unavailable', 'A re-encryption is in progress: the edits are kept and sync when it ends');
            }
            if (this.timer !== undefined) {
                clearTimeout(this.timer);
                this.timer = undefined;
            }
            await this.runSync();
        }
        throw new WorkspaceError('Unavailable', 'The edits could not be synced');
    }

    protected updateState(): void {
        const pending = this.local.size + (this.blocks.pending.size > 0 && this.local.size === 0 ? 1 : 0);
        const reason = this.paused ?? (this.maintenance ? REENCRYPTION_PAUSE : undefined);
        const next: SyncState = reason ? { kind: 'paused', pending, reason }
            : !this.host.connection.connected ? { kind: 'offline', pending }
                : pending > 0 || this.running ? { kind: 'syncing', files: pending }
                    : { kind: 'synced' };
        if (JSON.stringify(next) !== JSON.stringify(this.currentState)) {
            this.currentState = next;
            if (!this.disposed) {
                this.onDidChangeStateEmitter.fire(next);
            }
        }
    }

    dispose(): void {
        if (this.disposed) {
            return;
        }
        this.disposed = true;
        if (this.timer !== undefined) {
            clearTimeout(this.timer);
        }
        if (this.resumeTimer !== undefined) {
            clearTimeout(this.resumeTimer);
        }
        this.blocks.dispose();
        this.onDidChangeFilesEmitter.dispose();
        this.onDidChangeStateEmitter.dispose();
        this.host.closed(this.workspaceId);
    }
}

