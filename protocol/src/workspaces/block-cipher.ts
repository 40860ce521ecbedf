import { WorkspaceId } from '../certificates/certificate-types';
import { randomBytes } from '../crypto/random';
import { openSecretBox, sealSecretBox } from '../crypto/secret-box';
import { concatBytes, utf8Encode } from '../encoding';
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

const GCM_NONCE_LENGTH = 12;

/**
 * AES-256-GCM through WebCrypto (browsers, Electron, Node ≥ 19: native, hardware AES where the
 * CPU has it), a random 12-byte nonce in front. Each block has its own random key, so a key seals
 * one message only and GCM's nonce limits never come near.
 */
export const webCryptoAesGcmBlockCipher: BlockCipher = {
    name: 'aes-256-gcm',
    seal: async (key, workspaceId, blockId, data) => {
        const subtle = globalThis.crypto.subtle;
        const imported = await subtle.importKey('raw', key as BufferSource, 'AES-GCM', false, ['encrypt']);
        const iv = randomBytes(GCM_NONCE_LENGTH);
        const sealed = await subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: blockAd(workspaceId, blockId) as BufferSource }, imported, data as BufferSource);
        return concatBytes(iv, new Uint8Array(sealed));
    },
    open: async (key, workspaceId, blockId, sealed) => {
        if (sealed.length < GCM_NONCE_LENGTH + 16) {
            return undefined;
        }
        const subtle = globalThis.crypto.subtle;
        try {
            const imported = await subtle.importKey('raw', key as BufferSource, 'AES-GCM', false, ['decrypt']);
            const opened = await subtle.decrypt({ name: 'AES-GCM', iv: sealed.subarray(0, GCM_NONCE_LENGTH) as BufferSource, additionalData: blockAd(workspaceId, blockId) as BufferSource },
                imported, sealed.subarray(GCM_NONCE_LENGTH) as BufferSource);
            return new Uint8Array(opened);
        } catch {
            return undefined;
        }
    }
};
