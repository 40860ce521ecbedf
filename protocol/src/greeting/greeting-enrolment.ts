import { LogPosition } from '../certificates/certificate-chain';
import { NewDeviceCertificates, NewUserCertificates } from '../certificates/certificate-rules';
import { signNewDevice, signNewUser } from '../certificates/certificate-signing';
import { Certificate, SignedCertificate } from '../certificates/certificate-types';
import { DeviceId, HumanHandle, newDeviceId, newUserId, OrganizationId, UserId, UserProfile } from '../identity';
import { GuestDeviceDetails, GuestUserDetails, HostDeviceConfirmation, HostUserConfirmation } from './greeting-steps';

/** The host's device, as step 7 needs it to sign. */
export interface HostSigner {
    readonly organizationId: OrganizationId;
    readonly rootVerifyKey: string;
    readonly deviceId: DeviceId;
    /** Signs with the host device's key (which never leaves its keeper). */
    sign(content: Certificate): SignedCertificate;
}

/**
 * Step 7 of a user invitation, host side: the four certificates of the new user (what the guest
 * sent, with the name the host may have corrected, the invited email and the chosen profile).
 */
export function enrolUser(host: HostSigner, details: GuestUserDetails, decision: { email: string; label: string; profile: UserProfile; position: LogPosition }):
    { newUser: NewUserCertificates; confirmation: HostUserConfirmation } {
    const userId = newUserId();
    const deviceId = newDeviceId();
    const humanHandle: HumanHandle = { email: decision.email, label: decision.label.trim() };
    const signed = { version: 1 as const, author: host.deviceId, timestamp: decision.position.timestamp };
    const newUser = signNewUser(
        { kind: 'user', ...signed, userId, humanHandle, publicKey: details.publicKey, profile: decision.profile },
        { kind: 'device', ...signed, userId, deviceId, deviceLabel: details.deviceLabel, verifyKey: details.verifyKey },
        decision.position.previous, content => host.sign(content));
    return {
        newUser,
        confirmation: {
            kind: 'user', organizationId: host.organizationId, rootVerifyKey: host.rootVerifyKey, userId, deviceId, humanHandle,
            deviceLabel: details.deviceLabel, profile: decision.profile, deviceCertificate: newUser.device, userCertificate: newUser.user
        }
    };
}

/** Step 7 of a device invitation, on a device of the same user: the new device's certificates and the user's key. */
export function enrolDevice(host: HostSigner, details: GuestDeviceDetails, user: { userId: UserId; humanHandle: HumanHandle; profile: UserProfile; userPrivateKey: string; position: LogPosition }):
    { newDevice: NewDeviceCertificates; confirmation: HostDeviceConfirmation } {
    const deviceId = newDeviceId();
    const newDevice = signNewDevice({
        kind: 'device', version: 1, author: host.deviceId, timestamp: user.position.timestamp, userId: user.userId, deviceId,
        deviceLabel: details.deviceLabel, verifyKey: details.verifyKey
    }, user.position.previous, content => host.sign(content));
    return {
        newDevice,
        confirmation: {
            kind: 'device', organizationId: host.organizationId, rootVerifyKey: host.rootVerifyKey, userId: user.userId, deviceId,
            humanHandle: user.humanHandle, deviceLabel: details.deviceLabel, profile: user.profile, deviceCertificate: newDevice.device,
            userPrivateKey: user.userPrivateKey
        }
    };
}
