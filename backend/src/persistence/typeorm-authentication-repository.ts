import { LessThan } from 'typeorm';
import { DeviceId, fromBase64Url, OrganizationId, toBase64Url, UserProfile } from '@vouch/protocol';
import { AuthenticationRepository } from '../authentication/authentication-repository';
import { AuthenticatingDevice } from '../authentication/authentication-types';
import { Database } from './database';
import { isUniqueViolation } from './db-errors';
import { DeviceEntity, OrganizationEntity, ServerSecretEntity, UsedChallengeEntity, UserEntity } from './entities';

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

    async organizationExists(organizationId: OrganizationId): Promise<boolean> {
        return await this.db.manager.countBy(OrganizationEntity, { id: organizationId }) > 0;
    }

    async findDevice(organizationId: OrganizationId, deviceId: DeviceId): Promise<AuthenticatingDevice | undefined> {
        const device = await this.db.manager.findOneBy(DeviceEntity, { organizationId, deviceId });
        if (!device) {
            return undefined;
        }
        const user = await this.db.manager.findOneByOrFail(UserEntity, { organizationId, userId: device.userId });
        return {
            userId: device.userId,
            verifyKey: fromBase64Url(device.verifyKey)!,
            profile: user.profile as UserProfile,
            humanHandle: { email: user.email, label: user.label },
            revoked: user.revokedOn !== null
        };
    }

    async recordUsedChallenge(challenge: string, expiresOn: number): Promise<boolean> {
        try {
            await this.db.withTransaction(() => this.db.manager.insert(UsedChallengeEntity, { challenge, expiresOn }));
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
