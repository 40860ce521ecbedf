import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The name the inviter gave with an address (a pasted spreadsheet's name column): the guest's name field starts from it. */
export class InvitationProposedName1764530000000 implements MigrationInterface {
    name = 'InvitationProposedName1764530000000';

    async up(queryRunner: QueryRunner): Promise<void> {
        const mysql = queryRunner.connection.options.type === 'mysql';
        await queryRunner.addColumn('invitation', new TableColumn({
            name: 'proposed_name', type: 'varchar', length: '128', isNullable: true,
            ...(mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {})
        }));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.dropColumn('invitation', 'proposed_name');
    }
}
