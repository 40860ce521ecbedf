import { DeviceId, KnownDevice, KnownUser, OrganizationId, SignedCertificate, UserId } from '@vouch/protocol';
import { NewDeviceRecord, NewUserRecord, Organization, PendingBootstrap } from './organization-types';

export interface OrganizationRepository {
    /** False when an organization with this id exists already. */
    create(organizationId: OrganizationId, bootstrapToken: string, now: number): Promise<boolean>;
    get(organizationId: OrganizationId): Promise<Organization | undefined>;
    count(): Promise<number>;
    pendingBootstraps(): Promise<PendingBootstrap[]>;
    /** Atomically consumes the token; false when another bootstrap won or the token differs. */
    markBootstrapped(organizationId: OrganizationId, token: string, rootVerifyKey: Uint8Array, now: number): Promise<boolean>;
    addUsers(organizationId: OrganizationId, users: readonly NewUserRecord[], devices: readonly NewDeviceRecord[]): Promise<void>;
    /** What the certificate rules need to know about existing devices and users. */
    knownDevices(organizationId: OrganizationId, deviceIds: readonly DeviceId[]): Promise<Map<DeviceId, KnownDevice>>;
    knownUsers(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<Map<UserId, KnownUser>>;
    hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean>;
    /** These devices' certificates, redacted (checking a chain needs keys, not labels), with the device that signed each. */
    redactedDeviceCertificates(organizationId: OrganizationId, deviceIds: readonly DeviceId[]): Promise<{ deviceId: DeviceId; authorDevice?: DeviceId; redacted: SignedCertificate }[]>;
}
