import { randomBytes, timingSafeEqual } from 'crypto';
import {
    certificateError, checkNewDevice, checkNewUser, CheckedNewUser, COMMON_TOPIC, decodeCertificate, DeviceId,
    fail, fromBase64Url, NewDeviceCertificates, NewUserCertificates, ok, OrganizationId, OrganizationIdSchema, Outcome, UserId
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { CertificateContexts } from './certificate-contexts';
import { CertificateLog, LogOperation, NewLogEntry } from './certificate-log';
import { OrganizationRepository } from './organization-repository';
import {
    AddedUser, AddUserError, BootstrapError, CreateOrganizationError, NewDeviceRecord, NewUserRecord, OrganizationStatus, OrganizationStatusError, PendingBootstrap
} from './organization-types';

/**
 * Writes made with a new user or device, in the same transaction (greeting step 7 finishes its
 * invitation, an accepted join request is marked accepted); a refusal rolls the user back too.
 */
export type AlongWithEnrolment<E> = (added: AddedUser) => Promise<Outcome<void, E>>;

/**
 * The organization: creation, bootstrap, and the users and devices its certificates add. Every
 * certificate goes through the one log writer (`CertificateLog`), on the organization's topic.
 */
export class OrganizationService {
    constructor(
        protected readonly repository: OrganizationRepository,
        protected readonly log: CertificateLog,
        protected readonly contexts: CertificateContexts
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

    async status(organizationId: OrganizationId): Promise<Outcome<OrganizationStatus, OrganizationStatusError>> {
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
        const rootKey = fromBase64Url(rootVerifyKey);
        return this.log.append<AddedUser, BootstrapError>(organizationId, COMMON_TOPIC, async head => {
            // Read after the head: a bootstrap that won meanwhile shows here, not as a moved log.
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
            if (!rootKey || rootKey.length !== 32) {
                return fail(certificateError('CERTIFICATE_MALFORMED', 'The root verify key must be 32 bytes in base64url'));
            }
            const checked = checkNewUser(certificates, this.contexts.context(rootKey, head, now), { bootstrap: true });
            if (!checked.ok) {
                return checked;
            }
            return ok(this.newUserOperation<BootstrapError>(organizationId, checked.value, undefined, async () => {
                // The conditional update is the lock: of two concurrent bootstraps exactly one changes the row.
                return await this.repository.markBootstrapped(organizationId, token, rootKey, now)
                    ? ok(undefined)
                    : fail({ code: 'ORGANIZATION_ALREADY_BOOTSTRAPPED', message: `The organization "${organizationId}" is already bootstrapped` });
            }));
        });
    }

    /**
     * An Administrator's device adds a user with its first device (the last step of an
     * invitation or a join request); `along` writes what must commit with them.
     */
    async addUser<E = never>(session: DeviceSession, certificates: NewUserCertificates, now: number, along?: AlongWithEnrolment<E>): Promise<Outcome<AddedUser, AddUserError | E>> {
        const { organizationId } = session;
        const claimed = decodeCertificate(certificates.user);
        const claimedDevice = decodeCertificate(certificates.device);
        if (claimed.ok && claimed.value.content.author !== session.deviceId) {
            return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
        }
        return this.log.append<AddedUser, AddUserError | E>(organizationId, COMMON_TOPIC, async head => {
            const users: UserId[] = [session.userId];
            const devices: DeviceId[] = [session.deviceId];
            if (claimed.ok && claimed.value.content.kind === 'user') { users.push(claimed.value.content.userId); }
            if (claimedDevice.ok && claimedDevice.value.content.kind === 'device') { devices.push(claimedDevice.value.content.deviceId); }
            const ctx = await this.contexts.read(organizationId, head, now, { users, devices });
            if (!ctx.ok) { return ctx; }
            const checked = checkNewUser(certificates, ctx.value, { bootstrap: false });
            if (!checked.ok) {
                return checked;
            }
            const email = checked.value.user.content.humanHandle!.email;
            return ok(this.newUserOperation<AddUserError | E>(organizationId, checked.value, session, async added => {
                // Checked once this writer holds the log head, so two invitations cannot both take one email.
                if (await this.repository.hasActiveUserWithEmail(organizationId, email)) {
                    return fail(certificateError('CERTIFICATE_ALREADY_EXISTS', `A user with the email ${email} already exists`));
                }
                return along ? along(added) : ok(undefined);
            }));
        });
    }

    /** A device adds another device of its own user (the last step of a device invitation). */
    async addDevice<E = never>(session: DeviceSession, certificates: NewDeviceCertificates, now: number, along?: AlongWithEnrolment<E>): Promise<Outcome<AddedUser, AddUserError | E>> {
        const { organizationId } = session;
        const claimed = decodeCertificate(certificates.device);
        if (claimed.ok && claimed.value.content.author !== session.deviceId) {
            return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
        }
        return this.log.append<AddedUser, AddUserError | E>(organizationId, COMMON_TOPIC, async head => {
            const devices: DeviceId[] = [session.deviceId];
            if (claimed.ok && claimed.value.content.kind === 'device') { devices.push(claimed.value.content.deviceId); }
            const ctx = await this.contexts.read(organizationId, head, now, { users: [session.userId], devices });
            if (!ctx.ok) { return ctx; }
            const checked = checkNewDevice(certificates, ctx.value);
            if (!checked.ok) {
                return checked;
            }
            const device = checked.value.device.content;
            const added: AddedUser = { userId: device.userId, deviceId: device.deviceId };
            const operation: LogOperation<AddedUser, AddUserError | E> = {
                entries: [{ content: device, signed: checked.value.device.signed, redacted: checked.value.redactedDevice.signed }],
                store: async firstIndex => {
                    await this.repository.addUsers(organizationId, [], [deviceRecord(device, firstIndex)]);
                    if (along) {
                        const extra = await along(added);
                        if (!extra.ok) { return extra; }
                    }
                    return ok(added);
                }
            };
            return ok(operation);
        });
    }

    /** The log entries and rows of a new user with its first device; `before` runs first in the transaction and may refuse. */
    protected newUserOperation<E>(organizationId: OrganizationId, checked: CheckedNewUser, author: DeviceSession | undefined,
        before: (added: AddedUser) => Promise<Outcome<void, E>>): LogOperation<AddedUser, E> {
        const user = checked.user.content;
        const device = checked.device.content;
        const added: AddedUser = { userId: user.userId, deviceId: device.deviceId };
        const entries: NewLogEntry[] = [
            { content: user, signed: checked.user.signed, redacted: checked.redactedUser.signed },
            { content: device, signed: checked.device.signed, redacted: checked.redactedDevice.signed }
        ];
        return {
            entries,
            store: async firstIndex => {
                const userRecord: NewUserRecord = {
                    userId: user.userId, email: user.humanHandle!.email, label: user.humanHandle!.label, profile: user.profile, createdOn: user.timestamp,
                    createdBy: author?.userId, createdByDevice: user.author ?? undefined, certificateIndex: firstIndex
                };
                const first = await before(added);
                if (!first.ok) { return first; }
                await this.repository.addUsers(organizationId, [userRecord], [deviceRecord(device, firstIndex + 1)]);
                return ok(added);
            }
        };
    }
}

function deviceRecord(device: { deviceId: DeviceId; userId: UserId; deviceLabel: string | null; verifyKey: string; timestamp: number; author: DeviceId | null }, index: number): NewDeviceRecord {
    return {
        deviceId: device.deviceId, userId: device.userId, label: device.deviceLabel!, verifyKey: fromBase64Url(device.verifyKey)!,
        createdOn: device.timestamp, createdByDevice: device.author ?? undefined, certificateIndex: index
    };
}

function sameSecret(expected: string, given: string): boolean {
    const a = Buffer.from(expected);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
}

