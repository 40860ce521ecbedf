import { Socket } from 'socket.io-client';
import { Emitter } from '@theia/core/lib/common/event';
import {
    Certificate, EntryId, fromBase64Url, Manifest, newEntryId, openKeyList, openManifest, ReencryptionNeededEvent, sealManifest, signCertificate, WorkspaceChangedEvent,
    WorkspaceId, WorkspaceMaintenanceEvent, WorkspacesChangedEvent, WorkspaceSummary
} from '@vouch/protocol';
import { nodeEd25519 } from '@vouch/server/lib/crypto/node-ed25519';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { expectOk, request } from '@vouch/server/lib/testing/socket-harness';
import { WorkspaceConnection, WorkspaceIdentity } from '@vouch/workspaces/lib/common/workspace-engine-api';

/** The engine's connection over a real Socket.IO client: requests by name, pushed events as Theia events. */
export class SocketWorkspaceConnection implements WorkspaceConnection {
    protected readonly changed = new Emitter<WorkspaceChangedEvent>();
    protected readonly listChanged = new Emitter<WorkspacesChangedEvent>();
    protected readonly connectedChanged = new Emitter<boolean>();
    protected readonly maintenance = new Emitter<WorkspaceMaintenanceEvent>();
    protected readonly needed = new Emitter<ReencryptionNeededEvent>();
    readonly onWorkspaceChanged = this.changed.event;
    readonly onWorkspacesChanged = this.listChanged.event;
    readonly onWorkspaceMaintenance = this.maintenance.event;
    readonly onReencryptionNeeded = this.needed.event;
    readonly onDidChangeConnected = this.connectedChanged.event;

    constructor(readonly socket: Socket) {
        socket.on('workspace.changed', (event: WorkspaceChangedEvent) => this.changed.fire(event));
        socket.on('workspaces.changed', (event: WorkspacesChangedEvent) => this.listChanged.fire(event));
        socket.on('workspace.maintenance', (event: WorkspaceMaintenanceEvent) => this.maintenance.fire(event));
        socket.on('workspaces.reencryptionNeeded', (event: ReencryptionNeededEvent) => this.needed.fire(event));
        socket.on('connect', () => this.connectedChanged.fire(true));
        socket.on('disconnect', () => this.connectedChanged.fire(false));
    }

    get connected(): boolean {
        return this.socket.connected;
    }

    /** Fails at once when the connection is gone or goes (a killed server), as the engine's host does. */
    request: WorkspaceConnection['request'] = (name, payload) => new Promise((resolve, reject) => {
        if (!this.socket.connected) {
            reject(new Error('not connected'));
            return;
        }
        const gone = () => reject(new Error('disconnected'));
        this.socket.once('disconnect', gone);
        this.socket.timeout(15_000).emitWithAck(name, payload).then(resolve, reject).finally(() => this.socket.off('disconnect', gone));
    });
}

/** A test device as the engine's identity. */
export function identityOf(device: TestDevice, rootVerifyKey: string): WorkspaceIdentity {
    return {
        userId: device.userId, deviceId: device.deviceId, userKey: device.userKey!, rootVerifyKey: fromBase64Url(rootVerifyKey)!,
        sign: async contents => contents.map(content => signCertificate(content as Certificate, device.signingKey.secretKey, nodeEd25519))
    };
}

export async function summaryOf(socket: Socket, workspaceId: WorkspaceId): Promise<WorkspaceSummary | undefined> {
    const listed = await expectOk(request<{ workspaces: WorkspaceSummary[] }>(socket, 'workspaces.list', {}));
    return listed.workspaces.find(one => one.workspaceId === workspaceId);
}

export async function keysOf(socket: Socket, device: TestDevice, workspaceId: WorkspaceId): Promise<Uint8Array[]> {
    const summary = await summaryOf(socket, workspaceId);
    const keys = summary && openKeyList(device.userKey!.privateKey, device.userKey!.publicKey, summary.sealedKeys, workspaceId, device.userId);
    if (!keys) { throw new Error('no key list opens'); }
    return keys;
}

export interface StoredRow {
    readonly entryId: EntryId;
    readonly version: number;
    readonly keyIndex: number;
    readonly blob: string;
}

/**
 * Every stored manifest of a workspace, page by page. A full page may end inside one change
 * number, and `nextSince` would skip that change's other manifests: each page starts again at
 * the last change it saw (writes here carry fewer manifests than a page).
 */
export async function allManifests(socket: Socket, workspaceId: WorkspaceId): Promise<StoredRow[]> {
    const out = new Map<EntryId, StoredRow>();
    let since = 0;
    for (let page = 0; page < 10_000; page++) {
        const got = await expectOk(request<{ manifests: (StoredRow & { change: number })[]; nextSince?: number }>(socket, 'workspaces.manifests', { workspaceId, since, limit: 500 }));
        got.manifests.forEach(row => out.set(row.entryId, row));
        if (got.nextSince === undefined) {
            return [...out.values()];
        }
        since = got.nextSince - 1;
    }
    throw new Error('too many pages');
}

/** Opens every manifest with these keys; returns the names of file manifests by entry, or throws on the first that does not open. */
export function openAll(rows: readonly StoredRow[], keys: readonly Uint8Array[], workspaceId: WorkspaceId): Map<EntryId, Manifest> {
    const out = new Map<EntryId, Manifest>();
    for (const row of rows) {
        const key = keys[row.keyIndex];
        const manifest = key && openManifest(key, { workspaceId, entryId: row.entryId, keyIndex: row.keyIndex }, row.blob);
        if (!manifest) { throw new Error(`manifest ${row.entryId} (key ${row.keyIndex}) does not open`); }
        out.set(row.entryId, manifest);
    }
    return out;
}

/** How many of these manifests some key of `keys` opens, under any key index: a revoked user's copy must open none. */
export function openedBy(rows: readonly StoredRow[], keys: readonly Uint8Array[], workspaceId: WorkspaceId): number {
    return rows.filter(row => keys.some(key => openManifest(key, { workspaceId, entryId: row.entryId, keyIndex: row.keyIndex }, row.blob) !== undefined)).length;
}

/** Adds `count` file manifests under the workspace's current key, 250 a write; returns their ids. */
export async function addManifests(socket: Socket, workspaceId: WorkspaceId, keys: readonly Uint8Array[], count: number, by: string): Promise<EntryId[]> {
    const keyIndex = keys.length - 1;
    const ids: EntryId[] = [];
    for (let offset = 0; offset < count; offset += 250) {
        const entries = Array.from({ length: Math.min(250, count - offset) }, (_, i) => {
            const entryId = newEntryId();
            ids.push(entryId);
            const manifest: Manifest = { kind: 'file', size: offset + i, blocks: [], updated: Date.now(), updatedBy: by };
            return { entryId, expectedVersion: 0, keyIndex, blob: sealManifest(keys[keyIndex], { workspaceId, entryId, keyIndex }, manifest) };
        });
        await expectOk(request(socket, 'workspaces.write', { workspaceId, entries }));
    }
    return ids;
}
