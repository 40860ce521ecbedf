import { OrganizationId } from '@vouch/protocol';
import { UserRow } from './users-types';

export interface UsersRepository {
    /** Rows ordered by name then id (or by id alone); `search` is lowercase, matched as a substring of name or email. */
    listUsers(organizationId: OrganizationId, search: string, offset: number, limit: number, includeRevoked: boolean, order: 'name' | 'id'): Promise<UserRow[]>;
    /** The rows of these users (revoked ones included), in id order; unknown ids are left out. */
    usersByIds(organizationId: OrganizationId, userIds: readonly string[]): Promise<UserRow[]>;
}

