import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

@Entity({ name: 'device' })
export class DeviceEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'device_id', type: 'varchar', length: 32 })
    deviceId!: string;

    @Column({ name: 'user_id', type: 'varchar', length: 32 })
    userId!: string;

    @Column({ type: 'varchar', length: 128 })
    label!: string;

    @Column({ name: 'verify_key', type: 'varchar', length: 64 })
    verifyKey!: string;

    @Column({ name: 'created_on', type: 'bigint', transformer: msTransformer })
    createdOn!: number;

    @Column({ name: 'created_by_device', type: 'varchar', length: 32, nullable: true })
    createdByDevice!: string | null;

    @Column({ name: 'certificate_index', type: 'int' })
    certificateIndex!: number;
}
