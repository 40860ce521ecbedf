import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

@Entity({ name: 'organization' })
export class OrganizationEntity {
    @PrimaryColumn({ type: 'varchar', length: 32 })
    id!: string;

    @Column({ name: 'bootstrap_token', type: 'varchar', length: 64, nullable: true })
    bootstrapToken!: string | null;

    @Column({ name: 'root_verify_key', type: 'varchar', length: 64, nullable: true })
    rootVerifyKey!: string | null;

    @Column({ name: 'created_on', type: 'bigint', transformer: msTransformer })
    createdOn!: number;

    @Column({ name: 'bootstrapped_on', type: 'bigint', nullable: true, transformer: msTransformer })
    bootstrappedOn!: number | null;
}
