import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** Re-encryption of workspaces: what revocations exposed, and the run in progress (its lease and progress). */
export class WorkspaceReencryption1764600000000 implements MigrationInterface {
    name = 'WorkspaceReencryption1764600000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        const id = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions =>
            ({ name, type: 'varchar', length: '32', ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}), ...extra });
        await queryRunner.createTable(new Table({
            name: 'workspace_reencryption',
            columns: [
                id('organization_id', { isPrimary: true }), id('workspace_id', { isPrimary: true }),
                { name: 'revocations', type: 'int' }, { name: 'covered', type: 'int' }, { name: 'needed_since', type: 'bigint', isNullable: true },
                { name: 'key_index', type: 'int', isNullable: true }, id('runner_user_id', { isNullable: true }), id('runner_device_id', { isNullable: true }),
                { name: 'lease_until', type: 'bigint', isNullable: true }, { name: 'started_on', type: 'bigint', isNullable: true },
                { name: 'done', type: 'int' }, { name: 'total', type: 'int' }
            ]
        }));
        // A revocation finds the workspaces whose log ever named the user, across every topic.
        await queryRunner.createIndex('certificate', new TableIndex({ name: 'certificate_subject_kind', columnNames: ['organization_id', 'subject', 'kind'] }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.dropIndex('certificate', 'certificate_subject_kind');
        await queryRunner.dropTable('workspace_reencryption');
    }
}
