import { In } from 'typeorm';
import { COMMON_TOPIC, OrganizationId, UserProfile } from '@vouch/protocol';
import { UsersRepository } from '../users/users-repository';
import { UserRow } from '../users/users-types';
import { Database } from './database';
import { CertificateEntity, UserEntity } from './entities';

/** `!` escapes LIKE wildcards the same way on SQLite and MySQL (a backslash does not). */
function likeSubstring(text: string): string {
    return `%${text.replace(/[!%_]/g, char => `!${char}`)}%`;
}

export class TypeormUsersRepository implements UsersRepository {
    constructor(protected readonly db: Database) { }

    async listUsers(organizationId: OrganizationId, search: string, offset: number, limit: number, includeRevoked: boolean, order: 'name' | 'id'): Promise<UserRow[]> {
        // Ids first, from the covering index alone (offset and filter never touch the rows), then one page of rows.
        const query = this.db.manager.createQueryBuilder(UserEntity, 'u')
            .select('u.userId', 'userId')
            .where('u.organizationId = :organizationId', { organizationId });
        if (search) {
            query.andWhere('u.search LIKE :pattern ESCAPE \'!\'', { pattern: likeSubstring(search) });
        }
        if (!includeRevoked) {
            query.andWhere('u.revokedOn IS NULL');
        }
        if (order === 'name') {
            query.orderBy('u.sortLabel', 'ASC').addOrderBy('u.userId', 'ASC');
        } else {
            query.orderBy('u.userId', 'ASC');
        }
        const ids: { userId: string }[] = await query.offset(offset).limit(limit).getRawMany();
        return this.rowsOf(organizationId, ids.map(id => id.userId));
    }

    async usersByIds(organizationId: OrganizationId, userIds: readonly string[]): Promise<UserRow[]> {
        return this.rowsOf(organizationId, [...new Set(userIds)].sort());
    }

    /** Rows of these users, in the given order (unknown ones left out), with their certificates. */
    protected async rowsOf(organizationId: OrganizationId, userIds: string[]): Promise<UserRow[]> {
        if (userIds.length === 0) {
            return [];
        }
        const rows = await this.db.manager.findBy(UserEntity, { organizationId, userId: In(userIds) });
        const byId = new Map(rows.map(row => [row.userId, row]));
        const users = userIds.map(userId => byId.get(userId)).filter((user): user is UserEntity => user !== undefined);
        const [certificates, changes] = await Promise.all([
            this.certificates(organizationId, users.map(user => user.certificateIndex)),
            this.changes(organizationId, users.map(user => user.userId))
        ]);
        return users.map(user => {
            const certificate = certificates.get(user.certificateIndex)!;
            const profileChange = changes.profile.get(user.userId);
            const revocation = changes.revocation.get(user.userId);
            return {
                userId: user.userId,
                email: user.email,
                label: user.label,
                profile: user.profile as UserProfile,
                createdOn: user.createdOn,
                createdBy: user.createdBy ?? undefined,
                revokedOn: user.revokedOn ?? undefined,
                revokedBy: user.revokedBy ?? undefined,
                certificate: certificate.signed,
                redactedCertificate: certificate.redacted,
                authorDevice: user.createdByDevice ?? undefined,
                ...(profileChange ? { profileChange: { certificate: profileChange.signed, authorDevice: profileChange.author! } } : {}),
                ...(revocation ? { revocation: { certificate: revocation.signed, authorDevice: revocation.author! } } : {})
            };
        });
    }

    /** Each user's newest profile change and first revocation (by the subject index). */
    protected async changes(organizationId: OrganizationId, userIds: string[]): Promise<{ profile: Map<string, CertificateEntity>; revocation: Map<string, CertificateEntity> }> {
        const rows = await this.db.manager.find(CertificateEntity, {
            where: { organizationId, topic: COMMON_TOPIC, subject: In(userIds), kind: In(['user_update', 'revoked_user']) }, order: { index: 'ASC' }
        });
        const profile = new Map<string, CertificateEntity>();
        const revocation = new Map<string, CertificateEntity>();
        for (const row of rows) {
            if (row.kind === 'user_update') {
                profile.set(row.subject!, row);
            } else if (!revocation.has(row.subject!)) {
                revocation.set(row.subject!, row);
            }
        }
        return { profile, revocation };
    }

    protected async certificates(organizationId: OrganizationId, indexes: number[]): Promise<Map<number, CertificateEntity>> {
        if (indexes.length === 0) {
            return new Map();
        }
        const rows = await this.db.manager.findBy(CertificateEntity, { organizationId, topic: COMMON_TOPIC, index: In(indexes) });
        return new Map(rows.map(row => [row.index, row]));
    }
}
