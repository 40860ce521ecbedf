import { blake2b } from '@noble/hashes/blake2b';
import { sharedSecret } from '../crypto/key-exchange';
import { randomBytes } from '../crypto/random';
import { openSecretBox, sealSecretBox } from '../crypto/secret-box';
import { concatBytes, utf8Encode } from '../encoding';

/**
 * The cryptography of a greeting (SAS exchange), shared by host and guest. Two people who can
 * hear each other compare short codes derived from both sides' ephemeral keys and nonces: a
 * server (or anyone) relaying between them holds a different key with each side, so the codes
 * differ and the people notice. The guest commits to its nonce before it sees the host's,
 * so a relay cannot grind nonces until the codes happen to match.
 */

export const GREETING_NONCE_LENGTH = 32;
/** 32 characters without look-alikes (no I, O, 0, 1): 5 bits each. */
export const SAS_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const SAS_CODE_LENGTH = 4;
export const SAS_CANDIDATES = 4;

const KEY_CONTEXT = utf8Encode('vouch/greeting/v1/key');
const SAS_CONTEXT = utf8Encode('vouch/greeting/v1/sas');
const COMMITMENT_CONTEXT = utf8Encode('vouch/greeting/v1/commitment');

export function newGreetingNonce(): Uint8Array {
    return randomBytes(GREETING_NONCE_LENGTH);
}

/**
 * The key both sides share: BLAKE2b keyed with the X25519 secret, over both public keys in a
 * fixed order (host first), so each side's key is bound to the exact keys it saw.
 */
export function greetingSharedKey(ownPrivateKey: Uint8Array, peerPublicKey: Uint8Array, hostPublicKey: Uint8Array, guestPublicKey: Uint8Array): Uint8Array {
    const secret = sharedSecret(ownPrivateKey, peerPublicKey);
    return blake2b(concatBytes(KEY_CONTEXT, hostPublicKey, guestPublicKey), { dkLen: 32, key: secret });
}

/** What the guest posts first: a hash of its nonce, revealed only after the host's nonce. */
export function nonceCommitment(nonce: Uint8Array): Uint8Array {
    return blake2b(concatBytes(COMMITMENT_CONTEXT, nonce), { dkLen: 32 });
}

export function commitmentMatches(commitment: Uint8Array, nonce: Uint8Array): boolean {
    const expected = nonceCommitment(nonce);
    if (commitment.length !== expected.length) {
        return false;
    }
    let diff = 0;
    for (let i = 0; i < expected.length; i++) {
        diff |= expected[i] ^ commitment[i];
    }
    return diff === 0;
}

function codeFrom(bits: number): string {
    let code = '';
    for (let i = 0; i < SAS_CODE_LENGTH; i++) {
        code += SAS_ALPHABET[(bits >>> (5 * i)) & 31];
    }
    return code;
}

export interface SasCodes {
    /** The host reads it aloud; the guest picks it. */
    readonly hostCode: string;
    /** The guest reads it aloud; the host picks it. */
    readonly guestCode: string;
}

/** Both codes, from a hash of both nonces keyed with the shared key. */
export function sasCodes(sharedKey: Uint8Array, hostNonce: Uint8Array, guestNonce: Uint8Array): SasCodes {
    const digest = blake2b(concatBytes(SAS_CONTEXT, hostNonce, guestNonce), { dkLen: 8, key: sharedKey });
    const word = (offset: number) => (digest[offset] | (digest[offset + 1] << 8) | (digest[offset + 2] << 16)) & 0xfffff;
    return { hostCode: codeFrom(word(0)), guestCode: codeFrom(word(3)) };
}

export function randomSasCode(): string {
    const bytes = randomBytes(3);
    return codeFrom((bytes[0] | (bytes[1] << 8) | (bytes[2] << 16)) & 0xfffff);
}

/** The right code among `count - 1` distinct random ones, in random order. */
export function sasCandidates(correct: string, count = SAS_CANDIDATES): string[] {
    const codes = new Set<string>([correct]);
    // Bounded: a collision among 2^20 codes is rare; 100 draws never all collide in practice.
    for (let i = 0; i < 100 && codes.size < count; i++) {
        codes.add(randomSasCode());
    }
    const out = [...codes];
    for (let i = out.length - 1; i > 0; i--) {
        const j = randomBytes(1)[0] % (i + 1);
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

/** Encrypts a step payload under the shared key, bound to the attempt and step. */
export function sealGreetingPayload(sharedKey: Uint8Array, attemptId: string, step: number, plaintext: Uint8Array): Uint8Array {
    return sealSecretBox(sharedKey, plaintext, utf8Encode(`vouch/greeting/v1/step\n${attemptId}\n${step}`));
}

export function openGreetingPayload(sharedKey: Uint8Array, attemptId: string, step: number, box: Uint8Array): Uint8Array | undefined {
    return openSecretBox(sharedKey, box, utf8Encode(`vouch/greeting/v1/step\n${attemptId}\n${step}`));
}
