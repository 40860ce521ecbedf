import { Namespace } from 'socket.io';
import { OrganizationId, ProfileChangedEvent, UserId, UserProfile } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { ProfileChange, UserChangeEvents } from '../users/user-changes-types';

/** Server-to-server event (Redis adapter): the other instances update their own sockets. */
const PROFILES_CHANGED = 'vouch:profiles-changed';
/** Rooms per disconnect broadcast: one adapter message closes the sockets of this many users. */
const ROOMS_PER_BROADCAST = 500;

/**
 * Keeps the sessions of open sockets true to the database: a profile change updates the
 * session the request wrapper checks rights against (on every instance) and then tells the
 * user's devices; a revocation closes every socket of the user on every instance.
 */
export function liveSessionFanout(devices: Namespace, multiInstance: boolean, userRoom: (organizationId: OrganizationId, userId: UserId) => string): UserChangeEvents {
    const applyLocally = (organizationId: OrganizationId, changes: readonly ProfileChange[]) => {
        const profiles = new Map(changes.map(change => [change.userId, change.profile]));
        for (const socket of devices.sockets.values()) {
            const session = socket.data.session as (DeviceSession & { profile: UserProfile }) | undefined;
            const profile = session?.organizationId === organizationId ? profiles.get(session.userId) : undefined;
            if (session && profile && profile !== session.profile) {
                // The same object the request wrapper was given at connection: its next request sees the new rights.
                session.profile = profile;
                const event: ProfileChangedEvent = { profile };
                socket.emit('session.profileChanged', event);
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
                // Through the adapter: with Redis, sockets on every instance close.
                devices.in(userIds.slice(i, i + ROOMS_PER_BROADCAST).map(userId => userRoom(organizationId, userId))).disconnectSockets(true);
            }
        }
    };
}
