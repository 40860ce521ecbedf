import { Namespace } from 'socket.io';
import { OrganizationId, ProfileChangedEvent, SessionRevokedEvent, UserId, UserProfile } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { ProfileChange, UserChangeEvents } from '../users/user-changes-types';

/** Server-to-server event (Redis adapter): the other instances update their own sockets. */
const PROFILES_CHANGED = 'vouch:profiles-changed';
/** The same words as the handshake's refusal of a revoked user. */
const REVOKED_MESSAGE = 'This user has been revoked from the organization';
/** Rooms per disconnect broadcast: one adapter message closes the sockets of this many users. */
const ROOMS_PER_BROADCAST = 500;
/**
 * A handshake that read the user before the commit may join its rooms just after the
 * broadcast; a second pass this much later catches it (a handshake takes milliseconds).
 */
export const LATE_HANDSHAKE_SWEEP_MS = 2_000;

export interface LiveSessionFanout extends UserChangeEvents {
    /** Stops pending sweeps; called before the server closes its adapters. */
    dispose(): void;
}

/**
 * Keeps the sessions of open sockets true to the database: a profile change updates the
 * session the request wrapper checks rights against (on every instance) and then tells the
 * user's devices; a revocation closes every socket of the user on every instance.
 */
export function liveSessionFanout(devices: Namespace, multiInstance: boolean, userRoom: (organizationId: OrganizationId, userId: UserId) => string): LiveSessionFanout {
    const sweeps = new Set<ReturnType<typeof setTimeout>>();
    const later = (work: () => void) => {
        const timer = setTimeout(() => {
            sweeps.delete(timer);
            work();
        }, LATE_HANDSHAKE_SWEEP_MS);
        sweeps.add(timer);
    };
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
            const everywhere = () => {
                applyLocally(organizationId, changes);
                if (multiInstance) {
                    devices.serverSideEmit(PROFILES_CHANGED, organizationId, changes);
                }
            };
            everywhere();
            later(everywhere);
        },
        onDidRevokeUsers(organizationId, userIds) {
            const disconnect = () => {
                for (let i = 0; i < userIds.length; i += ROOMS_PER_BROADCAST) {
                    const rooms = userIds.slice(i, i + ROOMS_PER_BROADCAST).map(userId => userRoom(organizationId, userId));
                    // The workbench shows why at once instead of retrying first (best effort: the close is what counts).
                    const event: SessionRevokedEvent = { message: REVOKED_MESSAGE };
                    devices.to(rooms).emit('session.revoked', event);
                    // Through the adapter: with Redis, sockets on every instance close.
                    devices.in(rooms).disconnectSockets(true);
                }
            };
            disconnect();
            later(disconnect);
        },
        dispose() {
            sweeps.forEach(timer => clearTimeout(timer));
            sweeps.clear();
        }
    };
}
