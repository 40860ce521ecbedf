import { In, IsNull, MoreThan } from 'typeorm';
import { OrganizationId, ROOT_ENTRY_ID, UserId, WorkspaceId, WorkspaceRole } from '@vouch/protocol';
import { WorkspacesRepository } from '../workspaces/workspaces-repository';
import { ManifestRecord, ManifestWriteRecord, MemberRecord, RoleChange, WorkspaceMembership, WorkspaceRecord } from '../workspaces/workspaces-types';
import { Database } from './database';
import { isUniqueViolation } from './db-errors';
import { UserEntity, WorkspaceBlockEntity, WorkspaceEntity, WorkspaceManifestEntity, WorkspaceMemberEntity } from './entities';

function toWorkspace(row: WorkspaceEntity): WorkspaceRecord {
    return { organizationId: row.organizationId, workspaceId: row.workspaceId, createdOn: row.createdOn, createdBy: row.createdBy, keyIndex: row.keyIndex, lastChange: row.lastChange };
}

/** Thrown to roll back a write whose expected versions do not match; never leaves this file. */
class Conflict extends Error {
    constructor(readonly entryId: string, readonly version: number) {
        super('conflict');
    }
}

export class TypeormWorkspacesRepository implements WorkspacesRepository {
    constructor(protected readonly db: Database) { }

