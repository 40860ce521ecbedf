import { CertificateError, OrganizationId, UserId } from '@vouch/protocol';

export type UserChangeError =
    | { readonly code: 'NOT_ALLOWED' | 'ORGANIZATION_NOT_FOUND'; readonly message: string }
    | CertificateError;

export interface RevokedUsers {
    readonly revoked: readonly UserId[];
    readonly alreadyRevoked: readonly UserId[];
}


/**
 * What a revocation causes in other domains, in its own transaction (workspaces mark the keys
 * it exposed); the returned function announces it after the commit.
 */
export interface RevocationConsequences {
    revoked(organizationId: OrganizationId, userIds: readonly UserId[], revokedOn: number): Promise<() => void>;
}
