import { SignatureScheme } from '../crypto/signature-scheme';
import { fromBase64Url } from '../encoding';
import { DeviceId, UserId, UserProfile } from '../identity';
import { fail, ok, Outcome } from '../outcome';
import { decodeCertificate, DecodedCertificate, verifyCertificateSignature } from './certificate-codec';
import { checkLogLink } from './certificate-chain';
import { CertificateError, certificateError, LogHeadPosition } from './certificate-errors';
import { Certificate, DeviceCertificate, SignedCertificate, UserCertificate } from './certificate-types';

/**
 * The rules a certificate must keep before anyone stores or believes it. The server applies
 * them to every write with its database behind `CertificateContext`; clients apply the same
 * functions to what the server sends them, so a server cannot add a member on its own.
 */

/** How far a certificate's timestamp may be from the checker's clock. */
export const DEFAULT_TIMESTAMP_BALLPARK_MS = 5 * 60 * 1000;

export interface KnownDevice {
    readonly userId: UserId;
    readonly verifyKey: Uint8Array;
}

export interface KnownUser {
    readonly profile: UserProfile;
    readonly revoked: boolean;
}

export interface CertificateContext {
    readonly scheme: SignatureScheme;
    readonly rootVerifyKey: Uint8Array;
    /** Checker's clock, ms since epoch. */
    readonly now: number;
    readonly ballparkMs: number;
    /** The newest certificate of the topic: new ones chain to it and are dated strictly later. */
    readonly head: LogHeadPosition;
    device(deviceId: DeviceId): KnownDevice | undefined;
    user(userId: UserId): KnownUser | undefined;
}

/** A user certificate with its first device, both in full and redacted copies. */
export interface NewUserCertificates {
    readonly user: SignedCertificate;
    readonly redactedUser: SignedCertificate;
    readonly device: SignedCertificate;
    readonly redactedDevice: SignedCertificate;
}

export interface CheckedNewUser {
    readonly user: DecodedCertificate<UserCertificate>;
    readonly redactedUser: DecodedCertificate<UserCertificate>;
    readonly device: DecodedCertificate<DeviceCertificate>;
    readonly redactedDevice: DecodedCertificate<DeviceCertificate>;
}

export type Checked<T> = Outcome<T, CertificateError>;

export function decodeAs<K extends Certificate['kind']>(signed: SignedCertificate, kind: K, what: string): Checked<DecodedCertificate<Extract<Certificate, { kind: K }>>> {
    const decoded = decodeCertificate(signed);
    if (!decoded.ok) {
        return fail(certificateError(decoded.error.code, `${what}: ${decoded.error.message}`));
    }
    if (decoded.value.content.kind !== kind) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `${what}: expected a ${kind} certificate, got a ${decoded.value.content.kind} certificate`));
    }
    return ok(decoded.value as DecodedCertificate<Extract<Certificate, { kind: K }>>);
}

/**
 * Where new certificates of one operation (in log order) may go: near the checker's clock,
 * chained to the topic's head and dated after it.
 */
export function checkLogPosition(contents: readonly Certificate[], ctx: CertificateContext): Checked<void> {
    const timestamp = contents[0].timestamp;
    if (Math.abs(timestamp - ctx.now) > ctx.ballparkMs) {
        return fail(certificateError('CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK',
            `The certificate is dated ${new Date(timestamp).toISOString()}, more than ${Math.round(ctx.ballparkMs / 1000)} s from the server clock (${new Date(ctx.now).toISOString()})`));
    }
    return checkLogLink(contents, ctx.head);
}

/** Who signed a certificate: the root key (author null) or a known, non-revoked device. */
export interface CheckedAuthor {
    readonly deviceId: DeviceId | null;
    readonly userId: UserId | null;
    readonly profile: UserProfile | null;
}

export function checkAuthorSignature(decoded: DecodedCertificate, ctx: CertificateContext, what: string): Checked<CheckedAuthor> {
    const author = decoded.content.author;
    if (author === null) {
        if (!verifyCertificateSignature(decoded, ctx.rootVerifyKey, ctx.scheme)) {
            return fail(certificateError('CERTIFICATE_BAD_SIGNATURE', `${what} is not signed by the organization root key`));
        }
        return ok({ deviceId: null, userId: null, profile: null });
    }
    const device = ctx.device(author);
    if (!device) {
        return fail(certificateError('CERTIFICATE_UNKNOWN_AUTHOR', `${what} names an author device the organization does not know`));
    }
    if (!verifyCertificateSignature(decoded, device.verifyKey, ctx.scheme)) {
        return fail(certificateError('CERTIFICATE_BAD_SIGNATURE', `${what} does not carry a valid signature of its author`));
    }
    const user = ctx.user(device.userId);
    if (!user) {
        return fail(certificateError('CERTIFICATE_UNKNOWN_AUTHOR', `${what} names an author whose user is unknown`));
    }
    if (user.revoked) {
        return fail(certificateError('CERTIFICATE_AUTHOR_REVOKED', `${what} is signed by a revoked user`));
    }
    return ok({ deviceId: author, userId: device.userId, profile: user.profile });
}

