import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/** Invitations and the greeting state (attempts and their steps), so any instance serves any step. Table API: SQLite and MariaDB alike. */
export class Invitations1764100000000 implements MigrationInterface {
    name = 'Invitations1764100000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        const text = (name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions =>
            ({ name, type: 'varchar', length: String(length), ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {}), ...extra });
        const id = (name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions => text(name, 32, extra);
        const ms = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

        await queryRunner.createTable(new Table({
            name: 'invitation',
            columns: [
                id('invitation_id', { isPrimary: true }),
                id('organization_id'),
                text('token', 64),
                text('kind', 8),
                text('email', 254),
                id('user_id', { isNullable: true }),
                text('proposed_profile', 16, { isNullable: true }),
                id('created_by_user'),
                id('created_by_device'),
                ms('created_on'),
                text('status', 16),
                ms('finished_on', true),
                text('pending_key', 300, { isNullable: true }),
                id('active_attempt_id', { isNullable: true }),
                text('email_error', 500, { isNullable: true })
            ],
            indices: [
                new TableIndex({ name: 'idx_invitation_token', columnNames: ['organization_id', 'token'], isUnique: true }),
                new TableIndex({ name: 'idx_invitation_pending', columnNames: ['pending_key'], isUnique: true }),
                new TableIndex({ name: 'idx_invitation_status', columnNames: ['organization_id', 'status'] })
            ]
        }));
        await queryRunner.createTable(new Table({
            name: 'greeting_attempt',
            columns: [
                id('attempt_id', { isPrimary: true }),
                id('organization_id'),
                id('invitation_id'),
                id('host_user_id'),
                id('host_device_id'),
                ms('started_on'),
                text('status', 16),
                text('cancel_reason', 32, { isNullable: true }),
                text('cancelled_by', 8, { isNullable: true }),
                ms('ended_on', true)
            ],
            indices: [new TableIndex({ name: 'idx_greeting_attempt_invitation', columnNames: ['invitation_id'] })]
        }));
        await queryRunner.createTable(new Table({
            name: 'greeting_step',
            columns: [
                id('attempt_id', { isPrimary: true }),
                { name: 'step', type: 'int', isPrimary: true },
                text('side', 8, { isPrimary: true }),
                { name: 'payload', type: 'text' },
                ms('posted_on')
            ]
        }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        for (const table of ['greeting_step', 'greeting_attempt', 'invitation']) {
            await queryRunner.dropTable(table);
        }
    }
}
