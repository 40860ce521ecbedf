import { DeviceId, OrganizationId } from '@vouch/protocol';
import { AuthenticatingDevice } from './authentication-types';

export interface AuthenticationRepository {
    /** The secret every instance signs challenges with; the first caller's candidate wins. */
    loadOrCreateServerSecret(name: string, candidate: Uint8Array): Promise<Uint8Array>;
    organizationExists(organizationId: OrganizationId): Promise<boolean>;
    findDevice(organizationId: OrganizationId, deviceId: DeviceId): Promise<AuthenticatingDevice | undefined>;
    /** False when the challenge was recorded before (a replay). */
    recordUsedChallenge(challenge: string, expiresOn: number): Promise<boolean>;
    purgeUsedChallenges(now: number): Promise<void>;
}
