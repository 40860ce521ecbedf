import { SignatureScheme } from '../crypto/signature-scheme';
import { fromBase64Url } from '../encoding';
import { DeviceId, UserId, UserProfile } from '../identity';
import { fail, ok, Outcome } from '../outcome';
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

export interface ReplayRefusal {
    /** Index of the first certificate that does not check out; nothing after it is believed. */
    readonly index: number;
    readonly error: CertificateError;
}

/**
 * Re-checks the whole certificate log in order from the organization root key, as the server
 * should have: every signature by a device believed at the time, authors with the profile
 * they had then, profile changes and revocations under the same rules the server applies. A
 * server that rewrote, reordered or dropped history fails here. Certificates of one operation
 * share a timestamp, so timestamps may repeat but never go back.
 */
export function replayCertificateLog(items: readonly CertificateLogItem[], rootVerifyKey: Uint8Array, scheme: SignatureScheme): Outcome<ReplayedCertificate[], ReplayRefusal> {
    const devices = new Map<DeviceId, KnownDevice>();
    const users = new Map<UserId, KnownUser & { profile: UserProfile; revoked: boolean }>();
    const replayed: ReplayedCertificate[] = [];
    let lastTimestamp = -1;
    let administrators = 0;
    const adminDelta = (profile: UserProfile) => profile === 'ADMINISTRATOR' ? 1 : 0;
    let expectedIndex = items[0]?.index ?? 1;
    const ctx: CertificateContext = {
        scheme, rootVerifyKey, now: 0, ballparkMs: Number.POSITIVE_INFINITY, lastTimestamp: undefined,
        device: id => devices.get(id), user: id => users.get(id)
    };
    for (const item of items) {
        const refuse = (code: CertificateError['code'], message: string) => fail({ index: item.index, error: certificateError(code, message) });
        if (item.index !== expectedIndex) {
            return refuse('CERTIFICATE_INCONSISTENT', `The log skips from ${expectedIndex - 1} to ${item.index}`);
        }
        expectedIndex++;
        const decoded = decodeCertificate(item.signed);
        if (!decoded.ok) {
            return fail({ index: item.index, error: decoded.error });
        }
        const content = decoded.value.content;
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
            case 'revoked_user': {
                if (!byAdministrator) {
                    return refuse('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Certificate ${item.index} revokes a user but its author is not an Administrator`);
                }
                const checked = checkRevocation(content, author.value, ctx);
                if (!checked.ok) {
                    return fail({ index: item.index, error: checked.error });
                }
                if (checked.value === 'already') {
                    return refuse('CERTIFICATE_INCONSISTENT', `Certificate ${item.index} revokes a user who was revoked already`);
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
    return ok(replayed);
}
