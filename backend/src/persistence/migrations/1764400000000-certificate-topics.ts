import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * The certificate log becomes one hash chain per topic (the organization's, later one per
 * workspace): certificates carry the chain digest of the one before them, which certificates
 * signed before this version do not. Such a log cannot be converted — only its authors could
 * sign it again — so a database that holds certificates is refused with words, and an empty
 * one gets the new tables. Nothing of Vouch was released before this change.
 */
export class CertificateTopics1764400000000 implements MigrationInterface {
    name = 'CertificateTopics1764400000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const [{ count }] = await queryRunner.query('SELECT COUNT(*) AS count FROM certificate') as { count: number | string }[];
        if (Number(count) > 0) {
            throw new Error('This database holds a certificate log written before certificates were chained (Vouch 0.1 development builds). ' +
                'It cannot be converted: start with a fresh database (an empty data folder, or a new MySQL database).');
        }
        const mysql = queryRunner.connection.options.type === 'mysql';
        const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions =>
            ({ name, type: 'varchar', length: String(length), ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}), ...extra });
        await queryRunner.dropTable('certificate');
        await queryRunner.createTable(new Table({
            name: 'certificate',
            columns: [
                text('organization_id', 32, { isPrimary: true }),
                text('topic', 64, { isPrimary: true }),
                { name: 'certificate_index', type: 'int', isPrimary: true },
                text('kind', 16),
                { name: 'signed_on', type: 'bigint' },
                text('author', 32, { isNullable: true }),
                text('subject', 32, { isNullable: true }),
                text('digest', 64),
                { name: 'signed', type: 'text' },
                { name: 'redacted', type: 'text' }
            ],
            // A user's certificates (the Users view re-checks each row's newest profile change and revocation).
            indices: [
                new TableIndex({ name: 'certificate_subject', columnNames: ['organization_id', 'topic', 'subject', 'certificate_index'] }),
                // The newest of a kind (the organization's pinned PKI trust anchors).
                new TableIndex({ name: 'certificate_kind', columnNames: ['organization_id', 'topic', 'kind', 'certificate_index'] })
            ]
        }));
        await queryRunner.createTable(new Table({
            name: 'certificate_topic',
            columns: [
                text('organization_id', 32, { isPrimary: true }),
                text('topic', 64, { isPrimary: true }),
                { name: 'last_index', type: 'int' },
                text('last_digest', 64),
                { name: 'last_timestamp', type: 'bigint' }
            ]
        }));
        await queryRunner.dropColumn('organization', 'last_certificate_index');
        await queryRunner.dropColumn('organization', 'last_certificate_timestamp');
        // Accepting a join request is now one transaction with its new user: no claim to keep.
        await queryRunner.dropColumn('join_request', 'claimed_on');
    }

    async down(): Promise<void> {
        throw new Error('The chained certificate log cannot be turned back into the unchained one');
    }
}
