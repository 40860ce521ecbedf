import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

/** The certificate log: append-only, one hash chain per topic, the audit trail. */
@Entity({ name: 'certificate' })
export class CertificateEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ type: 'varchar', length: 64 })
    topic!: string;

    @PrimaryColumn({ name: 'certificate_index', type: 'int' })
    index!: number;

    @Column({ type: 'varchar', length: 16 })
    kind!: string;

    @Column({ name: 'signed_on', type: 'bigint', transformer: msTransformer })
    timestamp!: number;

    @Column({ type: 'varchar', length: 32, nullable: true })
    author!: string | null;

    /** The user the certificate is about: readers find a user's newest profile change or revocation by it. */
    @Column({ type: 'varchar', length: 32, nullable: true })
    subject!: string | null;

    /** Chain digest of this certificate: what the next one of the topic names as `previous`. */
    @Column({ type: 'varchar', length: 64 })
    digest!: string;

    @Column({ type: 'text' })
    signed!: string;

    @Column({ type: 'text' })
    redacted!: string;
}

/**
 * Where each topic of the log stands. Writers move a head with a conditional update: one topic's
 * writers queue behind each other, other topics' writers never wait for them.
 */
@Entity({ name: 'certificate_topic' })
export class CertificateTopicEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ type: 'varchar', length: 64 })
    topic!: string;

    @Column({ name: 'last_index', type: 'int' })
    lastIndex!: number;

    @Column({ name: 'last_digest', type: 'varchar', length: 64 })
    lastDigest!: string;

    @Column({ name: 'last_timestamp', type: 'bigint', transformer: msTransformer })
    lastTimestamp!: number;
}
