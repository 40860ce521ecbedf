import {
    Certificate, chainDigest, subjectOf, DeviceCertificate, DeviceId, linkCertificates, newDeviceId, newUserId, randomBytes, redactedContent, signCertificate, SigningKeyPair, toBase64Url,
    UserCertificate, UserId
} from '@vouch/protocol';
import type { CertificateLogEntry, NewDeviceRecord, NewUserRecord } from '@vouch/server/lib/organization/organization-types';
import type { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { cachedEd25519, newSigningKeyPair } from './signing-keys';

/** What one batch needs: plain data, so it can cross to a worker thread. */
export interface BatchParams {
    readonly signer: { readonly userId: UserId; readonly deviceId: DeviceId; readonly secretKey: Uint8Array };
    /** Serial of the batch's first user (the administrator is 0); names and emails derive from it. */
    readonly firstSerial: number;
    readonly count: number;
    /** Log index of the certificate before the batch's first one. */
    readonly lastIndex: number;
    /** Timestamp of the batch's first certificates; each next user gets 1 ms more. */
    readonly firstTimestamp: number;
    /** Keep the device keys of this many first users (for the connect scenario). */
    readonly keepDevices: number;
    readonly searchSampleEvery: number;
}

/** A user the list scenario searches for: its last name (≈ 1 user in 8,000 has it) and email local part (exactly 1). */
export interface SearchTarget {
    readonly lastName: string;
    readonly emailPart: string;
}

/** A batch made and linked into the log (in order, on the main thread): what is left is signing. */
export interface UnsignedBatch {
    /** Certificates in log order, each naming the one before it. */
    readonly contents: Certificate[];
    readonly users: NewUserRecord[];
    readonly devices: NewDeviceRecord[];
    readonly kept: TestDevice[];
    readonly searchTargets: SearchTarget[];
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ne', 'to', 'su', 'vi', 'da', 'pe', 'lu', 'zo', 'ha', 'ri', 'mo', 'be', 'ta', 'no', 'si', 'gu'];

/** Deterministic per batch, so a run seeds the same names whatever the worker scheduling. */
function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/**
 * Makes a batch of users as organization-fixtures' newUserCertificates does (a user and a device
 * certificate each, by an administrator's device), with the keys of signing-keys.ts, linked
 * after `previous`, and shapes the rows OrganizationService writes for each. Linking is
 * sequential (each batch follows the last one); signing (`signBatch`) is what worker threads do.
 */
export function makeUserBatch(params: BatchParams, previous: string | null): UnsignedBatch {
    const random = prng(params.firstSerial * 7919 + 20261123);
    const word = (syllables: number) => Array.from({ length: syllables }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
    const { signer } = params;
    const batch: UnsignedBatch = { contents: [], users: [], devices: [], kept: [], searchTargets: [] };
    const unlinked: (Omit<UserCertificate, 'previous'> | Omit<DeviceCertificate, 'previous'>)[] = [];
    for (let i = 0; i < params.count; i++) {
        const serial = params.firstSerial + i;
        const first = word(2);
        const last = word(3);
        const email = `${first}.${last}.${serial}@bench.example`;
        const label = `${capitalize(first)} ${capitalize(last)}`;
        const timestamp = params.firstTimestamp + i;
        const index = params.lastIndex + 2 * i + 1;
        const signingKey: SigningKeyPair = newSigningKeyPair();
        const user: Omit<UserCertificate, 'previous'> = {
            kind: 'user', version: 1, author: signer.deviceId, timestamp, userId: newUserId(),
            humanHandle: { email, label }, publicKey: toBase64Url(randomBytes(32)), profile: random() < 0.1 ? 'ADMINISTRATOR' : 'MEMBER'
        };
        const device: Omit<DeviceCertificate, 'previous'> = {
            kind: 'device', version: 1, author: signer.deviceId, timestamp, userId: user.userId, deviceId: newDeviceId(),
            deviceLabel: 'Laptop', verifyKey: toBase64Url(signingKey.verifyKey)
        };
        unlinked.push(user, device);
        batch.users.push({
            userId: user.userId, email, label, profile: user.profile, createdOn: timestamp,
            createdBy: signer.userId, createdByDevice: signer.deviceId, certificateIndex: index
        });
        batch.devices.push({
            deviceId: device.deviceId, userId: user.userId, label: 'Laptop', verifyKey: signingKey.verifyKey,
            createdOn: timestamp, createdByDevice: signer.deviceId, certificateIndex: index + 1
        });
        if (i < params.keepDevices) {
            batch.kept.push({ userId: user.userId, deviceId: device.deviceId, signingKey, email, label });
        }
        if (serial % params.searchSampleEvery === 0) {
            batch.searchTargets.push({ lastName: last, emailPart: `${last}.${serial}@` });
        }
    }
    batch.contents.push(...linkCertificates<Certificate>(unlinked, previous));
    return batch;
}

/** What a worker thread sends back: each certificate in full and redacted, signed by the batch's author. */
export function signBatch(contents: readonly Certificate[], secretKey: Uint8Array): { signed: string; redacted: string }[] {
    return contents.map(content => ({
        signed: signCertificate(content, secretKey, cachedEd25519),
        redacted: signCertificate(redactedContent(content), secretKey, cachedEd25519)
    }));
}

/** The log entries of a signed batch, numbered after `lastIndex`. */
export function logEntries(contents: readonly Certificate[], signatures: readonly { signed: string; redacted: string }[], lastIndex: number): CertificateLogEntry[] {
    return contents.map((content, i) => ({
        index: lastIndex + 1 + i, kind: content.kind, timestamp: content.timestamp, author: content.author, subject: subjectOf(content), digest: chainDigest(content), ...signatures[i]
    }));
}

function capitalize(word: string): string {
    return word[0].toUpperCase() + word.slice(1);
}
