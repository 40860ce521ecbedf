import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

@Entity({ name: 'join_request' })
export class JoinRequestEntity {
    @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @PrimaryColumn({ name: 'request_id', type: 'varchar', length: 32 })
    requestId!: string;

    @Column({ type: 'varchar', length: 8 })
    method!: string;

    @Column({ type: 'varchar', length: 16 })
    state!: string;

    @Column({ type: 'varchar', length: 254 })
    email!: string;

    /** The email while the request is pending, NULL after: one open request per email. */
    @Column({ name: 'open_email', type: 'varchar', length: 254, nullable: true })
    openEmail!: string | null;

    @Column({ name: 'claim_hash', type: 'varchar', length: 64 })
    claimHash!: string;

    /** JSON: the payload, the verified identity, the PKI proof. */
    @Column({ type: 'text' })
    payload!: string;

    @Column({ type: 'text' })
    identity!: string;

    @Column({ type: 'text', nullable: true })
    proof!: string | null;

    @Column({ name: 'created_on', type: 'bigint', transformer: msTransformer })
    createdOn!: number;

    @Column({ name: 'decided_on', type: 'bigint', nullable: true, transformer: msTransformer })
    decidedOn!: number | null;

    @Column({ name: 'decided_by', type: 'varchar', length: 32, nullable: true })
    decidedBy!: string | null;


    /** JSON of the acceptance (ids, profile, signed certificates, author device). */
    @Column({ type: 'text', nullable: true })
    acceptance!: string | null;
}

@Entity({ name: 'join_attempt' })
export class JoinAttemptEntity {
    @PrimaryColumn({ type: 'varchar', length: 128 })
    id!: string;

    @Column({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @Column({ type: 'varchar', length: 8 })
    method!: string;

    @Column({ type: 'text' })
    payload!: string;

    @Column({ type: 'varchar', length: 128, nullable: true })
    secret!: string | null;

    @Column({ name: 'expires_on', type: 'bigint', transformer: msTransformer })
    expiresOn!: number;
}

@Entity({ name: 'join_used_assertion' })
export class JoinUsedAssertionEntity {
    @PrimaryColumn({ type: 'varchar', length: 255 })
    id!: string;

    @Column({ name: 'expires_on', type: 'bigint', transformer: msTransformer })
    expiresOn!: number;
}
