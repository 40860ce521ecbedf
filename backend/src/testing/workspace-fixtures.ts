import { Socket } from 'socket.io-client';
import {
    BLOCK_SIZE, Certificate, chainDigest, decodeCertificate, EntryId, fromBase64Url, linkCertificates, LogPosition, Manifest, newBlockKey, newEntryId,
    newWorkspaceKey, openKeyList, openManifest, portableBlockCipher, positionAfter, Reply, ROOT_ENTRY_ID, sealKeyList, sealManifest, signCertificate,
    toBase64Url, Unlinked, WorkspaceId, workspaceKeyDigest, WorkspaceRole, WorkspaceRoles, WorkspaceSummary
} from '@vouch/protocol';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { TestDevice } from './organization-fixtures';
import { expectOk, nextTimestamp, request } from './socket-harness';

/** Someone a workspace can be shared with: their user id and the public key their keys are sealed to. */
export interface Recipient {
    readonly userId: string;
    readonly userKey?: { readonly publicKey: Uint8Array };
}

/**
 * What a member's client does with a workspace, over a real socket: makes it, shares it, opens
 * its keys, reads and writes sealed manifests and blocks. The server only ever sees ciphertext.
 */
export class TestWorkspaceClient {
    constructor(readonly socket: Socket, readonly device: TestDevice) { }

    protected sign(contents: Unlinked<Certificate>[], previous: string | null): string[] {
        return linkCertificates<Certificate>(contents, previous).map(content => signCertificate(content, this.device.signingKey.secretKey, nodeEd25519));
    }

    /** Where the next certificate of the workspace's log goes, from its log as the server serves it. */
    async position(workspaceId: WorkspaceId): Promise<LogPosition> {
        const roles = await expectOk(request<WorkspaceRoles>(this.socket, 'workspaces.roles', { workspaceId }));
        const last = roles.certificates[roles.certificates.length - 1];
        const decoded = decodeCertificate(last.signed);
        if (!decoded.ok) { throw new Error('an undecodable certificate'); }
        return positionAfter({ digest: chainDigest(decoded.value.content), timestamp: decoded.value.content.timestamp }, nextTimestamp());
    }

    async create(name: string): Promise<{ workspaceId: WorkspaceId; keys: Uint8Array[] }> {
        const workspaceId = newEntryId();
        const key = newWorkspaceKey();
        const timestamp = nextTimestamp();
        const common = { version: 1 as const, author: this.device.deviceId, timestamp, workspaceId };
        const certificates = this.sign([
            { kind: 'workspace_role', ...common, userId: this.device.userId, role: 'OWNER' },
            { kind: 'workspace_key', ...common, keyIndex: 0, keyDigest: workspaceKeyDigest(workspaceId, 0, key) }
        ], null);
        const root: Manifest = { kind: 'folder', name, children: {}, updated: timestamp, updatedBy: this.device.deviceId };
        await expectOk(request(this.socket, 'workspaces.create', {
            workspaceId, certificates, sealedKeys: sealKeyList(this.device.userKey!.publicKey, [key], workspaceId, this.device.userId),
            root: { blob: sealManifest(key, { workspaceId, entryId: ROOT_ENTRY_ID, keyIndex: 0 }, root) }
        }));
        return { workspaceId, keys: [key] };
    }

    /** Grants, changes or removes a role; a new member gets the key list sealed to them. */
    async share(workspaceId: WorkspaceId, to: Recipient, role: WorkspaceRole | null, keys?: Uint8Array[]): Promise<Reply<{ members: number }>> {
        const position = await this.position(workspaceId);
        const certificates = this.sign([{ kind: 'workspace_role', version: 1, author: this.device.deviceId, timestamp: position.timestamp, workspaceId, userId: to.userId, role }], position.previous);
        const sealedKeys = keys && to.userKey ? { [to.userId]: sealKeyList(to.userKey.publicKey, keys, workspaceId, to.userId) } : {};
        return request(this.socket, 'workspaces.share', { workspaceId, certificates, sealedKeys });
    }

