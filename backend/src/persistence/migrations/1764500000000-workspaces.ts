import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** Workspaces: their roles and sealed keys, sealed manifests with versions and change numbers, sealed blocks. */
export class Workspaces1764500000000 implements MigrationInterface {
    name = 'Workspaces1764500000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions =>
            ({ name, type: 'varchar', length: String(length), ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}), ...extra });
        const id = (name: string, extra: Partial<TableColumnOptions> = {}) => text(name, 32, extra);
        // Sealed manifests and key lists reach hundreds of KiB; MySQL's TEXT and BLOB stop at 64 KiB.
        const large = (name: string, binary: boolean): TableColumnOptions => ({ name, type: mysql ? (binary ? 'mediumblob' : 'mediumtext') : (binary ? 'blob' : 'text') });
        await queryRunner.createTable(new Table({
            name: 'workspace',
            columns: [id('organization_id', { isPrimary: true }), id('workspace_id', { isPrimary: true }), { name: 'created_on', type: 'bigint' }, id('created_by'),
                { name: 'key_index', type: 'int' }, { name: 'last_change', type: 'int' }]
        }));
        await queryRunner.createTable(new Table({
            name: 'workspace_member',
            columns: [id('organization_id', { isPrimary: true }), id('workspace_id', { isPrimary: true }), id('user_id', { isPrimary: true }), text('role', 16),
                large('sealed_keys', false)],
            // A user's workspaces, at connection (rooms) and in the Workspaces view.
            indices: [new TableIndex({ name: 'workspace_member_user', columnNames: ['organization_id', 'user_id'] })]
        }));
        await queryRunner.createTable(new Table({
            name: 'workspace_manifest',
            columns: [id('organization_id', { isPrimary: true }), id('workspace_id', { isPrimary: true }), id('entry_id', { isPrimary: true }),
                { name: 'version', type: 'int' }, { name: 'key_index', type: 'int' }, large('blob', false), { name: 'change_number', type: 'int' },
                { name: 'updated_on', type: 'bigint' }, id('updated_by')],
            indices: [new TableIndex({ name: 'workspace_manifest_change', columnNames: ['organization_id', 'workspace_id', 'change_number'] })]
        }));
        await queryRunner.createTable(new Table({
            name: 'workspace_block',
            columns: [id('organization_id', { isPrimary: true }), id('workspace_id', { isPrimary: true }), id('block_id', { isPrimary: true }),
                { name: 'size', type: 'int' }, large('data', true)]
        }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['workspace_block', 'workspace_manifest', 'workspace_member', 'workspace']) {
            await queryRunner.dropTable(table);
        }
    }
}
