import { linkCertificates, redactedContent, Unlinked } from './certificate-chain';
import { NewDeviceCertificates, NewUserCertificates } from './certificate-rules';
import { Certificate, DeviceCertificate, SignedCertificate, UserCertificate } from './certificate-types';

/** Signs one certificate with a key the caller keeps (a device's, or the root key at bootstrap). */
export type CertificateSigner = (content: Certificate) => SignedCertificate;

/** A new user and its first device, linked after `previous`, each in full and redacted copies. */
export function signNewUser(user: Unlinked<UserCertificate>, device: Unlinked<DeviceCertificate>, previous: string | null, sign: CertificateSigner): NewUserCertificates {
    const [u, d] = linkCertificates<UserCertificate | DeviceCertificate>([user, device], previous) as [UserCertificate, DeviceCertificate];
    return { user: sign(u), redactedUser: sign(redactedContent(u)), device: sign(d), redactedDevice: sign(redactedContent(d)) };
}

/** A new device of an existing user, linked after `previous`, in full and redacted copies. */
export function signNewDevice(device: Unlinked<DeviceCertificate>, previous: string | null, sign: CertificateSigner): NewDeviceCertificates {
    const [d] = linkCertificates<DeviceCertificate>([device], previous);
    return { device: sign(d), redactedDevice: sign(redactedContent(d)) };
}
