import { CertificateTrustStore, NewUserCertificates } from '../certificates/certificate-rules';
import { decodeCertificate, signCertificate } from '../certificates/certificate-codec';
import { DeviceCertificate, SignedCertificate, UserCertificate } from '../certificates/certificate-types';
import { fail, ok, Outcome } from '../outcome';
import { SignatureScheme } from '../crypto/signature-scheme';
import { DeviceId, newDeviceId, newUserId, UserProfile } from '../identity';
import { JoinRequestPayload } from './join-request-payload';

export interface JoinAcceptance {
    readonly payload: JoinRequestPayload;
    /** The verified email (what the proof vouched for), never a typed one. */
    readonly email: string;
    /** The name as the admin confirmed or corrected it. */
    readonly name: string;
    readonly profile: UserProfile;
    readonly author: DeviceId;
    readonly authorSigningKey: Uint8Array;
    readonly timestamp: number;
}

/** The four certificates (user, redacted user, device, redacted device) an admin's device signs to accept a join request. */
export function joinAcceptanceContents(acceptance: Omit<JoinAcceptance, 'authorSigningKey'>): [UserCertificate, UserCertificate, DeviceCertificate, DeviceCertificate] {
    const { payload } = acceptance;
    const userId = newUserId();
    const user: UserCertificate = {
        kind: 'user', version: 1, author: acceptance.author, timestamp: acceptance.timestamp, userId,
        humanHandle: { email: acceptance.email, label: acceptance.name.trim() }, publicKey: payload.userPublicKey, profile: acceptance.profile
    };
    const device: DeviceCertificate = {
        kind: 'device', version: 1, author: acceptance.author, timestamp: acceptance.timestamp, userId, deviceId: newDeviceId(),
        deviceLabel: payload.deviceLabel, verifyKey: payload.deviceVerifyKey
    };
    return [user, { ...user, humanHandle: null }, device, { ...device, deviceLabel: null }];
}

/** What an admin's device signs to accept a join request: the new user and its first device, for the submitted keys. */
export function signJoinAcceptance(acceptance: JoinAcceptance, scheme: SignatureScheme): NewUserCertificates {
    const [user, redactedUser, device, redactedDevice] = joinAcceptanceContents(acceptance).map(content => signCertificate(content, acceptance.authorSigningKey, scheme));
    return { user, redactedUser, device, redactedDevice };
}

/** What the server hands a requester once an admin accepted: the certificates to check, and the ids they name. */
export interface ReceivedJoinAcceptance {
    readonly userId: string;
    readonly deviceId: string;
    readonly user: SignedCertificate;
    readonly device: SignedCertificate;
    readonly authorDevices: readonly SignedCertificate[];
}

/**
 * The requester's check of an acceptance before it seals a device: both certificates chain to
 * the root verify key of its own join link (never the server's word), and they name exactly
 * the keys, email and device it submitted. A server cannot hand it someone else's identity.
 */
export function checkJoinAcceptance(
    accepted: ReceivedJoinAcceptance, payload: JoinRequestPayload, rootVerifyKey: Uint8Array, scheme: SignatureScheme
): Outcome<UserCertificate & { humanHandle: NonNullable<UserCertificate['humanHandle']> }, string> {
    const trust = new CertificateTrustStore(rootVerifyKey, scheme);
    const chain = trust.addDeviceCertificates([...accepted.authorDevices, accepted.device]);
    const user = trust.verifyUserCertificate(accepted.user);
    const device = decodeCertificate(accepted.device);
    if (!chain.ok || !user.ok || !device.ok || device.value.content.kind !== 'device') {
        return fail('The certificates of the acceptance do not verify from the organization\'s root key');
    }
    const d = device.value.content;
    const u = user.value;
    const bound = u.humanHandle !== null && u.userId === accepted.userId && u.publicKey === payload.userPublicKey && u.humanHandle.email === payload.email &&
        d.deviceId === accepted.deviceId && d.userId === u.userId && d.verifyKey === payload.deviceVerifyKey && d.author === u.author;
    if (!bound) {
        return fail('The acceptance does not name the keys and email of this request');
    }
    return ok(u as UserCertificate & { humanHandle: NonNullable<UserCertificate['humanHandle']> });
}
