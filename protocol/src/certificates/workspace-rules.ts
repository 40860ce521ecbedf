import { UserId } from '../identity';
import { fail, ok } from '../outcome';
import { DecodedCertificate, decodeCertificate } from './certificate-codec';
import { certificateError } from './certificate-errors';
import { CertificateContext, Checked, CheckedAuthor, checkAuthorSignature, checkLogPosition } from './certificate-rules';
import { SignedCertificate, WorkspaceId, WorkspaceKeyCertificate, WorkspaceRole, WorkspaceRoleCertificate } from './certificate-types';
import { reencryptionRunners } from '../workspaces/reencryption';

/**
 * Rules of a workspace's roles and keys, on its own topic of the log. The server applies them
 * to every write; members' clients replay the topic with the same code.
 *
 * - A workspace starts with its creator (a Member or an Administrator) granting themself Owner,
 *   then its first key (index 0).
 * - Only Owners grant, change or remove Owner and Manager; Managers (and Owners) grant, change
 *   and remove Contributor and Reader.
 * - External users are at most Contributor.
 * - Nobody changes their own role, but anyone may leave (remove their own role); and when every
 *   Owner is revoked, a member of the highest remaining role may make themself Owner (so a
 *   workspace is never left without anyone to re-encrypt it).
 * - A revoked user gets no role (removing one from a revoked user is allowed: re-encryption does).
 * - At least one Owner remains.
 * - Keys: an Owner adds the next index.
 */

/** What the rules need to know of a workspace besides the organization. */
export interface WorkspaceContext extends CertificateContext {
    readonly workspaceId: WorkspaceId;
    /** Each member's role before the certificates being checked. */
    role(userId: UserId): WorkspaceRole | undefined;
    /** The newest key index, or undefined before the first key. */
    readonly keyIndex: number | undefined;
    /** The workspace's Owners before the change. */
    readonly owners: readonly UserId[];
    /**
     * Every member before the change, with `user()` knowing each of them: the succession rule
     * needs them. Without them nobody succeeds a revoked Owner.
     */
    readonly members?: readonly UserId[];
}

export type WorkspaceCertificate = WorkspaceRoleCertificate | WorkspaceKeyCertificate;

export interface CheckedWorkspaceChange {
    readonly certificates: readonly DecodedCertificate<WorkspaceCertificate>[];
    /** Roles after the change, for the users it names (null: removed). */
    readonly roles: ReadonlyMap<UserId, WorkspaceRole | null>;
    /** The key index after the change. */
    readonly keyIndex: number | undefined;
}

const OWNER_LEVEL: readonly (WorkspaceRole | null | undefined)[] = ['OWNER', 'MANAGER'];

/** One role change against the workspace as it is; returns the role before. */
export function checkRoleChange(certificate: WorkspaceRoleCertificate, author: CheckedAuthor, ctx: WorkspaceContext, roles: ReadonlyMap<UserId, WorkspaceRole | null>,
    creating: boolean): Checked<WorkspaceRole | undefined> {
    const roleOf = (userId: UserId) => roles.has(userId) ? roles.get(userId) ?? undefined : ctx.role(userId);
    const refuse = (message: string) => fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', message));
    const inconsistent = (message: string) => fail(certificateError('CERTIFICATE_INCONSISTENT', message));
    const target = ctx.user(certificate.userId);
    const before = roleOf(certificate.userId);
    if (creating) {
        if (certificate.userId !== author.userId || certificate.role !== 'OWNER') {
            return inconsistent('A workspace starts with its creator as its Owner');
        }
        if (author.profile === 'EXTERNAL') {
            return refuse('External users cannot create workspaces');
        }
        return ok(undefined);
    }
    const authorRole = author.userId === null ? undefined : roleOf(author.userId);
    if (!authorRole) {
        return refuse('Only members of the workspace change its roles');
    }
    if (!target) {
        return inconsistent(`The user ${certificate.userId} is not part of the organization`);
    }
    if (target.revoked && certificate.role !== null) {
        return inconsistent('A revoked user cannot be given a role');
    }
    if (certificate.role === (before ?? null)) {
        return inconsistent(before ? `The user already has the role ${before}` : 'The user has no role to remove');
    }
    const leaving = certificate.userId === author.userId && certificate.role === null;
    const succeeding = certificate.userId === author.userId && certificate.role === 'OWNER' && maySucceedOwners(author.userId, ctx);
    if (certificate.userId === author.userId && !leaving && !succeeding) {
        return refuse('Nobody changes their own role (unless every Owner is revoked and theirs is the highest role left)');
    }
    if (!leaving && !succeeding) {
        if ((OWNER_LEVEL.includes(certificate.role) || OWNER_LEVEL.includes(before)) && authorRole !== 'OWNER') {
            return refuse('Only Owners grant, change or remove the roles Owner and Manager');
        }
        if (authorRole !== 'OWNER' && authorRole !== 'MANAGER') {
            return refuse('Only Owners and Managers share a workspace');
        }
    }
    if (target.profile === 'EXTERNAL' && (certificate.role === 'OWNER' || certificate.role === 'MANAGER')) {
        return inconsistent('External users can be at most Contributors');
    }
    return ok(before);
}

