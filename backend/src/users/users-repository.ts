import { OrganizationId } from '@vouch/protocol';
import { UserRow } from './users-types';

export interface UsersRepository {
    /** Rows ordered by name then id (or by id alone); `search` is lowercase, matched as a substring of name or email. */
    listUsers(organizationId: OrganizationId, search: string, offset: number, limit: number, includeRevoked: boolean, order: 'name' | 'id'): Promise<UserRow[]>;
}

