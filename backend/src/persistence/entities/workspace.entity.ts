import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

/** A workspace: what the server knows of it is its id, its key index and its change counter. */
@Entity({ name: 'workspace' })
export class WorkspaceEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 32 })
    workspaceId!: string;

    @Column({ name: 'created_on', type: 'bigint', transformer: msTransformer })
    createdOn!: number;

    @Column({ name: 'created_by', type: 'varchar', length: 32 })
    createdBy!: string;

    /** The newest key index: manifests are written under it. */
    @Column({ name: 'key_index', type: 'int' })
    keyIndex!: number;

    /** The newest change number; each write of manifests moves it. */
    @Column({ name: 'last_change', type: 'int' })
    lastChange!: number;
}

/** A member's role, as the workspace's log says it (a read model of its role certificates). */
@Entity({ name: 'workspace_member' })
export class WorkspaceMemberEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 32 })
    workspaceId!: string;

    @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 32 })
    userId!: string;

    @Column({ type: 'varchar', length: 16 })
    role!: string;

    /** The member's key list (index 0 to the workspace's key index), sealed to their user key. */
    @Column({ name: 'sealed_keys', type: 'text' })
    sealedKeys!: string;
}

/** A manifest's newest version, sealed: the server sees its size and version, never its content. */
@Entity({ name: 'workspace_manifest' })
export class WorkspaceManifestEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 32 })
    workspaceId!: string;

    @PrimaryColumn({ name: 'entry_id', type: 'varchar', length: 32 })
    entryId!: string;

    @Column({ type: 'int' })
    version!: number;

    @Column({ name: 'key_index', type: 'int' })
    keyIndex!: number;

    @Column({ type: 'text' })
    blob!: string;

    /** The change that wrote this version (the workspace's change counter). */
    @Column({ name: 'change_number', type: 'int' })
    change!: number;

    @Column({ name: 'updated_on', type: 'bigint', transformer: msTransformer })
    updatedOn!: number;

    @Column({ name: 'updated_by', type: 'varchar', length: 32 })
    updatedBy!: string;
}

/** A file block, sealed under its own key (kept in its file's manifest). */
@Entity({ name: 'workspace_block' })
export class WorkspaceBlockEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 32 })
    workspaceId!: string;

    @PrimaryColumn({ name: 'block_id', type: 'varchar', length: 32 })
    blockId!: string;

    @Column({ type: 'int' })
    size!: number;

    @Column({ type: 'blob' })
    data!: Buffer;
}