/** The redacted copy must say exactly what the full one says, minus the personal fields. */
function checkRedactedCopy(full: Certificate, redacted: Certificate, what: string): Checked<void> {
    const expected: Record<string, unknown> = { ...full };
    if (full.kind === 'user') {
        expected.humanHandle = null;
    } else {
        expected.deviceLabel = null;
    }
    const same = Object.keys(expected).length === Object.keys(redacted).length &&
        Object.entries(expected).every(([key, value]) => (redacted as unknown as Record<string, unknown>)[key] === value);
    if (!same) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', `The redacted ${what} certificate differs from the full one`));
    }
    return ok(undefined);
}

function sameSigningContext(a: Certificate, b: Certificate): boolean {
    return a.author === b.author && a.timestamp === b.timestamp;
}

/**
 * A new user with its first device. At bootstrap (`bootstrap: true`) the four certificates
 * are signed by the root key and the user is an Administrator; otherwise an Administrator's
 * device signs them and the root key may not.
 */
export function checkNewUser(certificates: NewUserCertificates, ctx: CertificateContext, options: { bootstrap: boolean }): Checked<CheckedNewUser> {
    const user = decodeAs(certificates.user, 'user', 'The user certificate');
    if (!user.ok) { return user; }
    const redactedUser = decodeAs(certificates.redactedUser, 'user', 'The redacted user certificate');
    if (!redactedUser.ok) { return redactedUser; }
    const device = decodeAs(certificates.device, 'device', 'The device certificate');
    if (!device.ok) { return device; }
    const redactedDevice = decodeAs(certificates.redactedDevice, 'device', 'The redacted device certificate');
    if (!redactedDevice.ok) { return redactedDevice; }

    const u = user.value.content;
    const d = device.value.content;
    if (u.humanHandle === null || d.deviceLabel === null) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The full certificates must carry the name, email and device label'));
    }
    if (d.userId !== u.userId || !sameSigningContext(u, d) || !sameSigningContext(u, redactedUser.value.content) || !sameSigningContext(d, redactedDevice.value.content)) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The user and device certificates must name the same user, author and timestamp'));
    }
    const redactions = [checkRedactedCopy(u, redactedUser.value.content, 'user'), checkRedactedCopy(d, redactedDevice.value.content, 'device')];
    for (const redaction of redactions) {
        if (!redaction.ok) { return redaction; }
    }
    if (options.bootstrap !== (u.author === null)) {
        return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', options.bootstrap
            ? 'The bootstrap certificates must be signed by the organization root key'
            : 'Only the bootstrap certificates may be signed by the organization root key'));
    }
    for (const [decoded, what] of [[user.value, 'The user certificate'], [redactedUser.value, 'The redacted user certificate'],
        [device.value, 'The device certificate'], [redactedDevice.value, 'The redacted device certificate']] as const) {
        const author = checkAuthorSignature(decoded, ctx, what);
        if (!author.ok) { return author; }
        if (!options.bootstrap && author.value.profile !== 'ADMINISTRATOR') {
            return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'Only an Administrator can add a user'));
        }
    }
    if (options.bootstrap && u.profile !== 'ADMINISTRATOR') {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The first user of an organization must be an Administrator'));
    }
    if (ctx.user(u.userId) || ctx.device(d.deviceId)) {
        return fail(certificateError('CERTIFICATE_ALREADY_EXISTS', 'This user or device already exists'));
    }
    const position = checkLogPosition([u, d], ctx);
    if (!position.ok) { return position; }
    return ok({ user: user.value, redactedUser: redactedUser.value, device: device.value, redactedDevice: redactedDevice.value });
}

/** A new device of an existing user, in full and redacted copies. */
export interface NewDeviceCertificates {
    readonly device: SignedCertificate;
    readonly redactedDevice: SignedCertificate;
}

export interface CheckedNewDevice {
    readonly device: DecodedCertificate<DeviceCertificate>;
    readonly redactedDevice: DecodedCertificate<DeviceCertificate>;
}

/**
 * A new device for an existing user (the last step of a device invitation): signed by a
 * device of that same user, never by the root key nor by anyone else, not even an Administrator.
 */
