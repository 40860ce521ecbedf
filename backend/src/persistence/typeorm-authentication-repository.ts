import { LessThan } from 'typeorm';
import { DeviceId, fromBase64Url, OrganizationId, toBase64Url, UserProfile } from '@vouch/protocol';
import { AuthenticationRepository } from '../authentication/authentication-repository';
import { AuthenticatingDevice } from '../authentication/authentication-types';
import { Database } from './database';
import { isUniqueViolation } from './db-errors';
import { DeviceEntity, OrganizationEntity, ServerSecretEntity, UsedChallengeEntity, UserEntity } from './entities';

interface DeviceWithUserRow {
    readonly userId: string;
    readonly verifyKey: string;
    readonly profile: string;
    readonly email: string;
    readonly label: string;
    readonly revokedOn: unknown;
}

export class TypeormAuthenticationRepository implements AuthenticationRepository {
    constructor(protected readonly db: Database) { }

    async loadOrCreateServerSecret(name: string, candidate: Uint8Array): Promise<Uint8Array> {
        try {
            await this.db.withTransaction(() => this.db.manager.insert(ServerSecretEntity, { name, value: toBase64Url(candidate) }));
        } catch (error) {
            // Another instance created it first: everyone uses that one.
            if (!isUniqueViolation(error)) {
                throw error;
            }
        }
        const row = await this.db.manager.findOneByOrFail(ServerSecretEntity, { name });
        return fromBase64Url(row.value)!;
    }

    async findDevice(organizationId: OrganizationId, deviceId: DeviceId): Promise<AuthenticatingDevice | 'UNKNOWN_DEVICE' | 'UNKNOWN_ORGANIZATION'> {
        const row: DeviceWithUserRow | undefined = await this.db.manager.createQueryBuilder(DeviceEntity, 'd')
            .innerJoin(UserEntity, 'u', 'u.organization_id = d.organization_id AND u.user_id = d.user_id')
            .select(['d.user_id AS userId', 'd.verify_key AS verifyKey', 'u.profile AS profile', 'u.email AS email', 'u.label AS label', 'u.revoked_on AS revokedOn'])
            .where('d.organization_id = :organizationId AND d.device_id = :deviceId', { organizationId, deviceId })
            .getRawOne();
        if (!row) {
            return await this.db.manager.existsBy(OrganizationEntity, { id: organizationId }) ? 'UNKNOWN_DEVICE' : 'UNKNOWN_ORGANIZATION';
        }
        return {
            userId: row.userId,
            verifyKey: fromBase64Url(row.verifyKey)!,
            profile: row.profile as UserProfile,
            humanHandle: { email: row.email, label: row.label },
            revoked: row.revokedOn !== null
        };
    }

    async recordUsedChallenge(challenge: string, expiresOn: number): Promise<boolean> {
        try {
            // One statement, atomic by itself: no transaction round trips on a path every connection takes.
            await this.db.standalone(() => this.db.manager.insert(UsedChallengeEntity, { challenge, expiresOn }));
            return true;
        } catch (error) {
            if (isUniqueViolation(error)) {
                return false;
            }
            throw error;
        }
    }

    async purgeUsedChallenges(now: number): Promise<void> {
        await this.db.withTransaction(() => this.db.manager.delete(UsedChallengeEntity, { expiresOn: LessThan(now) }));
    }
}
