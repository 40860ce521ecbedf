import {
    DeviceId, generateKeyExchangePair, generateSigningKeyPair, HumanHandle, newDeviceId, newUserId, NewUserCertificates,
    OrganizationId, portableEd25519, SignatureScheme, signCertificate, signNewUser, toBase64Url, UserId
} from '@vouch/protocol';
import { DeviceKeys } from './device-file';

export interface BootstrapCertificatesInput {
    readonly organizationId: OrganizationId;
    readonly humanHandle: HumanHandle;
    readonly deviceLabel: string;
    /** ms since epoch; the server wants it within a few minutes of its clock. */
    readonly now: number;
}

export interface BootstrapCertificates {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    /** base64url; goes to the server and into every link and device of the organization. */
    readonly rootVerifyKey: string;
    readonly certificates: NewUserCertificates;
    /** What the new device keeps, sealed, once the server accepted the bootstrap. */
    readonly keys: DeviceKeys;
}

/**
 * Makes the organization root key, the first user's keys and its first device's key, and
 * signs the four bootstrap certificates with the root key. The root signing key is dropped
 * when this returns: nobody can sign as the root again.
 */
export function createBootstrapCertificates(input: BootstrapCertificatesInput, scheme: SignatureScheme = portableEd25519): BootstrapCertificates {
    const root = generateSigningKeyPair(scheme);
    const device = generateSigningKeyPair(scheme);
    const user = generateKeyExchangePair();
    const userId = newUserId();
    const deviceId = newDeviceId();
    const signed = { version: 1 as const, author: null, timestamp: input.now };
    // The first certificates of the log: nothing before them.
    const certificates: NewUserCertificates = signNewUser(
        { kind: 'user', ...signed, userId, humanHandle: input.humanHandle, publicKey: toBase64Url(user.publicKey), profile: 'ADMINISTRATOR' },
        { kind: 'device', ...signed, userId, deviceId, deviceLabel: input.deviceLabel, verifyKey: toBase64Url(device.verifyKey) },
        null, content => signCertificate(content, root.secretKey, scheme));
    root.secretKey.fill(0);
    return {
        userId,
        deviceId,
        rootVerifyKey: toBase64Url(root.verifyKey),
        certificates,
        keys: {
            deviceSigningKey: toBase64Url(device.secretKey),
            userPrivateKey: toBase64Url(user.privateKey),
            rootVerifyKey: toBase64Url(root.verifyKey)
        }
    };
}
