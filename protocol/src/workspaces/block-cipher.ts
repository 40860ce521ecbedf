import { WorkspaceId } from '../certificates/certificate-types';
import { randomBytes } from '../crypto/random';
import { openSecretBox, sealSecretBox } from '../crypto/secret-box';
import { utf8Encode } from '../encoding';
import { EntryId } from './manifests';

/**
 * The authenticated cipher of file blocks, each under its own random key, bound to its workspace
 * and block id (a block served for another cannot be taken for it). An interface, so a faster
 * implementation with the same guarantees may serve a runtime (see docs/decisions.md).
 */
export interface BlockCipher {
    readonly name: string;
    seal(key: Uint8Array, workspaceId: WorkspaceId, blockId: EntryId, data: Uint8Array): Promise<Uint8Array>;
    /** undefined when the block does not open for this key and place. */
    open(key: Uint8Array, workspaceId: WorkspaceId, blockId: EntryId, sealed: Uint8Array): Promise<Uint8Array | undefined>;
}

export function newBlockKey(): Uint8Array {
    return randomBytes(32);
}

export function blockAd(workspaceId: WorkspaceId, blockId: EntryId): Uint8Array {
    return utf8Encode(`vouch/block/v1\n${workspaceId}\n${blockId}`);
}

/** XChaCha20-Poly1305 (@noble/ciphers): the same bytes in the browser, Electron and Node. */
export const portableBlockCipher: BlockCipher = {
    name: 'xchacha20poly1305',
    seal: async (key, workspaceId, blockId, data) => sealSecretBox(key, data, blockAd(workspaceId, blockId)),
    open: async (key, workspaceId, blockId, sealed) => openSecretBox(key, sealed, blockAd(workspaceId, blockId))
};
