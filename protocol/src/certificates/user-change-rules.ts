import { UserId, UserProfile } from '../identity';
import { fail, ok } from '../outcome';
import { DecodedCertificate } from './certificate-codec';
import { certificateError } from './certificate-errors';
import { CertificateContext, Checked, CheckedAuthor, checkAuthorSignature, checkLogPosition, decodeAs } from './certificate-rules';
import { Certificate, RevokedUserCertificate, SignedCertificate, UserUpdateCertificate } from './certificate-types';

/**
 * Rules for changing what a user may do: profile changes (user_update) and revocations
 * (revoked_user). Part of the certificate rules (certificate-rules.ts), kept in their own file;
 * the server applies them to every batch, and clients re-apply them when replaying the log.
 */

/** Most certificates one batch may carry: one atomic change of at most this many users. */
export const MAX_USER_CHANGES_PER_BATCH = 1000;

/** What a profile change or revocation needs on top of the usual context: how many Administrators remain. */
export interface UserChangeContext extends CertificateContext {
    /** Non-revoked Administrators of the organization before the batch. */
    readonly activeAdministrators: number;
}

export interface CheckedUserUpdates {
    readonly updates: readonly DecodedCertificate<UserUpdateCertificate>[];
    /** Profile of each changed user before the batch. */
    readonly previousProfiles: ReadonlyMap<UserId, UserProfile>;
}

export interface CheckedRevocations {
    /** Revocations to store (repeated ones included when the batch also revokes someone new). */
    readonly revocations: readonly DecodedCertificate<RevokedUserCertificate>[];
    /** Users already revoked: nothing to do, and no error (revoking twice is harmless). */
    readonly alreadyRevoked: readonly UserId[];
}

