import { NewDeviceCertificates, NewUserCertificates } from '../certificates/certificate-rules';
import { Certificate, DeviceCertificate, SignedCertificate, UserCertificate } from '../certificates/certificate-types';
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
export function enrolUser(host: HostSigner, details: GuestUserDetails, decision: { email: string; label: string; profile: UserProfile; timestamp: number }):
    { newUser: NewUserCertificates; confirmation: HostUserConfirmation } {
    const userId = newUserId();
    const deviceId = newDeviceId();
    const humanHandle: HumanHandle = { email: decision.email, label: decision.label.trim() };
    const signed = { version: 1 as const, author: host.deviceId, timestamp: decision.timestamp };
    const user: UserCertificate = { kind: 'user', ...signed, userId, humanHandle, publicKey: details.publicKey, profile: decision.profile };
    const device: DeviceCertificate = { kind: 'device', ...signed, userId, deviceId, deviceLabel: details.deviceLabel, verifyKey: details.verifyKey };
    const sign = (content: UserCertificate | DeviceCertificate) => host.sign(content);
    const newUser: NewUserCertificates = {
        user: sign(user), redactedUser: sign({ ...user, humanHandle: null }), device: sign(device), redactedDevice: sign({ ...device, deviceLabel: null })
    };
    return {
        newUser,
        confirmation: {
            kind: 'user', organizationId: host.organizationId, rootVerifyKey: host.rootVerifyKey, userId, deviceId, humanHandle,
            deviceLabel: details.deviceLabel, profile: decision.profile, deviceCertificate: newUser.device, userCertificate: newUser.user
        }
    };
}

/** Step 7 of a device invitation, on a device of the same user: the new device's certificates and the user's key. */
export function enrolDevice(host: HostSigner, details: GuestDeviceDetails, user: { userId: UserId; humanHandle: HumanHandle; profile: UserProfile; userPrivateKey: string; timestamp: number }):
    { newDevice: NewDeviceCertificates; confirmation: HostDeviceConfirmation } {
    const deviceId = newDeviceId();
    const device: DeviceCertificate = {
        kind: 'device', version: 1, author: host.deviceId, timestamp: user.timestamp, userId: user.userId, deviceId,
        deviceLabel: details.deviceLabel, verifyKey: details.verifyKey
    };
    const newDevice: NewDeviceCertificates = {
        device: host.sign(device),
        redactedDevice: host.sign({ ...device, deviceLabel: null })
    };
    return {
        newDevice,
        confirmation: {
            kind: 'device', organizationId: host.organizationId, rootVerifyKey: host.rootVerifyKey, userId: user.userId, deviceId,
            humanHandle: user.humanHandle, deviceLabel: details.deviceLabel, profile: user.profile, deviceCertificate: newDevice.device,
            userPrivateKey: user.userPrivateKey
        }
    };
}
