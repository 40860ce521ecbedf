import { SignatureScheme } from '../crypto/signature-scheme';
import { fromBase64Url } from '../encoding';
import { DeviceId, UserId, UserProfile } from '../identity';
import { fail, ok, Outcome } from '../outcome';
import { chainDigest, COMMON_TOPIC, topicOf } from './certificate-chain';
import { decodeCertificate } from './certificate-codec';
import { CertificateError, certificateError } from './certificate-errors';
import { CertificateContext, checkAuthorSignature, KnownDevice, KnownUser } from './certificate-rules';
import { Certificate, SignedCertificate } from './certificate-types';
import { checkRevocation, checkUserUpdate } from './user-change-rules';

/** One entry of the certificate log as the server sends it. */
export interface CertificateLogItem {
    readonly index: number;
    readonly signed: SignedCertificate;
}

/** A certificate the replay believed, with what was true when it was signed. */
export interface ReplayedCertificate {
    readonly index: number;
    readonly certificate: Certificate;
    /** The user whose device signed it; null for the organization root key. */
    readonly authorUserId: UserId | null;
    /** The author's profile at that time; null for the root key. */
    readonly authorProfile: UserProfile | null;
    /** For user_update: the profile before the change. */
    readonly previousProfile?: UserProfile;
}

/** The newest certificate a device verified: it refuses any later log that does not contain it. */
export interface VerifiedLogHead {
    readonly index: number;
    readonly digest: string;
}

export interface ReplayedLog {
    readonly certificates: ReplayedCertificate[];
    /** Where this log ends; undefined for an empty log. */
    readonly head: VerifiedLogHead | undefined;
}

export interface ReplayRefusal {
    /** Index of the first certificate that does not check out; nothing after it is believed. */
    readonly index: number;
    readonly error: CertificateError;
}

/**
 * Re-checks the whole certificate log in order from the organization root key, as the server
 * should have: each certificate chained to the one before it (certificate-chain.ts), every
 * signature by a device believed at the time, authors with the profile they had then, profile
 * changes and revocations under the same rules the server applies. A server that rewrote,
 * reordered or dropped a certificate fails here; one that cut the log short or forked it fails
 * against `remembered`, the head this device verified before. Certificates of one operation
 * share a timestamp, so timestamps may repeat but never go back.
 */
