import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Which connection holds each side of a greeting attempt, so a side whose connection closes and
 * does not come back within the grace period ends the attempt for the other; and an index for
 * the sweep of attempts nobody touched for their lifetime.
 */
export class GreetingConnections1764520000000 implements MigrationInterface {
    name = 'GreetingConnections1764520000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        for (const name of ['host_connection', 'guest_connection']) {
            await queryRunner.addColumn('greeting_attempt', new TableColumn({
                name, type: 'varchar', length: '32', isNullable: true,
                ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {})
            }));
        }
        await queryRunner.createIndex('greeting_attempt', new TableIndex({ name: 'idx_greeting_attempt_status', columnNames: ['status', 'started_on'] }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.dropIndex('greeting_attempt', 'idx_greeting_attempt_status');
        await queryRunner.dropColumn('greeting_attempt', 'guest_connection');
        await queryRunner.dropColumn('greeting_attempt', 'host_connection');
    }
}
