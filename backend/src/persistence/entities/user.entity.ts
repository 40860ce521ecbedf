import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

@Entity({ name: 'org_user' })
export class UserEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 32 })
    userId!: string;

    @Column({ type: 'varchar', length: 254 })
    email!: string;

    @Column({ type: 'varchar', length: 128 })
    label!: string;

    /** Lowercase label: the order of lists. */
    @Column({ name: 'sort_label', type: 'varchar', length: 128 })
    sortLabel!: string;

    /** Lowercase "label \x1f email": what searches match. */
    @Column({ type: 'varchar', length: 400 })
    search!: string;

    @Column({ type: 'varchar', length: 16 })
    profile!: string;

    @Column({ name: 'created_on', type: 'bigint', transformer: msTransformer })
    createdOn!: number;

    @Column({ name: 'created_by', type: 'varchar', length: 32, nullable: true })
    createdBy!: string | null;

    @Column({ name: 'created_by_device', type: 'varchar', length: 32, nullable: true })
    createdByDevice!: string | null;

    @Column({ name: 'revoked_on', type: 'bigint', nullable: true, transformer: msTransformer })
    revokedOn!: number | null;

    /** The user who revoked this one (migration 1764300000000). */
    @Column({ name: 'revoked_by', type: 'varchar', length: 32, nullable: true })
    revokedBy!: string | null;

    @Column({ name: 'certificate_index', type: 'int' })
    certificateIndex!: number;
}
