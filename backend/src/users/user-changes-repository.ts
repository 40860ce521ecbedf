import { OrganizationId, UserId, UserProfile } from '@vouch/protocol';

/** What profile changes and revocations read and write beside the certificate log. */
export interface UserChangesRepository {
    /** Non-revoked Administrators: the "one Administrator remains" rule needs it. */
    countActiveAdministrators(organizationId: OrganizationId): Promise<number>;
    /** Sets each user's profile; runs inside the transaction that moved the log head, in chunks. */
    updateProfiles(organizationId: OrganizationId, changes: readonly { userId: UserId; profile: UserProfile }[]): Promise<void>;
    /** Marks users revoked; runs inside the transaction that moved the log head, in chunks. */
    markRevoked(organizationId: OrganizationId, userIds: readonly UserId[], revokedOn: number, revokedBy: UserId): Promise<void>;
}
