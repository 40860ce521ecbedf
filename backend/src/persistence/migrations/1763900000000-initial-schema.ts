import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * Written with the Table API so one migration runs on SQLite and MariaDB/MySQL. On MySQL, text
 * columns are binary-collated: ids are case-sensitive (as on SQLite) and both databases order
 * and match the lowercase search columns the same way.
 */
export class InitialSchema1763900000000 implements MigrationInterface {
    name = 'InitialSchema1763900000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions =>
            ({ name, type: 'varchar', length: String(length), ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}), ...extra });
        const id = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => text(name, 32, extra);
        const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
        const int = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => ({ name, type: 'int', ...extra });
        const blob = (name: string): TableColumnOptions => ({ name, type: 'text' });

        await queryRunner.createTable(new Table({
            name: 'organization',
            columns: [
                id('id', { isPrimary: true }),
                text('bootstrap_token', 64, { isNullable: true }),
                text('root_verify_key', 64, { isNullable: true }),
                ms('created_on'),
                ms('bootstrapped_on', true),
                int('last_certificate_index', { default: 0 }),
                ms('last_certificate_timestamp', true)
            ]
        }));
        await queryRunner.createTable(new Table({
            name: 'certificate',
            columns: [
                id('organization_id', { isPrimary: true }),
                int('certificate_index', { isPrimary: true }),
                text('kind', 16),
                ms('signed_on'),
                id('author', { isNullable: true }),
                blob('signed'),
                blob('redacted')
            ]
        }));
        await queryRunner.createTable(new Table({
            name: 'org_user',
            columns: [
                id('organization_id', { isPrimary: true }),
                id('user_id', { isPrimary: true }),
                text('email', 254),
                text('label', 128),
                text('sort_label', 128),
                text('search', 400),
                text('profile', 16),
                ms('created_on'),
                id('created_by', { isNullable: true }),
                id('created_by_device', { isNullable: true }),
                ms('revoked_on', true),
                int('certificate_index')
            ],
            indices: [
                // Pages are read in this order, so a page (or a search that matches often) stops early.
                new TableIndex({ name: 'idx_org_user_order', columnNames: ['organization_id', 'sort_label', 'user_id'] }),
                new TableIndex({ name: 'idx_org_user_email', columnNames: ['organization_id', 'email'] })
            ]
        }));
        await queryRunner.createTable(new Table({
            name: 'device',
            columns: [
                id('organization_id', { isPrimary: true }),
                id('device_id', { isPrimary: true }),
                id('user_id'),
                text('label', 128),
                text('verify_key', 64),
                ms('created_on'),
                id('created_by_device', { isNullable: true }),
                int('certificate_index')
            ],
            indices: [new TableIndex({ name: 'idx_device_user', columnNames: ['organization_id', 'user_id'] })]
        }));
        await queryRunner.createTable(new Table({
            name: 'server_secret',
            columns: [text('name', 32, { isPrimary: true }), text('value', 128)]
        }));
        await queryRunner.createTable(new Table({
            name: 'used_challenge',
            columns: [text('challenge', 128, { isPrimary: true }), ms('expires_on')],
            indices: [new TableIndex({ name: 'idx_used_challenge_expiry', columnNames: ['expires_on'] })]
        }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['used_challenge', 'server_secret', 'device', 'org_user', 'certificate', 'organization']) {
            await queryRunner.dropTable(table);
        }
    }
}