/** Author rules of what only Administrators sign: an Administrator's device, never the root key. */
export function checkAdministratorAuthor(decoded: DecodedCertificate, ctx: CertificateContext, what: string, action: string): Checked<CheckedAuthor> {
    if (decoded.content.author === null) {
        return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Only the bootstrap certificates may be signed by the organization root key`));
    }
    const author = checkAuthorSignature(decoded, ctx, what);
    if (!author.ok) { return author; }
    if (author.value.profile !== 'ADMINISTRATOR') {
        return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', `Only an Administrator can ${action}`));
    }
    return author;
}

/** One profile change against the organization as it is (shared by the batch check and the log replay). */
export function checkUserUpdate(update: UserUpdateCertificate, author: CheckedAuthor, ctx: CertificateContext): Checked<UserProfile> {
    if (update.userId === author.userId) {
        return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'An Administrator cannot change their own profile'));
    }
    const target = ctx.user(update.userId);
    if (!target) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `The user ${update.userId} is not part of the organization`));
    }
    if (target.revoked) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `The user ${update.userId} is revoked; a revoked user keeps their profile`));
    }
    if (target.profile === 'EXTERNAL' || update.newProfile === 'EXTERNAL') {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `Changes to or from External are refused (user ${update.userId}): invite the person again with the profile they need`));
    }
    if (target.profile === update.newProfile) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `The user ${update.userId} already has this profile`));
    }
    return ok(target.profile);
}

/** One revocation against the organization as it is; `'already'` when the user is revoked already. */
export function checkRevocation(revocation: RevokedUserCertificate, author: CheckedAuthor, ctx: CertificateContext): Checked<UserProfile | 'already'> {
    if (revocation.userId === author.userId) {
        return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'Nobody can revoke themselves'));
    }
    const target = ctx.user(revocation.userId);
    if (!target) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `The user ${revocation.userId} is not part of the organization`));
    }
    return ok(target.revoked ? 'already' : target.profile);
}

function lastAdministratorRefusal(): Checked<never> {
    return fail(certificateError('CERTIFICATE_INCONSISTENT', 'At least one Administrator must remain in the organization'));
}

/**
 * Decodes a batch: all of one kind, one author, one timestamp (a batch is one operation in
 * the log), each user at most once, every signature checked.
 */
function decodeBatch<K extends 'user_update' | 'revoked_user'>(signed: readonly SignedCertificate[], kind: K, ctx: CertificateContext, what: string, action: string):
    Checked<{ decoded: DecodedCertificate<Extract<Certificate, { kind: K }>>[]; author: CheckedAuthor }> {
    if (signed.length === 0 || signed.length > MAX_USER_CHANGES_PER_BATCH) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `A batch carries 1 to ${MAX_USER_CHANGES_PER_BATCH} certificates`));
    }
    const decoded: DecodedCertificate<Extract<Certificate, { kind: K }>>[] = [];
    const users = new Set<UserId>();
    for (const one of signed) {
        const cert = decodeAs(one, kind, what);
        if (!cert.ok) { return cert; }
        const content: Certificate = cert.value.content;
        const first: Certificate = decoded[0]?.content ?? content;
        if (content.author !== first.author || content.timestamp !== first.timestamp) {
            return fail(certificateError('CERTIFICATE_INCONSISTENT', 'Every certificate of a batch must have the same author and timestamp'));
        }
        const userId = (cert.value.content as { userId: UserId }).userId;
        if (users.has(userId)) {
            return fail(certificateError('CERTIFICATE_INCONSISTENT', `The user ${userId} appears twice in the batch`));
        }
        users.add(userId);
        decoded.push(cert.value);
    }
    let author: CheckedAuthor | undefined;
    for (const cert of decoded) {
        const checked = checkAdministratorAuthor(cert, ctx, what, action);
        if (!checked.ok) { return checked; }
        author = checked.value;
    }
    return ok({ decoded, author: author! });
}

/** A batch of profile changes, applied all or none. */
export function checkUserUpdates(signed: readonly SignedCertificate[], ctx: UserChangeContext): Checked<CheckedUserUpdates> {
    const batch = decodeBatch(signed, 'user_update', ctx, 'A user update certificate', 'change profiles');
    if (!batch.ok) { return batch; }
    const previousProfiles = new Map<UserId, UserProfile>();
    let administrators = ctx.activeAdministrators;
    for (const cert of batch.value.decoded) {
        const previous = checkUserUpdate(cert.content, batch.value.author, ctx);
        if (!previous.ok) { return previous; }
        previousProfiles.set(cert.content.userId, previous.value);
        administrators += (cert.content.newProfile === 'ADMINISTRATOR' ? 1 : 0) - (previous.value === 'ADMINISTRATOR' ? 1 : 0);
    }
    if (administrators < 1) {
        return lastAdministratorRefusal();
    }
    const position = checkLogPosition(batch.value.decoded.map(cert => cert.content), ctx);
    if (!position.ok) { return position; }
    return ok({ updates: batch.value.decoded, previousProfiles });
}

/**
 * A batch of revocations, applied all or none. Revoking twice is harmless: a batch whose users
 * are all revoked already stores nothing. A batch that mixes both is stored whole — its
 * certificates are chained one after the other, so none can be left out — and the repeated
 * revocations change nothing.
 */
export function checkRevokedUsers(signed: readonly SignedCertificate[], ctx: UserChangeContext): Checked<CheckedRevocations> {
    const batch = decodeBatch(signed, 'revoked_user', ctx, 'A revoked user certificate', 'revoke users');
    if (!batch.ok) { return batch; }
    const alreadyRevoked: UserId[] = [];
    let administrators = ctx.activeAdministrators;
    for (const cert of batch.value.decoded) {
        const checked = checkRevocation(cert.content, batch.value.author, ctx);
        if (!checked.ok) { return checked; }
        if (checked.value === 'already') {
            alreadyRevoked.push(cert.content.userId);
            continue;
        }
        administrators -= checked.value === 'ADMINISTRATOR' ? 1 : 0;
    }
    if (alreadyRevoked.length === batch.value.decoded.length) {
        return ok({ revocations: [], alreadyRevoked });
    }
    if (administrators < 1) {
        return lastAdministratorRefusal();
    }
    const position = checkLogPosition(batch.value.decoded.map(cert => cert.content), ctx);
    if (!position.ok) { return position; }
    return ok({ revocations: batch.value.decoded, alreadyRevoked });
}