export function checkNewDevice(certificates: NewDeviceCertificates, ctx: CertificateContext): Checked<CheckedNewDevice> {
    const device = decodeAs(certificates.device, 'device', 'The device certificate');
    if (!device.ok) { return device; }
    const redactedDevice = decodeAs(certificates.redactedDevice, 'device', 'The redacted device certificate');
    if (!redactedDevice.ok) { return redactedDevice; }
    const d = device.value.content;
    if (d.deviceLabel === null) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The full device certificate must carry the device label'));
    }
    if (!sameSigningContext(d, redactedDevice.value.content)) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The device certificates must name the same author and timestamp'));
    }
    const redaction = checkRedactedCopy(d, redactedDevice.value.content, 'device');
    if (!redaction.ok) { return redaction; }
    if (d.author === null) {
        return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'Only the bootstrap certificates may be signed by the organization root key'));
    }
    for (const [decoded, what] of [[device.value, 'The device certificate'], [redactedDevice.value, 'The redacted device certificate']] as const) {
        const author = checkAuthorSignature(decoded, ctx, what);
        if (!author.ok) { return author; }
        if (author.value.userId !== d.userId) {
            return fail(certificateError('CERTIFICATE_AUTHOR_NOT_ALLOWED', 'A new device must be signed by a device of the same user'));
        }
    }
    if (ctx.device(d.deviceId)) {
        return fail(certificateError('CERTIFICATE_ALREADY_EXISTS', 'This device already exists'));
    }
    const position = checkLogPosition([d], ctx);
    if (!position.ok) { return position; }
    return ok({ device: device.value, redactedDevice: redactedDevice.value });
}

/**
 * What a client believes about the devices of its organization: it starts from the root
 * verify key in its own device file and accepts a device certificate only once its author is
 * believed. Used to re-check every certificate the server sends.
 */
export class CertificateTrustStore {
    protected readonly devices = new Map<DeviceId, KnownDevice>();

    constructor(protected readonly rootVerifyKey: Uint8Array, protected readonly scheme: SignatureScheme) { }

    /** Accepts device certificates in any order; fails on the first that no believed key signed. */
    addDeviceCertificates(certificates: readonly SignedCertificate[]): Checked<void> {
        const pending: DecodedCertificate<DeviceCertificate>[] = [];
        for (const signed of certificates) {
            const decoded = decodeAs(signed, 'device', 'A device certificate');
            if (!decoded.ok) { return decoded; }
            if (!this.devices.has(decoded.value.content.deviceId)) {
                pending.push(decoded.value);
            }
        }
        while (pending.length > 0) {
            const index = pending.findIndex(cert => cert.content.author === null || this.devices.has(cert.content.author));
            if (index < 0) {
                return fail(certificateError('CERTIFICATE_UNKNOWN_AUTHOR', 'A device certificate does not chain to the organization root key'));
            }
            const [cert] = pending.splice(index, 1);
            const signer = cert.content.author === null ? this.rootVerifyKey : this.devices.get(cert.content.author)!.verifyKey;
            if (!verifyCertificateSignature(cert, signer, this.scheme)) {
                return fail(certificateError('CERTIFICATE_BAD_SIGNATURE', 'A device certificate does not carry a valid signature of its author'));
            }
            this.devices.set(cert.content.deviceId, { userId: cert.content.userId, verifyKey: fromBase64Url(cert.content.verifyKey)! });
        }
        return ok(undefined);
    }

    /** Decodes a user certificate and checks it was signed by a believed device (or the root key). */
    verifyUserCertificate(signed: SignedCertificate): Checked<UserCertificate> {
        return this.verify(signed, 'user', 'A user certificate');
    }

    /** Decodes a certificate of `kind` and checks it was signed by a believed device (or the root key). */
    verify<K extends Certificate['kind']>(signed: SignedCertificate, kind: K, what: string): Checked<Extract<Certificate, { kind: K }>> {
        const decoded = decodeAs(signed, kind, what);
        if (!decoded.ok) { return decoded; }
        const author = decoded.value.content.author;
        const signer = author === null ? this.rootVerifyKey : this.devices.get(author)?.verifyKey;
        if (!signer) {
            return fail(certificateError('CERTIFICATE_UNKNOWN_AUTHOR', `${what} names an author device that is not believed`));
        }
        if (!verifyCertificateSignature(decoded.value, signer, this.scheme)) {
            return fail(certificateError('CERTIFICATE_BAD_SIGNATURE', `${what} does not carry a valid signature of its author`));
        }
        return ok(decoded.value.content);
    }

    knowsDevice(deviceId: DeviceId): boolean {
        return this.devices.has(deviceId);
    }
}
