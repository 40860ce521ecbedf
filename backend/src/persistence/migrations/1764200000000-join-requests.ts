import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** Join requests, OIDC/SAML sign-ins under way, and SAML assertion ids already used. Table API: one migration for SQLite and MySQL. */
export class JoinRequests1764200000000 implements MigrationInterface {
    name = 'JoinRequests1764200000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions =>
            ({ name, type: 'varchar', length: String(length), ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}), ...extra });
        const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
        const long = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
        await queryRunner.createTable(new Table({
            name: 'join_request',
            columns: [
                text('organization_id', 32, { isPrimary: true }),
                text('request_id', 32, { isPrimary: true }),
                text('method', 8),
                text('state', 16),
                text('email', 254),
                text('open_email', 254, { isNullable: true }),
                text('claim_hash', 64),
                long('payload'),
                long('identity'),
                long('proof', true),
                ms('created_on'),
                ms('decided_on', true),
                text('decided_by', 32, { isNullable: true }),
                ms('claimed_on', true),
                long('acceptance', true)
            ],
            indices: [
                // NULLs never collide: only open requests compete for an email.
                new TableIndex({ name: 'uq_join_request_open_email', columnNames: ['organization_id', 'open_email'], isUnique: true }),
                new TableIndex({ name: 'uq_join_request_claim', columnNames: ['organization_id', 'claim_hash'], isUnique: true }),
                new TableIndex({ name: 'idx_join_request_state', columnNames: ['organization_id', 'state', 'created_on'] })
            ]
        }));
        await queryRunner.createTable(new Table({
            name: 'join_attempt',
            columns: [text('id', 128, { isPrimary: true }), text('organization_id', 32), text('method', 8), long('payload'), text('secret', 128, { isNullable: true }), ms('expires_on')],
            indices: [new TableIndex({ name: 'idx_join_attempt_expiry', columnNames: ['expires_on'] })]
        }));
        await queryRunner.createTable(new Table({
            name: 'join_used_assertion',
            columns: [text('id', 255, { isPrimary: true }), ms('expires_on')],
            indices: [new TableIndex({ name: 'idx_join_used_assertion_expiry', columnNames: ['expires_on'] })]
        }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.dropTable('join_used_assertion');
        await queryRunner.dropTable('join_attempt');
        await queryRunner.dropTable('join_request');
    }
}
