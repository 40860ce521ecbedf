import { createPrivateKey, generateKeyPairSync, KeyObject, sign } from 'crypto';
import { authChallengeMessage, DeviceHandshake, SignatureScheme, SigningKeyPair, toBase64Url } from '@vouch/protocol';
import { nodeEd25519 } from '@vouch/server';

/*
 * The backend's nodeEd25519 parses the DER-wrapped key again on every call. On this machine
 * createPrivateKey costs ≈ 0.37 ms, seven times an Ed25519 signature, so seeding 100,000 users
 * (4 signatures and 1 key pair each) and the client side of 3,000 handshakes spend most of
 * their time there. Same algorithm, same bytes: the KeyObject is parsed once and kept.
 */

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

const keyObjects = new Map<Uint8Array, KeyObject>();

function keyObjectOf(secretKey: Uint8Array): KeyObject {
    let key = keyObjects.get(secretKey);
    if (!key) {
        key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secretKey]), format: 'der', type: 'pkcs8' });
        keyObjects.set(secretKey, key);
    }
    return key;
}

/** nodeEd25519 with its private KeyObjects cached per secret key (by identity of the array). */
export const cachedEd25519: SignatureScheme = {
    ...nodeEd25519,
    name: 'node-cached',
    sign: (secretKey, message) => new Uint8Array(sign(null, message, keyObjectOf(secretKey)))
};

/**
 * A fresh Ed25519 key pair from OpenSSL's generator, as raw 32-byte keys (the tails of the DER
 * encodings). Encoded by the generator itself: exporting a generated KeyObject as JWK can
 * deadlock Node 20 when a GC runs during the export (seen here at ≈ 50,000 keys).
 */
export function newSigningKeyPair(): SigningKeyPair {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
        privateKeyEncoding: { format: 'der', type: 'pkcs8' },
        publicKeyEncoding: { format: 'der', type: 'spki' }
    });
    return { secretKey: new Uint8Array(privateKey.subarray(privateKey.length - 32)), verifyKey: new Uint8Array(publicKey.subarray(publicKey.length - 32)) };
}

/** The device handshake of organization-fixtures' signedHandshake, signed with the cached key. */
export function fastSignedHandshake(organizationId: string, device: { deviceId: string; signingKey: SigningKeyPair }, challenge: string): DeviceHandshake {
    return {
        organizationId, deviceId: device.deviceId, challenge,
        signature: toBase64Url(cachedEd25519.sign(device.signingKey.secretKey, authChallengeMessage(organizationId, device.deviceId, challenge)))
    };
}
