import { createPrivateKey, createPublicKey, sign, verify, KeyObject } from 'crypto';
import { ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH, SignatureScheme } from '@vouch/protocol';

// node:crypto only takes DER-wrapped keys; these fixed prefixes turn raw 32-byte keys into PKCS8 / SPKI.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Parsing a DER key costs more than the signature check itself, and the same device keys
 * come back on every connection: keep the parsed ones, a bounded number, oldest out first.
 */
const PARSED_KEYS_MAX = 10_000;
const publicKeys = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, raw: Uint8Array, parse: () => KeyObject): KeyObject {
    const id = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64');
    let key = cache.get(id);
    if (!key) {
        key = parse();
        if (cache.size >= PARSED_KEYS_MAX) {
            cache.delete(cache.keys().next().value!);
        }
        cache.set(id, key);
    }
    return key;
}

function privateKeyOf(secretKey: Uint8Array): KeyObject {
    if (secretKey.length !== ED25519_KEY_LENGTH) {
        throw new RangeError(`An Ed25519 secret key has ${ED25519_KEY_LENGTH} bytes`);
    }
    // Secret keys are not kept: the server signs rarely, and a cache of them would outlive their owners.
    return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' });
}

/** The server's fast path: same bytes as `portableEd25519`, about 20 times quicker. */
export const nodeEd25519: SignatureScheme = {
    name: 'node',
    verifyKeyOf(secretKey) {
        const spki = createPublicKey(privateKeyOf(secretKey)).export({ format: 'der', type: 'spki' });
        return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
    },
    sign(secretKey, message) {
        return new Uint8Array(sign(null, message, privateKeyOf(secretKey)));
    },
    verify(verifyKey, message, signature) {
        if (verifyKey.length !== ED25519_KEY_LENGTH || signature.length !== ED25519_SIGNATURE_LENGTH) {
            return false;
        }
        try {
            const key = cached(publicKeys, verifyKey, () => createPublicKey({ key: Buffer.concat([SPKI_PREFIX, verifyKey]), format: 'der', type: 'spki' }));
            return verify(null, message, key, signature);
        } catch {
            return false;
        }
    }
};
