import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Revoked users stay listed with who revoked them (the revoked_user certificate's author's user). */
export class UserRevokedBy1764300000000 implements MigrationInterface {
    name = 'UserRevokedBy1764300000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        await queryRunner.addColumn('org_user', new TableColumn({
            name: 'revoked_by', type: 'varchar', length: '32', isNullable: true,
            ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {})
        }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.dropColumn('org_user', 'revoked_by');
    }
}
