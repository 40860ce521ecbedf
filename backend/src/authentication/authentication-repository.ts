import { DeviceId, OrganizationId } from '@vouch/protocol';
import { AuthenticatingDevice } from './authentication-types';

export interface AuthenticationRepository {
    /** The secret every instance signs challenges with; the first caller's candidate wins. */
    loadOrCreateServerSecret(name: string, candidate: Uint8Array): Promise<Uint8Array>;
    /**
     * The device with its user, in one read (it runs on every connection). When there is no
     * such device, says whether the organization itself is unknown.
     */
    findDevice(organizationId: OrganizationId, deviceId: DeviceId): Promise<AuthenticatingDevice | 'UNKNOWN_DEVICE' | 'UNKNOWN_ORGANIZATION'>;
    /** False when the challenge was recorded before (a replay). */
    recordUsedChallenge(challenge: string, expiresOn: number): Promise<boolean>;
    purgeUsedChallenges(now: number): Promise<void>;
}
