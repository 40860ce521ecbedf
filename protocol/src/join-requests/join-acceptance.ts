import { NewUserCertificates } from '../certificates/certificate-rules';
import { signCertificate } from '../certificates/certificate-codec';
import { DeviceCertificate, UserCertificate } from '../certificates/certificate-types';
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
