import { In, IsNull } from 'typeorm';
import { OrganizationId, UserId, UserProfile } from '@vouch/protocol';
import { UserChangesRepository } from '../users/user-changes-repository';
import { chunks, Database } from './database';
import { UserEntity } from './entities';

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
}