    async get(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<WorkspaceRecord | undefined> {
        const row = await this.db.manager.findOneBy(WorkspaceEntity, { organizationId, workspaceId });
        return row ? toWorkspace(row) : undefined;
    }

    async members(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<MemberRecord[]> {
        const rows = await this.db.manager.find(WorkspaceMemberEntity, { where: { organizationId, workspaceId }, order: { userId: 'ASC' } });
        return rows.map(row => ({ userId: row.userId, role: row.role as WorkspaceRole, sealedKeys: row.sealedKeys }));
    }

    async workspacesOf(organizationId: OrganizationId, userId: UserId, withRoots = false): Promise<WorkspaceMembership[]> {
        const memberships = await this.db.manager.findBy(WorkspaceMemberEntity, { organizationId, userId });
        if (memberships.length === 0) {
            return [];
        }
        const ids = memberships.map(row => row.workspaceId);
        const [workspaces, counts, roots] = await Promise.all([
            this.db.manager.findBy(WorkspaceEntity, { organizationId, workspaceId: In(ids) }),
            this.db.manager.createQueryBuilder(WorkspaceMemberEntity, 'm').select('m.workspaceId', 'workspaceId').addSelect('COUNT(*)', 'members')
                .where('m.organizationId = :organizationId AND m.workspaceId IN (:...ids)', { organizationId, ids }).groupBy('m.workspaceId')
                .getRawMany<{ workspaceId: string; members: string | number }>(),
            withRoots ? this.db.manager.find(WorkspaceManifestEntity, { select: { workspaceId: true, version: true, keyIndex: true, blob: true }, where: { organizationId, workspaceId: In(ids), entryId: ROOT_ENTRY_ID } }) : Promise.resolve([])
        ]);
        const rootOf = new Map(roots.map(row => [row.workspaceId, { version: row.version, keyIndex: row.keyIndex, blob: row.blob }]));
        const byId = new Map(workspaces.map(row => [row.workspaceId, row]));
        const countOf = new Map(counts.map(row => [row.workspaceId, Number(row.members)]));
        return memberships.filter(row => byId.has(row.workspaceId)).map(row => ({
            ...toWorkspace(byId.get(row.workspaceId)!), role: row.role as WorkspaceRole, sealedKeys: row.sealedKeys, members: countOf.get(row.workspaceId) ?? 1,
            ...(rootOf.has(row.workspaceId) ? { root: rootOf.get(row.workspaceId)! } : {})
        }));
    }

    async create(workspace: WorkspaceRecord, owner: MemberRecord, root: { blob: string; updatedBy: string; now: number }): Promise<void> {
        const { organizationId, workspaceId } = workspace;
        await this.db.manager.insert(WorkspaceEntity, { ...workspace });
        await this.db.manager.insert(WorkspaceMemberEntity, { organizationId, workspaceId, userId: owner.userId, role: owner.role, sealedKeys: owner.sealedKeys });
        await this.db.manager.insert(WorkspaceManifestEntity, {
            organizationId, workspaceId, entryId: ROOT_ENTRY_ID, version: 1, keyIndex: 0, blob: root.blob, change: workspace.lastChange,
            updatedOn: root.now, updatedBy: root.updatedBy
        });
    }

    async applyRoles(organizationId: OrganizationId, workspaceId: WorkspaceId, changes: readonly RoleChange[]): Promise<void> {
        for (const change of changes) {
            if (change.role === null) {
                await this.db.manager.delete(WorkspaceMemberEntity, { organizationId, workspaceId, userId: change.userId });
            } else if (change.sealedKeys !== undefined) {
                await this.db.manager.insert(WorkspaceMemberEntity, { organizationId, workspaceId, userId: change.userId, role: change.role, sealedKeys: change.sealedKeys });
            } else {
                await this.db.manager.update(WorkspaceMemberEntity, { organizationId, workspaceId, userId: change.userId }, { role: change.role });
            }
        }
    }

    async activeUsers(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<Set<UserId>> {
        if (userIds.length === 0) {
            return new Set();
        }
        const query = this.db.manager.createQueryBuilder(UserEntity, 'u').select('u.userId', 'userId')
            .where({ organizationId, userId: In([...userIds]), revokedOn: IsNull() });
        // SQLite runs one transaction at a time; MySQL needs a lock to see a revocation committing now
        // (FOR UPDATE: MariaDB has no FOR SHARE, which TypeORM writes for a read lock).
        if (!this.db.isSqlite) {
            query.setLock('pessimistic_write');
        }
        const rows = await query.getRawMany<{ userId: string }>();
        return new Set(rows.map(row => row.userId));
    }

    async manifestsSince(organizationId: OrganizationId, workspaceId: WorkspaceId, since: number, limit: number): Promise<ManifestRecord[]> {
        const rows = await this.db.manager.find(WorkspaceManifestEntity, {
            where: { organizationId, workspaceId, change: MoreThan(since) }, order: { change: 'ASC', entryId: 'ASC' }, take: limit
        });
        return rows.map(row => ({ entryId: row.entryId, version: row.version, keyIndex: row.keyIndex, blob: row.blob, change: row.change }));
    }

    async writeManifests(organizationId: OrganizationId, workspaceId: WorkspaceId, entries: readonly ManifestWriteRecord[], by: string, now: number):
        Promise<{ versions: Record<string, number>; change: number } | { conflict: { entryId: string; version: number } }> {
        try {
            return await this.db.withTransaction(async () => {
                // Moving the change counter first serialises the workspace's writers (a row lock on MySQL).
                await this.db.manager.increment(WorkspaceEntity, { organizationId, workspaceId }, 'lastChange', 1);
                const { lastChange: change } = await this.db.manager.findOneByOrFail(WorkspaceEntity, { organizationId, workspaceId });
                const versions: Record<string, number> = {};
                for (const entry of entries) {
                    const version = entry.expectedVersion + 1;
                    const fields = { version, keyIndex: entry.keyIndex, blob: entry.blob, change, updatedOn: now, updatedBy: by };
                    if (entry.expectedVersion === 0) {
                        try {
                            await this.db.manager.insert(WorkspaceManifestEntity, { organizationId, workspaceId, entryId: entry.entryId, ...fields });
                        } catch (error) {
                            if (isUniqueViolation(error)) {
                                throw new Conflict(entry.entryId, await this.versionOf(organizationId, workspaceId, entry.entryId));
                            }
                            throw error;
                        }
                    } else {
                        const result = await this.db.manager.update(WorkspaceManifestEntity,
                            { organizationId, workspaceId, entryId: entry.entryId, version: entry.expectedVersion }, fields);
                        if (result.affected !== 1) {
                            throw new Conflict(entry.entryId, await this.versionOf(organizationId, workspaceId, entry.entryId));
                        }
                    }
                    versions[entry.entryId] = version;
                }
                return { versions, change };
            });
        } catch (error) {
            if (error instanceof Conflict) {
                return { conflict: { entryId: error.entryId, version: error.version } };
            }
            throw error;
        }
    }

    protected async versionOf(organizationId: OrganizationId, workspaceId: WorkspaceId, entryId: string): Promise<number> {
        return (await this.db.manager.findOneBy(WorkspaceManifestEntity, { organizationId, workspaceId, entryId }))?.version ?? 0;
    }

    async putBlock(organizationId: OrganizationId, workspaceId: WorkspaceId, blockId: string, data: Uint8Array): Promise<void> {
        // A block is written once; a retried upload of the same id replaces it with the same bytes.
        await this.db.standalone(() => this.db.manager.upsert(WorkspaceBlockEntity,
            { organizationId, workspaceId, blockId, size: data.length, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }, ['organizationId', 'workspaceId', 'blockId']));
    }

    async putBlocks(organizationId: OrganizationId, workspaceId: WorkspaceId, blocks: readonly { blockId: string; data: Uint8Array }[]): Promise<void> {
        await this.db.withTransaction(() => this.db.manager.upsert(WorkspaceBlockEntity, blocks.map(block => ({
            organizationId, workspaceId, blockId: block.blockId, size: block.data.length, data: Buffer.from(block.data.buffer, block.data.byteOffset, block.data.byteLength)
        })), ['organizationId', 'workspaceId', 'blockId']));
    }

    async getBlock(organizationId: OrganizationId, workspaceId: WorkspaceId, blockId: string): Promise<Uint8Array | undefined> {
        const row = await this.db.manager.findOneBy(WorkspaceBlockEntity, { organizationId, workspaceId, blockId });
        return row ? new Uint8Array(row.data) : undefined;
    }
}
