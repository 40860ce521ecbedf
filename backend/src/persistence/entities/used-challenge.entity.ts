import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

@Entity({ name: 'used_challenge' })
export class UsedChallengeEntity {
    @PrimaryColumn({ type: 'varchar', length: 128 })
    challenge!: string;

    @Column({ name: 'expires_on', type: 'bigint', transformer: msTransformer })
    expiresOn!: number;
}
