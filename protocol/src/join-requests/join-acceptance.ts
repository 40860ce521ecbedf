import { LogPosition } from '../certificates/certificate-chain';
import { CertificateTrustStore, NewUserCertificates } from '../certificates/certificate-rules';
import { decodeCertificate } from '../certificates/certificate-codec';
import { CertificateSigner, signNewUser } from '../certificates/certificate-signing';
import { SignedCertificate, UserCertificate } from '../certificates/certificate-types';
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
    /** Where in the log the admin's device signs. */
    readonly position: LogPosition;
}

/** What an admin's device signs to accept a join request: the new user and its first device, for the submitted keys. */
export function signJoinAcceptance(acceptance: JoinAcceptance, sign: CertificateSigner): NewUserCertificates {
    const { payload, position } = acceptance;
    const userId = newUserId();
    const signed = { version: 1 as const, author: acceptance.author, timestamp: position.timestamp };
    return signNewUser(
        { kind: 'user', ...signed, userId, humanHandle: { email: acceptance.email, label: acceptance.name.trim() }, publicKey: payload.userPublicKey, profile: acceptance.profile },
        { kind: 'device', ...signed, userId, deviceId: newDeviceId(), deviceLabel: payload.deviceLabel, verifyKey: payload.deviceVerifyKey },
        position.previous, sign);
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
