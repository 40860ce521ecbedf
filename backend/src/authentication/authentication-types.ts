import { AuthErrorCode, DeviceId, HumanHandle, OrganizationId, UserId, UserProfile } from '@vouch/protocol';

/** Who is on the other end of an authenticated connection, as of its handshake. */
export interface DeviceSession {
    readonly organizationId: OrganizationId;
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    readonly profile: UserProfile;
    readonly humanHandle: HumanHandle;
}

/** A user's standing as the database says now, not as of the connection. */
export interface Standing {
    readonly revoked: boolean;
    readonly profile: UserProfile;
}

/** Reads the standing of a session's user; undefined when its device is gone. */
export type StandingReader = (session: DeviceSession) => Promise<Standing | undefined>;

export interface AuthError {
    readonly code: AuthErrorCode;
    readonly message: string;
}

/** A device as the handshake needs it. */
export interface AuthenticatingDevice {
    readonly userId: UserId;
    readonly verifyKey: Uint8Array;
    readonly profile: UserProfile;
    readonly humanHandle: HumanHandle;
    readonly revoked: boolean;
}

/** How long a challenge may be answered, and kept as used. */
export const CHALLENGE_LIFETIME_MS = 60_000;
