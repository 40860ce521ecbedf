import { x25519 } from '@noble/curves/ed25519';
import { randomBytes } from './random';

/** X25519 key pair: a user's key for receiving sealed keys, or an ephemeral greeting key. */
export interface KeyExchangePair {
    readonly privateKey: Uint8Array;
    readonly publicKey: Uint8Array;
}

export const X25519_KEY_LENGTH = 32;

export function generateKeyExchangePair(): KeyExchangePair {
    const privateKey = randomBytes(X25519_KEY_LENGTH);
    return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}

export function publicKeyOf(privateKey: Uint8Array): Uint8Array {
    return x25519.getPublicKey(privateKey);
}

export function sharedSecret(privateKey: Uint8Array, peerPublicKey: Uint8Array): Uint8Array {
    return x25519.getSharedSecret(privateKey, peerPublicKey);
}
