import { OrganizationId, UserId, WorkspaceId } from '@vouch/protocol';
import { ManifestRecord, ManifestWriteRecord, MemberRecord, RoleChange, WorkspaceMembership, WorkspaceRecord } from './workspaces-types';

export interface WorkspacesRepository {
    get(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<WorkspaceRecord | undefined>;
    members(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<MemberRecord[]>;
    /** The workspaces a user belongs to, with their role, sealed keys, the member count, and the sealed root folder when asked. */
    workspacesOf(organizationId: OrganizationId, userId: UserId, withRoots?: boolean): Promise<WorkspaceMembership[]>;
    /** In the transaction that appends the workspace's first certificates. */
    create(workspace: WorkspaceRecord, owner: MemberRecord, root: { blob: string; updatedBy: string; now: number }): Promise<void>;
    /** In the transaction that appends the role certificates. */
    applyRoles(organizationId: OrganizationId, workspaceId: WorkspaceId, changes: readonly RoleChange[]): Promise<void>;
    /**
     * Which of these users are active (not revoked), read so that a revocation committing at the
     * same time waits for this transaction or is seen by it (a shared lock where the database has one).
     */
    activeUsers(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<Set<UserId>>;
    manifestsSince(organizationId: OrganizationId, workspaceId: WorkspaceId, since: number, limit: number): Promise<ManifestRecord[]>;
    /**
     * Writes the manifests, all or none, under the next change number; each replaces the version
     * it names (0: a new entry). On a mismatch nothing is written and the conflict is returned.
     */
    writeManifests(organizationId: OrganizationId, workspaceId: WorkspaceId, entries: readonly ManifestWriteRecord[], by: string, now: number):
        Promise<{ versions: Record<string, number>; change: number } | { conflict: { entryId: string; version: number } }>;
    putBlock(organizationId: OrganizationId, workspaceId: WorkspaceId, blockId: string, data: Uint8Array): Promise<void>;
    /** Blocks written together, all or none; a block sent again replaces itself with the same bytes. */
    putBlocks(organizationId: OrganizationId, workspaceId: WorkspaceId, blocks: readonly { blockId: string; data: Uint8Array }[]): Promise<void>;
    getBlock(organizationId: OrganizationId, workspaceId: WorkspaceId, blockId: string): Promise<Uint8Array | undefined>;
}
