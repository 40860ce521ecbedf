import { Namespace, Socket } from 'socket.io';
import { OrganizationId, ProfileChangedEvent, SessionRevokedEvent, UserId, UserProfile } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { ProfileChange, UserChangeEvents } from '../users/user-changes-types';

/** Server-to-server event (Redis adapter): the other instances update their own sockets. */
const PROFILES_CHANGED = 'vouch:profiles-changed';
/** The same words as the handshake's refusal of a revoked user. */
const REVOKED_MESSAGE = 'This user has been revoked from the organization';
/** Rooms per disconnect broadcast: one adapter message closes the sockets of this many users. */
const ROOMS_PER_BROADCAST = 500;
export type LiveSessionFanout = UserChangeEvents;

/** Gives a live session its new profile: the request wrapper reads it on the next request. */
export function updateSessionProfile(socket: Socket, profile: UserProfile): void {
    const session = socket.data.session as (DeviceSession & { profile: UserProfile }) | undefined;
    if (session && session.profile !== profile) {
        // The same object the request wrapper was given at connection.
        session.profile = profile;
        const event: ProfileChangedEvent = { profile };
        socket.emit('session.profileChanged', event);
    }
}

/** Tells one socket of a revoked user why, then closes it. */
export function closeRevokedSocket(socket: Socket): void {
    const event: SessionRevokedEvent = { message: REVOKED_MESSAGE };
    socket.emit('session.revoked', event);
    socket.disconnect(true);
}

/**
 * Keeps the sessions of open sockets true to the database: a profile change updates the
 * session the request wrapper checks rights against (on every instance) and then tells the
 * user's devices; a revocation closes every socket of the user on every instance.
 */
export function liveSessionFanout(devices: Namespace, multiInstance: boolean, userRoom: (organizationId: OrganizationId, userId: UserId) => string): LiveSessionFanout {
    const applyLocally = (organizationId: OrganizationId, changes: readonly ProfileChange[]) => {
        const profiles = new Map(changes.map(change => [change.userId, change.profile]));
        for (const socket of devices.sockets.values()) {
            const session = socket.data.session as DeviceSession | undefined;
            const profile = session?.organizationId === organizationId ? profiles.get(session.userId) : undefined;
            if (profile) {
                updateSessionProfile(socket, profile);
            }
        }
    };
    if (multiInstance) {
        devices.on(PROFILES_CHANGED, (organizationId: OrganizationId, changes: ProfileChange[]) => applyLocally(organizationId, changes));
    }
    return {
        onDidChangeProfiles(organizationId, changes) {
            applyLocally(organizationId, changes);
            if (multiInstance) {
                devices.serverSideEmit(PROFILES_CHANGED, organizationId, changes);
            }
        },
        onDidRevokeUsers(organizationId, userIds) {
            for (let i = 0; i < userIds.length; i += ROOMS_PER_BROADCAST) {
                const rooms = userIds.slice(i, i + ROOMS_PER_BROADCAST).map(userId => userRoom(organizationId, userId));
                // The workbench shows why at once instead of retrying first (best effort: the close is what counts).
                const event: SessionRevokedEvent = { message: REVOKED_MESSAGE };
                devices.to(rooms).emit('session.revoked', event);
                // Through the adapter: with Redis, sockets on every instance close.
                devices.in(rooms).disconnectSockets(true);
            }
        }
    };
}
