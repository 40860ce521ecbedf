import {
    authChallengeMessage, DeviceCertificate, DeviceId, generateKeyExchangePair, generateSigningKeyPair, KeyExchangePair, linkCertificates, newDeviceId, newUserId, NewUserCertificates, portableEd25519,
    redactedContent, signCertificate, SignatureScheme, SigningKeyPair, toBase64Url, UserCertificate, UserId, UserProfile
} from '@vouch/protocol';
import { nodeEd25519 } from '../crypto/node-ed25519';

/** A device as its client holds it: ids and the signing key that never leaves it. */
export interface TestDevice {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    readonly signingKey: SigningKeyPair;
    readonly email: string;
    readonly label: string;
    /** The user's X25519 key pair (workspace keys are sealed to it). */
    readonly userKey?: KeyExchangePair;
}

export interface NewUserOptions {
    readonly email?: string;
    readonly label?: string;
    readonly profile?: UserProfile;
    readonly timestamp: number;
    /** The chain digest of the log's newest certificate (socket-harness `nextPosition`); null for a bootstrap. */
    readonly previous: string | null;
    readonly scheme?: SignatureScheme;
}

/** Signs the four certificates of a new user with `signer` (the root key at bootstrap, a device otherwise). */
export function newUserCertificates(signerKey: Uint8Array, author: DeviceId | null, options: NewUserOptions): { certificates: NewUserCertificates; device: TestDevice; user: UserCertificate; deviceCertificate: DeviceCertificate } {
    const userId = newUserId();
    const deviceId = newDeviceId();
    const signingKey = generateSigningKeyPair(nodeEd25519);
    const userKey = generateKeyExchangePair();
    const email = options.email ?? `${userId.slice(0, 8)}@example.com`;
    const label = options.label ?? `User ${userId.slice(0, 6)}`;
    const [user, deviceCertificate] = linkCertificates<UserCertificate | DeviceCertificate>([{
        kind: 'user', version: 1, author, timestamp: options.timestamp, userId,
        humanHandle: { email, label }, publicKey: toBase64Url(userKey.publicKey), profile: options.profile ?? 'ADMINISTRATOR'
    }, {
        kind: 'device', version: 1, author, timestamp: options.timestamp, userId, deviceId,
        deviceLabel: 'Laptop', verifyKey: toBase64Url(signingKey.verifyKey)
    }], options.previous) as [UserCertificate, DeviceCertificate];
    const sign = (content: UserCertificate | DeviceCertificate) => signCertificate(content, signerKey, options.scheme ?? nodeEd25519);
    return {
        certificates: {
            user: sign(user),
            redactedUser: sign(redactedContent(user)),
            device: sign(deviceCertificate),
            redactedDevice: sign(redactedContent(deviceCertificate))
        },
        device: { userId, deviceId, signingKey, email, label, userKey },
        user,
        deviceCertificate
    };
}

export interface TestBootstrap {
    readonly rootKey: SigningKeyPair;
    readonly rootVerifyKey: string;
    readonly certificates: NewUserCertificates;
    readonly admin: TestDevice;
}

export function bootstrapCertificates(timestamp: number, email = 'alice@example.com', label = 'Alice Admin'): TestBootstrap {
    const rootKey = generateSigningKeyPair(portableEd25519);
    const made = newUserCertificates(rootKey.secretKey, null, { email, label, profile: 'ADMINISTRATOR', timestamp, previous: null });
    return { rootKey, rootVerifyKey: toBase64Url(rootKey.verifyKey), certificates: made.certificates, admin: made.device };
}

/** What a device sends to open an authenticated connection. */
export function signedHandshake(organizationId: string, device: TestDevice, challenge: string) {
    return {
        organizationId, deviceId: device.deviceId, challenge,
        signature: toBase64Url(nodeEd25519.sign(device.signingKey.secretKey, authChallengeMessage(organizationId, device.deviceId, challenge)))
    };
}
