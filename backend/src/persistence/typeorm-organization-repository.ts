import { In, IsNull, Not } from 'typeorm';
import { COMMON_TOPIC, DeviceId, fromBase64Url, KnownDevice, KnownUser, OrganizationId, SignedCertificate, toBase64Url, UserId, UserProfile } from '@vouch/protocol';
import { OrganizationRepository } from '../organization/organization-repository';
import { NewDeviceRecord, NewUserRecord, Organization, PendingBootstrap } from '../organization/organization-types';
import { chunks, Database } from './database';
import { isUniqueViolation } from './db-errors';
import { CertificateEntity, DeviceEntity, OrganizationEntity, UserEntity } from './entities';

/** What list searches match: name and email, lowercase, with a separator no query can bridge usefully. */
export function searchText(label: string, email: string): string {
    return `${label.toLowerCase()}\u001f${email.toLowerCase()}`;
}

export class TypeormOrganizationRepository implements OrganizationRepository {
    constructor(protected readonly db: Database) { }

    async create(organizationId: OrganizationId, bootstrapToken: string, now: number): Promise<boolean> {
        try {
            await this.db.withTransaction(() => this.db.manager.insert(OrganizationEntity, {
                id: organizationId, bootstrapToken, rootVerifyKey: null, createdOn: now, bootstrappedOn: null
            }));
            return true;
        } catch (error) {
            if (isUniqueViolation(error)) {
                return false;
            }
            throw error;
        }
    }

    async get(organizationId: OrganizationId): Promise<Organization | undefined> {
        const row = await this.db.manager.findOneBy(OrganizationEntity, { id: organizationId });
        if (!row) {
            return undefined;
        }
        return {
            id: row.id,
            bootstrapToken: row.bootstrapToken ?? undefined,
            rootVerifyKey: row.rootVerifyKey ? fromBase64Url(row.rootVerifyKey) : undefined,
            createdOn: row.createdOn,
            bootstrappedOn: row.bootstrappedOn ?? undefined
        };
    }

    count(): Promise<number> {
        return this.db.manager.count(OrganizationEntity);
    }

    async pendingBootstraps(): Promise<PendingBootstrap[]> {
        const rows = await this.db.manager.find(OrganizationEntity, {
            where: { bootstrappedOn: IsNull(), bootstrapToken: Not(IsNull()) },
            order: { id: 'ASC' }
        });
        return rows.map(row => ({ organizationId: row.id, token: row.bootstrapToken! }));
    }

    async markBootstrapped(organizationId: OrganizationId, token: string, rootVerifyKey: Uint8Array, now: number): Promise<boolean> {
        const result = await this.db.manager.createQueryBuilder()
            .update(OrganizationEntity)
            .set({ bootstrapToken: null, rootVerifyKey: toBase64Url(rootVerifyKey), bootstrappedOn: now })
            .where('id = :organizationId AND bootstrap_token = :token AND bootstrapped_on IS NULL', { organizationId, token })
            .execute();
        return result.affected === 1;
    }

    async addUsers(organizationId: OrganizationId, users: readonly NewUserRecord[], devices: readonly NewDeviceRecord[]): Promise<void> {
        for (const chunk of chunks(users)) {
            await this.db.manager.insert(UserEntity, chunk.map(user => ({
                organizationId, userId: user.userId, email: user.email, label: user.label, sortLabel: user.label.toLowerCase(),
                search: searchText(user.label, user.email), profile: user.profile, createdOn: user.createdOn,
                createdBy: user.createdBy ?? null, createdByDevice: user.createdByDevice ?? null, revokedOn: null,
                certificateIndex: user.certificateIndex
            })));
        }
        for (const chunk of chunks(devices)) {
            await this.db.manager.insert(DeviceEntity, chunk.map(device => ({
                organizationId, deviceId: device.deviceId, userId: device.userId, label: device.label,
                verifyKey: toBase64Url(device.verifyKey), createdOn: device.createdOn, createdByDevice: device.createdByDevice ?? null,
                certificateIndex: device.certificateIndex
            })));
        }
    }

    async knownDevices(organizationId: OrganizationId, deviceIds: readonly DeviceId[]): Promise<Map<DeviceId, KnownDevice>> {
        const rows = deviceIds.length === 0 ? [] : await this.db.manager.findBy(DeviceEntity, { organizationId, deviceId: In([...deviceIds]) });
        return new Map(rows.map(row => [row.deviceId, { userId: row.userId, verifyKey: fromBase64Url(row.verifyKey)! }]));
    }

    async knownUsers(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<Map<UserId, KnownUser>> {
        const rows = userIds.length === 0 ? [] : await this.db.manager.findBy(UserEntity, { organizationId, userId: In([...userIds]) });
        return new Map(rows.map(row => [row.userId, { profile: row.profile as UserProfile, revoked: row.revokedOn !== null }]));
    }

    async hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean> {
        return await this.db.manager.countBy(UserEntity, { organizationId, email, revokedOn: IsNull() }) > 0;
    }

    async redactedDeviceCertificates(organizationId: OrganizationId, deviceIds: readonly DeviceId[]): Promise<{ deviceId: DeviceId; authorDevice?: DeviceId; redacted: SignedCertificate }[]> {
        if (deviceIds.length === 0) {
            return [];
        }
        const devices = await this.db.manager.findBy(DeviceEntity, { organizationId, deviceId: In([...deviceIds]) });
        const certificates = devices.length === 0 ? [] : await this.db.manager.findBy(CertificateEntity,
            { organizationId, topic: COMMON_TOPIC, index: In(devices.map(device => device.certificateIndex)) });
        const byIndex = new Map(certificates.map(row => [row.index, row.redacted]));
        return devices.map(device => ({
            deviceId: device.deviceId, ...(device.createdByDevice ? { authorDevice: device.createdByDevice } : {}), redacted: byIndex.get(device.certificateIndex)!
        }));
    }
}
