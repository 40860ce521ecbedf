import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Secrets every instance must share (challenge HMAC key). */
@Entity({ name: 'server_secret' })
export class ServerSecretEntity {
    @PrimaryColumn({ type: 'varchar', length: 32 })
    name!: string;

    @Column({ type: 'varchar', length: 128 })
    value!: string;
}
