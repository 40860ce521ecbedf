import { OrganizationId, UserId, UserProfile } from '@vouch/protocol';
import { CertificateLogEntry } from '../organization/organization-types';

/** What profile changes, revocations and the history read and write beyond the certificate log head. */
export interface UserChangesRepository {
    /** Non-revoked Administrators: the "one Administrator remains" rule needs it. */
    countActiveAdministrators(organizationId: OrganizationId): Promise<number>;
    /** Sets each user's profile; runs inside the transaction that moved the log head, in chunks. */
    updateProfiles(organizationId: OrganizationId, changes: readonly { userId: UserId; profile: UserProfile }[]): Promise<void>;
    /** Marks users revoked; runs inside the transaction that moved the log head, in chunks. */
    markRevoked(organizationId: OrganizationId, userIds: readonly UserId[], revokedOn: number, revokedBy: UserId): Promise<void>;
    /** Log entries from `offset` (0 = the first), in order. */
    certificateLog(organizationId: OrganizationId, offset: number, limit: number): Promise<CertificateLogEntry[]>;
}