    async summary(workspaceId: WorkspaceId): Promise<WorkspaceSummary | undefined> {
        const listed = await expectOk(request<{ workspaces: WorkspaceSummary[] }>(this.socket, 'workspaces.list', {}));
        return listed.workspaces.find(one => one.workspaceId === workspaceId);
    }

    /** This member's key list, opened with their user key. */
    async keys(workspaceId: WorkspaceId): Promise<Uint8Array[]> {
        const summary = await this.summary(workspaceId);
        const keys = summary && openKeyList(this.device.userKey!.privateKey, this.device.userKey!.publicKey, summary.sealedKeys, workspaceId, this.device.userId);
        if (!keys) { throw new Error('no key list opens'); }
        return keys;
    }

    async manifests(workspaceId: WorkspaceId, keys: Uint8Array[], since = 0): Promise<Map<EntryId, { manifest: Manifest; version: number }>> {
        const page = await expectOk(request<{ manifests: { entryId: string; version: number; keyIndex: number; blob: string }[] }>(this.socket, 'workspaces.manifests', { workspaceId, since }));
        const out = new Map<EntryId, { manifest: Manifest; version: number }>();
        for (const stored of page.manifests) {
            const manifest = openManifest(keys[stored.keyIndex], { workspaceId, entryId: stored.entryId, keyIndex: stored.keyIndex }, stored.blob);
            if (!manifest) { throw new Error(`manifest ${stored.entryId} does not open`); }
            out.set(stored.entryId, { manifest, version: stored.version });
        }
        return out;
    }

    /** Writes a file (its blocks, then its manifest and the folder that names it). */
    async writeFile(workspaceId: WorkspaceId, keys: Uint8Array[], folder: { entryId: EntryId; manifest: Manifest & { kind: 'folder' }; version: number },
        name: string, content: Uint8Array): Promise<Reply<{ versions: Record<string, number>; change: number }>> {
        const keyIndex = keys.length - 1;
        const blocks = [];
        for (let offset = 0; offset < content.length || offset === 0; offset += BLOCK_SIZE) {
            const data = content.subarray(offset, offset + BLOCK_SIZE);
            const blockId = newEntryId();
            const blockKey = newBlockKey();
            await expectOk(request(this.socket, 'workspaces.putBlock', { workspaceId, blockId, data: await portableBlockCipher.seal(blockKey, workspaceId, blockId, data) }));
            blocks.push({ id: blockId, key: toBase64Url(blockKey), size: data.length });
            if (content.length === 0) { break; }
        }
        const fileId = newEntryId();
        const now = Date.now();
        const file: Manifest = { kind: 'file', size: content.length, blocks, updated: now, updatedBy: this.device.deviceId };
        const parent: Manifest = { ...folder.manifest, children: { ...folder.manifest.children, [name]: fileId }, updated: now, updatedBy: this.device.deviceId };
        return request(this.socket, 'workspaces.write', {
            workspaceId, entries: [
                { entryId: fileId, expectedVersion: 0, keyIndex, blob: sealManifest(keys[keyIndex], { workspaceId, entryId: fileId, keyIndex }, file) },
                { entryId: folder.entryId, expectedVersion: folder.version, keyIndex, blob: sealManifest(keys[keyIndex], { workspaceId, entryId: folder.entryId, keyIndex }, parent) }
            ]
        });
    }

    async readFile(workspaceId: WorkspaceId, manifest: Manifest & { kind: 'file' }): Promise<Uint8Array> {
        const parts: Uint8Array[] = [];
        for (const block of manifest.blocks) {
            const got = await expectOk(request<{ data: Uint8Array }>(this.socket, 'workspaces.getBlock', { workspaceId, blockId: block.id }));
            const opened = await portableBlockCipher.open(fromBase64Url(block.key)!, workspaceId, block.id, new Uint8Array(got.data));
            if (!opened) { throw new Error(`block ${block.id} does not open`); }
            parts.push(opened);
        }
        return Buffer.concat(parts);
    }
}