/**
 * A batch of workspace certificates (one operation: a creation, a share, a rotation), all of
 * one author and one timestamp, each chained to the one before.
 */
export function checkWorkspaceChange(signed: readonly SignedCertificate[], ctx: WorkspaceContext): Checked<CheckedWorkspaceChange> {
    if (signed.length === 0 || signed.length > 1000) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'A workspace change carries 1 to 1,000 certificates'));
    }
    const decoded: DecodedCertificate<WorkspaceCertificate>[] = [];
    for (const one of signed) {
        const cert = decodeCertificate(one);
        if (!cert.ok) { return cert; }
        const content = cert.value.content;
        if (content.kind !== 'workspace_role' && content.kind !== 'workspace_key') {
            return fail(certificateError('CERTIFICATE_INCONSISTENT', 'Only workspace certificates belong to a workspace\'s log'));
        }
        if (content.workspaceId !== ctx.workspaceId) {
            return fail(certificateError('CERTIFICATE_INCONSISTENT', 'Every certificate of the change must name this workspace'));
        }
        const first = decoded[0]?.content;
        if (first && (content.author !== first.author || content.timestamp !== first.timestamp)) {
            return fail(certificateError('CERTIFICATE_INCONSISTENT', 'Every certificate of a change must have the same author and timestamp'));
        }
        decoded.push(cert.value as DecodedCertificate<WorkspaceCertificate>);
    }
    const creating = ctx.head.digest === null;
    const roles = new Map<UserId, WorkspaceRole | null>();
    let keyIndex = ctx.keyIndex;
    for (const [i, cert] of decoded.entries()) {
        const author = checkAuthorSignature(cert, ctx, 'A workspace certificate');
        if (!author.ok) { return author; }
        if (author.value.deviceId === null) {
            return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'The organization root key signs no workspace certificate'));
        }
        const content = cert.content;
        if (content.kind === 'workspace_role') {
            const checked = checkRoleChange(content, author.value, ctx, roles, creating && i === 0);
            if (!checked.ok) { return checked; }
            roles.set(content.userId, content.role);
        } else {
            const authorRole = roles.has(author.value.userId!) ? roles.get(author.value.userId!) : ctx.role(author.value.userId!);
            if (authorRole !== 'OWNER') {
                return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'Only Owners add a workspace key'));
            }
            const expected = keyIndex === undefined ? 0 : keyIndex + 1;
            if (content.keyIndex !== expected) {
                return fail(certificateError('CERTIFICATE_INCONSISTENT', `The next key of this workspace has index ${expected}`));
            }
            keyIndex = content.keyIndex;
        }
    }
    if (creating && (decoded[0].content.kind !== 'workspace_role' || keyIndex !== 0)) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'A workspace starts with its Owner and its first key'));
    }
    if (ownersAfter(ctx, roles) < 1) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'At least one Owner must remain in the workspace'));
    }
    const position = checkLogPosition(decoded.map(cert => cert.content), ctx);
    if (!position.ok) { return position; }
    return ok({ certificates: decoded, roles, keyIndex });
}

/** Every Owner is revoked and the author holds the highest role among the active members. */
function maySucceedOwners(userId: UserId, ctx: WorkspaceContext): boolean {
    if (!ctx.members || ctx.owners.length === 0) {
        return false;
    }
    // A member the context does not know counts as active: unknown never opens the exception.
    const isRevoked = (id: UserId) => ctx.user(id)?.revoked === true;
    if (!ctx.owners.every(isRevoked)) {
        return false;
    }
    const members = ctx.members.flatMap(id => {
        const role = ctx.role(id);
        return role ? [{ userId: id, role }] : [];
    });
    const runners = reencryptionRunners(members, isRevoked);
    return runners.successors && runners.userIds.includes(userId);
}

/** Counts Owners after `changes`. */
function ownersAfter(ctx: WorkspaceContext, changes: ReadonlyMap<UserId, WorkspaceRole | null>): number {
    const owners = new Set(ctx.owners.filter(userId => !changes.has(userId)));
    for (const [userId, role] of changes) {
        if (role === 'OWNER') {
            owners.add(userId);
        }
    }
    return owners.size;
}
