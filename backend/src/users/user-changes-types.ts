import { CertificateError, OrganizationId, UserId, UserProfile } from '@vouch/protocol';

export interface ProfileChange {
    readonly userId: UserId;
    readonly profile: UserProfile;
}

export type UserChangeError =
    | { readonly code: 'NOT_ALLOWED' | 'ORGANIZATION_NOT_FOUND'; readonly message: string }
    | CertificateError;

export interface RevokedUsers {
    readonly revoked: readonly UserId[];
    readonly alreadyRevoked: readonly UserId[];
}

/** Told after the commit; the transport makes live sessions follow (on every instance). */
export interface UserChangeEvents {
    onDidChangeProfiles(organizationId: OrganizationId, changes: readonly ProfileChange[]): void;
    onDidRevokeUsers(organizationId: OrganizationId, userIds: readonly UserId[]): void;
}

/** One revoked user, for whoever must act on it later (workspaces: re-encryption, owners told). */
export interface UserRevokedEvent {
    readonly organizationId: OrganizationId;
    readonly userId: UserId;
    readonly revokedBy: UserId;
    /** ms since epoch: the revoked_user certificate's timestamp. */
    readonly revokedOn: number;
}
