import { randomBytes, timingSafeEqual } from 'crypto';
import {
    certificateError, CertificateContext, checkNewDevice, checkNewUser, CheckedNewUser, decodeCertificate, DEFAULT_TIMESTAMP_BALLPARK_MS, DeviceId,
    fail, fromBase64Url, KnownDevice, KnownUser, NewDeviceCertificates, NewUserCertificates, ok, OrganizationId, OrganizationIdSchema, Outcome, SignatureScheme, UserId
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { CertificateEvents } from '../common/certificate-events';
import { Transactions } from '../common/transactions';
import { OrganizationRepository } from './organization-repository';
import {
    AddedUser, AddUserError, BootstrapError, CertificateLogEntry, CreateOrganizationError, NewDeviceRecord, NewUserRecord,
    OrganizationStatus, PendingBootstrap
} from './organization-types';

/** Optimistic writers that lose the race for the log head re-check and retry this often. */
const LOG_WRITE_ATTEMPTS = 5;

export class OrganizationService {
    constructor(
        protected readonly repository: OrganizationRepository,
        protected readonly transactions: Transactions,
        protected readonly scheme: SignatureScheme,
        protected readonly events: CertificateEvents,
        protected readonly ballparkMs = DEFAULT_TIMESTAMP_BALLPARK_MS
    ) { }

    async create(organizationId: string, now: number): Promise<Outcome<{ organizationId: OrganizationId; bootstrapToken: string }, CreateOrganizationError>> {
        const name = OrganizationIdSchema.safeParse(organizationId);
        if (!name.success) {
            return fail({ code: 'ORGANIZATION_NAME_INVALID', message: `"${organizationId}" is not a valid organization name: ${name.error.issues[0].message}` });
        }
        // 128 bits: guessing the token is the only way to take over a fresh organization.
        const bootstrapToken = randomBytes(16).toString('base64url');
        if (!await this.repository.create(name.data, bootstrapToken, now)) {
            return fail({ code: 'ORGANIZATION_ALREADY_EXISTS', message: `The organization "${name.data}" already exists` });
        }
        return ok({ organizationId: name.data, bootstrapToken });
    }

    async status(organizationId: OrganizationId): Promise<Outcome<OrganizationStatus, { code: 'ORGANIZATION_NOT_FOUND'; message: string }>> {
        const organization = await this.repository.get(organizationId);
        if (!organization) {
            return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No organization "${organizationId}" on this server` });
        }
        return ok({ organizationId, bootstrapped: organization.bootstrappedOn !== undefined });
    }

    pendingBootstraps(): Promise<PendingBootstrap[]> {
        return this.repository.pendingBootstraps();
    }

    async countOrganizations(): Promise<number> {
        return this.repository.count();
    }

    async bootstrap(organizationId: OrganizationId, token: string, rootVerifyKey: string, certificates: NewUserCertificates, now: number): Promise<Outcome<AddedUser, BootstrapError>> {
        const organization = await this.repository.get(organizationId);
        if (!organization) {
            return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No organization "${organizationId}" on this server` });
        }
        if (organization.bootstrappedOn !== undefined || organization.bootstrapToken === undefined) {
            return fail({ code: 'ORGANIZATION_ALREADY_BOOTSTRAPPED', message: `The organization "${organizationId}" is already bootstrapped` });
        }
        if (!sameSecret(organization.bootstrapToken, token)) {
            return fail({ code: 'BOOTSTRAP_TOKEN_INVALID', message: 'The bootstrap token is not valid for this organization' });
        }
        const rootKey = fromBase64Url(rootVerifyKey);
        if (!rootKey || rootKey.length !== 32) {
            return fail(certificateError('CERTIFICATE_MALFORMED', 'The root verify key must be 32 bytes in base64url'));
        }
        const checked = checkNewUser(certificates, this.context(rootKey, undefined, now, new Map(), new Map()), { bootstrap: true });
        if (!checked.ok) {
            return checked;
        }
        const stored = await this.transactions.withTransaction(async () => {
            // The conditional update is the lock: of two concurrent bootstraps exactly one changes the row.
            if (!await this.repository.markBootstrapped(organizationId, token, rootKey, now)) {
                return false;
            }
            await this.repository.advanceCertificateLog(organizationId, 0, 2, checked.value.user.content.timestamp);
            await this.store(organizationId, 0, checked.value);
            return true;
        });
        if (!stored) {
            return fail({ code: 'ORGANIZATION_ALREADY_BOOTSTRAPPED', message: `The organization "${organizationId}" is already bootstrapped` });
        }
        this.events.onDidAddCertificates(organizationId, { index: 2, kinds: ['user', 'device'] });
        return ok({ userId: checked.value.user.content.userId, deviceId: checked.value.device.content.deviceId });
    }

    /** An Administrator's device adds a user with its first device (the last step of an invitation). */
    async addUser(session: DeviceSession, certificates: NewUserCertificates, now: number): Promise<Outcome<AddedUser, AddUserError>> {
        const { organizationId } = session;
        const claimed = decodeCertificate(certificates.user);
        const claimedDevice = decodeCertificate(certificates.device);
        if (claimed.ok && claimed.value.content.author !== session.deviceId) {
            return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
        }
        for (let attempt = 0; attempt < LOG_WRITE_ATTEMPTS; attempt++) {
            const organization = await this.repository.get(organizationId);
            if (!organization?.rootVerifyKey) {
                return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No bootstrapped organization "${organizationId}" on this server` });
            }
            const userIds: UserId[] = [session.userId];
            const deviceIds: DeviceId[] = [session.deviceId];
            if (claimed.ok) { userIds.push(claimed.value.content.userId); }
            if (claimedDevice.ok && claimedDevice.value.content.kind === 'device') { deviceIds.push(claimedDevice.value.content.deviceId); }
            const [devices, users] = await Promise.all([
                this.repository.knownDevices(organizationId, deviceIds),
                this.repository.knownUsers(organizationId, userIds)
            ]);
            const checked = checkNewUser(certificates, this.context(organization.rootVerifyKey, organization.lastCertificateTimestamp, now, devices, users), { bootstrap: false });
            if (!checked.ok) {
                return checked;
            }
            const email = checked.value.user.content.humanHandle!.email;
            const stored = await this.transactions.withTransaction(async (): Promise<'stored' | 'moved' | 'email-taken'> => {
                if (!await this.repository.advanceCertificateLog(organizationId, organization.lastCertificateIndex, 2, checked.value.user.content.timestamp)) {
                    return 'moved';
                }
                // Checked once this writer holds the log head, so two invitations cannot both take one email.
                if (await this.repository.hasActiveUserWithEmail(organizationId, email)) {
                    throw new EmailTaken();
                }
                await this.store(organizationId, organization.lastCertificateIndex, checked.value, session);
                return 'stored';
            }).catch(error => {
                if (error instanceof EmailTaken) {
                    return 'email-taken' as const;
                }
                throw error;
            });
            if (stored === 'email-taken') {
                return fail(certificateError('CERTIFICATE_ALREADY_EXISTS', `A user with the email ${email} already exists`));
            }
            if (stored === 'stored') {
                this.events.onDidAddCertificates(organizationId, { index: organization.lastCertificateIndex + 2, kinds: ['user', 'device'] });
                return ok({ userId: checked.value.user.content.userId, deviceId: checked.value.device.content.deviceId });
            }
        }
        throw new Error(`The certificate log of ${organizationId} kept moving during ${LOG_WRITE_ATTEMPTS} attempts`);
    }

    /** A device adds another device of its own user (the last step of a device invitation). */
    async addDevice(session: DeviceSession, certificates: NewDeviceCertificates, now: number): Promise<Outcome<AddedUser, AddUserError>> {
        const { organizationId } = session;
        const claimed = decodeCertificate(certificates.device);
        if (claimed.ok && claimed.value.content.author !== session.deviceId) {
            return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
        }
        for (let attempt = 0; attempt < LOG_WRITE_ATTEMPTS; attempt++) {
            const organization = await this.repository.get(organizationId);
            if (!organization?.rootVerifyKey) {
                return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No bootstrapped organization "${organizationId}" on this server` });
            }
            const deviceIds: DeviceId[] = [session.deviceId];
            if (claimed.ok && claimed.value.content.kind === 'device') { deviceIds.push(claimed.value.content.deviceId); }
            const [devices, users] = await Promise.all([
                this.repository.knownDevices(organizationId, deviceIds),
                this.repository.knownUsers(organizationId, [session.userId])
            ]);
            const checked = checkNewDevice(certificates, this.context(organization.rootVerifyKey, organization.lastCertificateTimestamp, now, devices, users));
            if (!checked.ok) {
                return checked;
            }
            const device = checked.value.device.content;
            const stored = await this.transactions.withTransaction(async () => {
                if (!await this.repository.advanceCertificateLog(organizationId, organization.lastCertificateIndex, 1, device.timestamp)) {
                    return false;
                }
                const index = organization.lastCertificateIndex + 1;
                await this.repository.appendCertificates(organizationId, [
                    { index, kind: 'device', timestamp: device.timestamp, author: device.author, signed: checked.value.device.signed, redacted: checked.value.redactedDevice.signed }
                ]);
                await this.repository.addUsers(organizationId, [], [{
                    deviceId: device.deviceId, userId: device.userId, label: device.deviceLabel!, verifyKey: fromBase64Url(device.verifyKey)!,
                    createdOn: device.timestamp, createdByDevice: device.author ?? undefined, certificateIndex: index
                }]);
                return true;
            });
            if (stored) {
                this.events.onDidAddCertificates(organizationId, { index: organization.lastCertificateIndex + 1, kinds: ['device'] });
                return ok({ userId: device.userId, deviceId: device.deviceId });
            }
        }
        throw new Error(`The certificate log of ${organizationId} kept moving during ${LOG_WRITE_ATTEMPTS} attempts`);
    }

    /** Writes the log entries and the rows queries read; runs inside the transaction that moved the log head. */
    protected async store(organizationId: OrganizationId, lastIndex: number, checked: CheckedNewUser, author?: DeviceSession): Promise<void> {
        const user = checked.user.content;
        const device = checked.device.content;
        const entries: CertificateLogEntry[] = [
            { index: lastIndex + 1, kind: 'user', timestamp: user.timestamp, author: user.author, signed: checked.user.signed, redacted: checked.redactedUser.signed },
            { index: lastIndex + 2, kind: 'device', timestamp: device.timestamp, author: device.author, signed: checked.device.signed, redacted: checked.redactedDevice.signed }
        ];
        await this.repository.appendCertificates(organizationId, entries);
        const userRecord: NewUserRecord = {
            userId: user.userId, email: user.humanHandle!.email, label: user.humanHandle!.label, profile: user.profile, createdOn: user.timestamp,
            createdBy: author?.userId, createdByDevice: user.author ?? undefined, certificateIndex: lastIndex + 1
        };
        const deviceRecord: NewDeviceRecord = {
            deviceId: device.deviceId, userId: device.userId, label: device.deviceLabel!, verifyKey: fromBase64Url(device.verifyKey)!,
            createdOn: device.timestamp, createdByDevice: device.author ?? undefined, certificateIndex: lastIndex + 2
        };
        await this.repository.addUsers(organizationId, [userRecord], [deviceRecord]);
    }

    protected context(rootVerifyKey: Uint8Array, lastTimestamp: number | undefined, now: number,
        devices: Map<DeviceId, KnownDevice>, users: Map<UserId, KnownUser>): CertificateContext {
        return {
            scheme: this.scheme, rootVerifyKey, now, ballparkMs: this.ballparkMs, lastTimestamp,
            device: id => devices.get(id),
            user: id => users.get(id)
        };
    }
}

/** Thrown to roll the transaction back; never leaves this file. */
class EmailTaken extends Error { }

function sameSecret(expected: string, given: string): boolean {
    const a = Buffer.from(expected);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
}

