import { hash256 } from '../crypto/hash';
import { generateKeyExchangePair, sharedSecret } from '../crypto/key-exchange';
import { randomBytes } from '../crypto/random';
import { openSecretBox, SECRET_BOX_KEY_LENGTH, sealSecretBox } from '../crypto/secret-box';
import { concatBytes, fromBase64Url, toBase64Url, utf8Encode } from '../encoding';
import { UserId } from '../identity';
import { WorkspaceId } from '../certificates/certificate-types';

/**
 * A workspace's keys: one per index (0 at creation, one more at each rotation), 32 random bytes
 * each. Members receive the whole list sealed to their user key (X25519): the server stores
 * sealed copies only and cannot open them.
 */
export const WORKSPACE_KEY_LENGTH = SECRET_BOX_KEY_LENGTH;

export function newWorkspaceKey(): Uint8Array {
    return randomBytes(WORKSPACE_KEY_LENGTH);
}

/** What the key certificate carries: a MAC by the key over its place, so a member can tell the certified key from any other. */
export function workspaceKeyDigest(workspaceId: WorkspaceId, keyIndex: number, key: Uint8Array): string {
    return toBase64Url(hash256(utf8Encode(`vouch/workspace-key/v1\n${workspaceId}\n${keyIndex}`), key));
}

const SEAL_DOMAIN = 'vouch/workspace-keys/v1\n';

function sealingKey(secret: Uint8Array, ephemeralPublic: Uint8Array, recipientPublic: Uint8Array): Uint8Array {
    return hash256(concatBytes(utf8Encode(SEAL_DOMAIN), ephemeralPublic, recipientPublic), secret);
}

function boundTo(workspaceId: WorkspaceId, userId: UserId): Uint8Array {
    return utf8Encode(`${SEAL_DOMAIN}${workspaceId}\n${userId}`);
}

/**
 * The key list (index order) sealed to one member: an ephemeral X25519 key, then an
 * XChaCha20-Poly1305 box bound to the workspace and the member (a copy sealed for someone else,
 * or another workspace, does not open).
 */
export function sealKeyList(recipientPublicKey: Uint8Array, keys: readonly Uint8Array[], workspaceId: WorkspaceId, userId: UserId): string {
    const ephemeral = generateKeyExchangePair();
    const key = sealingKey(sharedSecret(ephemeral.privateKey, recipientPublicKey), ephemeral.publicKey, recipientPublicKey);
    return toBase64Url(concatBytes(ephemeral.publicKey, sealSecretBox(key, concatBytes(...keys), boundTo(workspaceId, userId))));
}

/** The key list sealed to this member, or undefined when it does not open (not theirs, altered). */
export function openKeyList(privateKey: Uint8Array, publicKey: Uint8Array, sealed: string, workspaceId: WorkspaceId, userId: UserId): Uint8Array[] | undefined {
    const bytes = fromBase64Url(sealed);
    if (!bytes || bytes.length < 32) {
        return undefined;
    }
    const ephemeralPublic = bytes.subarray(0, 32);
    const key = sealingKey(sharedSecret(privateKey, ephemeralPublic), ephemeralPublic, publicKey);
    const opened = openSecretBox(key, bytes.subarray(32), boundTo(workspaceId, userId));
    if (!opened || opened.length % WORKSPACE_KEY_LENGTH !== 0) {
        return undefined;
    }
    return Array.from({ length: opened.length / WORKSPACE_KEY_LENGTH }, (_, i) => opened.slice(i * WORKSPACE_KEY_LENGTH, (i + 1) * WORKSPACE_KEY_LENGTH));
}
