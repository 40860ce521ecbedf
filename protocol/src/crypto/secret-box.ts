import { xchacha20poly1305 } from '@noble/ciphers/chacha';
import { concatBytes } from '../encoding';
import { randomBytes } from './random';

/**
 * XChaCha20-Poly1305 with a random 24-byte nonce stored in front of the ciphertext.
 * `associatedData` binds the box to its context (what it is, whose it is).
 */
export const SECRET_BOX_KEY_LENGTH = 32;
const NONCE_LENGTH = 24;

export function sealSecretBox(key: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
    const nonce = randomBytes(NONCE_LENGTH);
    return concatBytes(nonce, xchacha20poly1305(key, nonce, associatedData).encrypt(plaintext));
}

/** Returns undefined when the box was not sealed with this key and context, or was altered. */
export function openSecretBox(key: Uint8Array, box: Uint8Array, associatedData?: Uint8Array): Uint8Array | undefined {
    if (box.length < NONCE_LENGTH + 16) {
        return undefined;
    }
    try {
        return xchacha20poly1305(key, box.subarray(0, NONCE_LENGTH), associatedData).decrypt(box.subarray(NONCE_LENGTH));
    } catch {
        return undefined;
    }
}
