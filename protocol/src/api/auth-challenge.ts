import { concatBytes, utf8Encode } from '../encoding';
import { DeviceId, OrganizationId } from '../identity';

const AUTH_SIGNATURE_DOMAIN = utf8Encode('vouch/auth/v1\n');
const SEPARATOR = new Uint8Array([0]);

/** What a device signs to open an authenticated connection: bound to organization and device. */
export function authChallengeMessage(organizationId: OrganizationId, deviceId: DeviceId, challenge: string): Uint8Array {
    return concatBytes(AUTH_SIGNATURE_DOMAIN, utf8Encode(organizationId), SEPARATOR, utf8Encode(deviceId), SEPARATOR, utf8Encode(challenge));
}