export function replayCertificateLog(items: readonly CertificateLogItem[], rootVerifyKey: Uint8Array, scheme: SignatureScheme,
    remembered?: VerifiedLogHead): Outcome<ReplayedLog, ReplayRefusal> {
    const devices = new Map<DeviceId, KnownDevice>();
    const users = new Map<UserId, KnownUser & { profile: UserProfile; revoked: boolean }>();
    const replayed: ReplayedCertificate[] = [];
    let lastTimestamp = -1;
    let administrators = 0;
    const adminDelta = (profile: UserProfile) => profile === 'ADMINISTRATOR' ? 1 : 0;
    let expectedIndex = 1;
    let previous: string | null = null;
    const ctx: CertificateContext = {
        scheme, rootVerifyKey, now: 0, ballparkMs: Number.POSITIVE_INFINITY, head: { digest: null, timestamp: undefined },
        device: id => devices.get(id), user: id => users.get(id)
    };
    for (const item of items) {
        const refuse = (code: CertificateError['code'], message: string) => fail({ index: item.index, error: certificateError(code, message) });
        if (item.index !== expectedIndex) {
            return refuse('CERTIFICATE_LOG_TAMPERED', `The log skips from ${expectedIndex - 1} to ${item.index}`);
        }
        expectedIndex++;
        const decoded = decodeCertificate(item.signed);
        if (!decoded.ok) {
            return fail({ index: item.index, error: decoded.error });
        }
        const content = decoded.value.content;
        if (topicOf(content) !== COMMON_TOPIC) {
            return refuse('CERTIFICATE_INCONSISTENT', `Certificate ${item.index} belongs to another topic than the organization's`);
        }
        if (content.previous !== previous) {
            return refuse('CERTIFICATE_LOG_TAMPERED', `Certificate ${item.index} does not follow the one before it: a certificate was removed, added or moved`);
        }
        previous = chainDigest(content);
        if (content.timestamp < lastTimestamp) {
            return refuse('CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', `Certificate ${item.index} is dated before the one it follows`);
        }
        lastTimestamp = content.timestamp;
        const author = checkAuthorSignature(decoded.value, ctx, `Certificate ${item.index}`);
        if (!author.ok) {
            return fail({ index: item.index, error: author.error });
        }
        // The root key signs only the bootstrap user and device: the first two entries.
        if (author.value.deviceId === null && !(item.index <= 2 && (content.kind === 'user' || content.kind === 'device'))) {
            return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} is signed by the root key after the bootstrap`);
        }
        const byAdministrator = author.value.deviceId === null || author.value.profile === 'ADMINISTRATOR';
        let previousProfile: UserProfile | undefined;
        switch (content.kind) {
            case 'user':
                if (!byAdministrator) {
                    return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} adds a user but its author is not an Administrator`);
                }
                if (users.has(content.userId)) {
                    return refuse('CERTIFICATE_ALREADY_EXISTS', `Certificate ${item.index} adds a user that already exists`);
                }
                users.set(content.userId, { profile: content.profile, revoked: false });
                administrators += adminDelta(content.profile);
                break;
            case 'device':
                if (!byAdministrator && author.value.userId !== content.userId) {
                    return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} adds a device to another user without being an Administrator`);
                }
                if (!users.has(content.userId) || devices.has(content.deviceId)) {
                    return refuse('CERTIFICATE_INCONSISTENT', `Certificate ${item.index} adds a device to an unknown user, or a device that exists`);
                }
                devices.set(content.deviceId, { userId: content.userId, verifyKey: fromBase64Url(content.verifyKey)! });
                break;
            case 'user_update': {
                if (!byAdministrator) {
                    return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} changes a profile but its author is not an Administrator`);
                }
                const checked = checkUserUpdate(content, author.value, ctx);
                if (!checked.ok) {
                    return fail({ index: item.index, error: checked.error });
                }
                previousProfile = checked.value;
                administrators += adminDelta(content.newProfile) - adminDelta(checked.value);
                users.set(content.userId, { ...users.get(content.userId)!, profile: content.newProfile });
                break;
            }
            case 'pki_anchors':
                if (!byAdministrator) {
                    return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} pins trust anchors but its author is not an Administrator`);
                }
                break;
            case 'revoked_user': {
                if (!byAdministrator) {
                    return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} revokes a user but its author is not an Administrator`);
                }
                const checked = checkRevocation(content, author.value, ctx);
                if (!checked.ok) {
                    return fail({ index: item.index, error: checked.error });
                }
                if (checked.value === 'already') {
                    // Stored with others of its operation, which revoked someone new: it changes nothing.
                    break;
                }
                users.set(content.userId, { ...users.get(content.userId)!, revoked: true });
                administrators -= adminDelta(checked.value);
                break;
            }
        }
        if (administrators < 1 && (content.kind === 'user_update' || content.kind === 'revoked_user')) {
            return refuse('CERTIFICATE_INCONSISTENT', `Certificate ${item.index} leaves the organization without an Administrator`);
        }
        replayed.push({
            index: item.index, certificate: content, authorUserId: author.value.userId, authorProfile: author.value.profile,
            ...(previousProfile ? { previousProfile } : {})
        });
    }
    const head = replayed.length > 0 ? { index: replayed[replayed.length - 1].index, digest: previous! } : undefined;
    if (remembered) {
        if (!head || head.index < remembered.index) {
            return fail({
                index: head?.index ?? 0,
                error: certificateError('CERTIFICATE_LOG_TAMPERED', `The log is shorter than the one this device verified before (${remembered.index} certificates): the server left out history`)
            });
        }
        const atRemembered = replayed[remembered.index - 1];
        if (chainDigest(atRemembered.certificate) !== remembered.digest) {
            return fail({
                index: remembered.index,
                error: certificateError('CERTIFICATE_LOG_TAMPERED', `Certificate ${remembered.index} is not the one this device verified before: the server changed history`)
            });
        }
    }
    return ok({ certificates: replayed, head });
}

/**
 * The cheap check a device runs each time the log grows: the entries from the head it verified
 * before (that one included) must start with that very certificate and go on as one chain, with
 * no number skipped. It checks no signature and no rule — a full replay does — but a server that
 * cut the log, forked it or removed a certificate since this device last looked fails here.
 * Without a remembered head (a device's first look), the newest entry becomes the one it trusts.
 */
export function checkLogContinuation(items: readonly CertificateLogItem[], remembered: VerifiedLogHead | undefined): Outcome<VerifiedLogHead | undefined, ReplayRefusal> {
    const refuse = (index: number, message: string) => fail({ index, error: certificateError('CERTIFICATE_LOG_TAMPERED', message) });
    if (remembered && (items.length === 0 || items[0].index !== remembered.index)) {
        return refuse(items[0]?.index ?? 0, `The log no longer holds certificate ${remembered.index}, which this device verified before: the server left out history`);
    }
    let head: VerifiedLogHead | undefined = remembered;
    for (const [i, item] of items.entries()) {
        const decoded = decodeCertificate(item.signed);
        if (!decoded.ok) {
            return fail({ index: item.index, error: decoded.error });
        }
        const digest = chainDigest(decoded.value.content);
        if (i === 0 && remembered && digest !== remembered.digest) {
            return refuse(item.index, `Certificate ${item.index} is not the one this device verified before: the server changed history`);
        }
        if (i > 0 && (item.index !== head!.index + 1 || decoded.value.content.previous !== head!.digest)) {
            return refuse(item.index, `Certificate ${item.index} does not follow the one before it: a certificate was removed, added or moved`);
        }
        head = { index: item.index, digest };
    }
    return ok(head);
}
