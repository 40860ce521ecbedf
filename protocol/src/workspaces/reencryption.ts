import { WorkspaceKeyCertificate, WorkspaceRole, WorkspaceRoleCertificate } from '../certificates/certificate-types';
import { UserId } from '../identity';

/**
 * When a workspace needs re-encryption and who may run it, from its certificates alone: the
 * server applies these rules to what it stores, every member's client to the log it replays,
 * so nobody has to take the server's flag on trust.
 */

/** Roles from the highest: with no active Owner left, the members of the highest remaining role may succeed. */
export const ROLE_RANK: Readonly<Record<WorkspaceRole, number>> = { OWNER: 4, MANAGER: 3, CONTRIBUTOR: 2, READER: 1 };

export interface ReencryptionNeed {
    /** Revoked users who received the workspace's current key: while there is one, it needs re-encryption. */
    readonly exposedTo: readonly UserId[];
    /** Revoked users who still hold a role: the run removes them before the new key. */
    readonly revokedMembers: readonly UserId[];
    readonly needed: boolean;
}

/**
 * Replays a workspace's log (its role and key certificates, in order): a user knows the current
 * key when they held a role at its rotation or were granted one later (the whole key list is
 * sealed to each new member). The workspace needs re-encryption when such a user is revoked.
 */
export function reencryptionNeed(log: readonly (WorkspaceRoleCertificate | WorkspaceKeyCertificate)[], isRevoked: (userId: UserId) => boolean): ReencryptionNeed {
    const roles = new Map<UserId, WorkspaceRole>();
    let knowers = new Set<UserId>();
    for (const certificate of log) {
        if (certificate.kind === 'workspace_key') {
            knowers = new Set(roles.keys());
        } else if (certificate.role === null) {
            roles.delete(certificate.userId);
        } else {
            roles.set(certificate.userId, certificate.role);
            knowers.add(certificate.userId);
        }
    }
    const exposedTo = [...knowers].filter(isRevoked).sort();
    return { exposedTo, revokedMembers: [...roles.keys()].filter(isRevoked).sort(), needed: exposedTo.length > 0 };
}

export interface WorkspaceMemberRole {
    readonly userId: UserId;
    readonly role: WorkspaceRole;
}

/**
 * Who may run a workspace's re-encryption: its active Owners; when every Owner is revoked, the
 * active members of the highest remaining role, who first make themselves Owner by a signed
 * certificate (`successors: true`). Nobody when no active member is left.
 */
export function reencryptionRunners(members: readonly WorkspaceMemberRole[], isRevoked: (userId: UserId) => boolean): { readonly userIds: readonly UserId[]; readonly successors: boolean } {
    const active = members.filter(member => !isRevoked(member.userId));
    if (active.length === 0) {
        return { userIds: [], successors: false };
    }
    const top = Math.max(...active.map(member => ROLE_RANK[member.role]));
    return { userIds: active.filter(member => ROLE_RANK[member.role] === top).map(member => member.userId).sort(), successors: top !== ROLE_RANK.OWNER };
}
