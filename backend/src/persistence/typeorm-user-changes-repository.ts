import { In, IsNull, MoreThan } from 'typeorm';
import { CertificateKind, OrganizationId, UserId, UserProfile } from '@vouch/protocol';
import { CertificateLogEntry } from '../organization/organization-types';
import { UserChangesRepository } from '../users/user-changes-repository';
import { chunks, Database } from './database';
import { CertificateEntity, UserEntity } from './entities';

export class TypeormUserChangesRepository implements UserChangesRepository {
    constructor(protected readonly db: Database) { }

    countActiveAdministrators(organizationId: OrganizationId): Promise<number> {
        return this.db.manager.countBy(UserEntity, { organizationId, profile: 'ADMINISTRATOR', revokedOn: IsNull() });
    }

    async updateProfiles(organizationId: OrganizationId, changes: readonly { userId: UserId; profile: UserProfile }[]): Promise<void> {
        // One UPDATE per profile and chunk: a bulk change of 1,000 users is a handful of statements.
        for (const profile of new Set(changes.map(change => change.profile))) {
            const userIds = changes.filter(change => change.profile === profile).map(change => change.userId);
            for (const chunk of chunks(userIds)) {
                await this.db.manager.update(UserEntity, { organizationId, userId: In(chunk) }, { profile });
            }
        }
    }

    async markRevoked(organizationId: OrganizationId, userIds: readonly UserId[], revokedOn: number, revokedBy: UserId): Promise<void> {
        for (const chunk of chunks(userIds)) {
            await this.db.manager.update(UserEntity, { organizationId, userId: In(chunk), revokedOn: IsNull() }, { revokedOn, revokedBy });
        }
    }

    async certificateLog(organizationId: OrganizationId, offset: number, limit: number): Promise<CertificateLogEntry[]> {
        const rows = await this.db.manager.find(CertificateEntity, {
            where: { organizationId, index: MoreThan(offset) }, order: { index: 'ASC' }, take: limit
        });
        return rows.map(row => ({
            index: row.index, kind: row.kind as CertificateKind, timestamp: row.timestamp, author: row.author, signed: row.signed, redacted: row.redacted
        }));
    }
}
