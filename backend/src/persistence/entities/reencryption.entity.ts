import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

/** A workspace's re-encryption: the revocations that exposed its key, those a rotation covered, and the run in progress. */
@Entity({ name: 'workspace_reencryption' })
export class WorkspaceReencryptionEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'workspace_id', type: 'varchar', length: 32 })
    workspaceId!: string;

    /** Revocations that exposed the workspace's key so far. */
    @Column({ type: 'int' })
    revocations!: number;

    /** `revocations` as the newest rotation saw it: needed while fewer. */
    @Column({ type: 'int' })
    covered!: number;

    @Column({ name: 'needed_since', type: 'bigint', nullable: true, transformer: msTransformer })
    neededSince!: number | null;

    /** The run's key index from its rotation to its finish (maintenance). */
    @Column({ name: 'key_index', type: 'int', nullable: true })
    keyIndex!: number | null;

    @Column({ name: 'runner_user_id', type: 'varchar', length: 32, nullable: true })
    runnerUserId!: string | null;

    @Column({ name: 'runner_device_id', type: 'varchar', length: 32, nullable: true })
    runnerDeviceId!: string | null;

    @Column({ name: 'lease_until', type: 'bigint', nullable: true, transformer: msTransformer })
    leaseUntil!: number | null;

    @Column({ name: 'started_on', type: 'bigint', nullable: true, transformer: msTransformer })
    startedOn!: number | null;

    /** Manifests moved to the run's key, and how many there were at its rotation. */
    @Column({ type: 'int' })
    done!: number;

    @Column({ type: 'int' })
    total!: number;
}
