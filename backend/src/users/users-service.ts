import { DeviceId, UserId, UserSummary, UsersPage } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { CertificateContexts } from '../organization/certificate-contexts';
import { UsersRepository } from './users-repository';
import { UserRow, UsersQuery } from './users-types';

export class UsersService {
    constructor(protected readonly repository: UsersRepository, protected readonly contexts: CertificateContexts) { }

    async listUsers(session: DeviceSession, query: UsersQuery, _now: number): Promise<UsersPage> {
        // External users collaborate without learning who else is in the organization: not from
        // the rows, nor from which rows a search matches, nor from the order of the names.
        const external = session.profile === 'EXTERNAL';
        const search = external ? '' : query.query.trim().toLowerCase();
        const rows = await this.repository.listUsers(session.organizationId, search, query.offset, query.limit + 1, query.includeRevoked, external ? 'id' : 'name');
        const page = rows.slice(0, query.limit);
        return {
            ...await this.summaries(session, page),
            ...(rows.length > query.limit ? { nextOffset: query.offset + query.limit } : {})
        };
    }

    /**
     * The rows of given users (workspace members and authors, people to share with): what the
     * list gives, without paging through the organization. Unknown ids are left out.
     */
    async usersByIds(session: DeviceSession, userIds: readonly UserId[]): Promise<UsersPage> {
        return this.summaries(session, await this.repository.usersByIds(session.organizationId, userIds));
    }

    protected async summaries(session: DeviceSession, page: readonly UserRow[]): Promise<Pick<UsersPage, 'users' | 'authorDevices'>> {
        const external = session.profile === 'EXTERNAL';
        const users = page.map((row): UserSummary => ({
            userId: row.userId,
            ...(external ? {} : { humanHandle: { email: row.email, label: row.label } }),
            profile: row.profile,
            createdOn: new Date(row.createdOn).toISOString(),
            ...(row.createdBy !== undefined ? { createdBy: row.createdBy } : {}),
            ...(row.revokedOn !== undefined ? { revokedOn: new Date(row.revokedOn).toISOString() } : {}),
            ...(row.revokedBy !== undefined ? { revokedBy: row.revokedBy } : {}),
            certificate: external ? row.redactedCertificate : row.certificate,
            // They carry no personal data: every reader gets them, to re-check the row's profile and revocation.
            ...(row.profileChange ? { profileCertificate: row.profileChange.certificate } : {}),
            ...(row.revocation ? { revocationCertificate: row.revocation.certificate } : {})
        }));
        // Redacted for everyone: checking needs the keys, and device labels are private (as in certificates.list).
        const authorDevices = await this.contexts.deviceChains(session.organizationId,
            page.flatMap(row => [row.authorDevice, row.profileChange?.authorDevice, row.revocation?.authorDevice]).filter((id): id is DeviceId => id !== undefined));
        return { users, authorDevices };
    }
}
