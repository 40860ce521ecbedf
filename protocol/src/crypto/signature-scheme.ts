import { ed25519 } from '@noble/curves/ed25519';
import { randomBytes } from './random';

/**
 * Ed25519 as the protocol uses it: 32-byte secret seeds, 32-byte verify keys, 64-byte
 * signatures. The portable implementation runs everywhere; the server swaps in node:crypto
 * (see backend/src/crypto), which must give the same bytes.
 */
export interface SignatureScheme {
    readonly name: string;
    verifyKeyOf(secretKey: Uint8Array): Uint8Array;
    sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array;
    /** Never throws: a malformed key or signature is simply not valid. */
    verify(verifyKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export const ED25519_KEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

export const portableEd25519: SignatureScheme = {
    name: 'noble',
    verifyKeyOf: secretKey => ed25519.getPublicKey(secretKey),
    sign: (secretKey, message) => ed25519.sign(message, secretKey),
    verify: (verifyKey, message, signature) => {
        if (verifyKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) {
            return false;
        }
        try {
            // zip215: false gives RFC 8032 strict verification, the same set node:crypto (OpenSSL) accepts.
            return ed25519.verify(signature, message, verifyKey, { zip215: false });
        } catch {
            return false;
        }
    }
};

export interface SigningKeyPair {
    readonly secretKey: Uint8Array;
    readonly verifyKey: Uint8Array;
}

export function generateSigningKeyPair(scheme: SignatureScheme = portableEd25519): SigningKeyPair {
    const secretKey = randomBytes(ED25519_KEY_LENGTH);
    return { secretKey, verifyKey: scheme.verifyKeyOf(secretKey) };
}
