import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

/** The organization's certificate log: append-only, the audit trail. */
@Entity({ name: 'certificate' })
export class CertificateEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'certificate_index', type: 'int' })
    index!: number;

    @Column({ type: 'varchar', length: 16 })
    kind!: string;

    @Column({ name: 'signed_on', type: 'bigint', transformer: msTransformer })
    timestamp!: number;

    @Column({ type: 'varchar', length: 32, nullable: true })
    author!: string | null;

    @Column({ type: 'text' })
    signed!: string;

    @Column({ type: 'text' })
    redacted!: string;
}
