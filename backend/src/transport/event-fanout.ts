import {
    ANONYMOUS_EVENT_AUDIENCES, AnonymousEventAudience, AnonymousServerEvents, DEVICE_EVENT_AUDIENCES, DeviceEventAudience, DeviceServerEvents, OrganizationId,
    SessionRevokedEvent, UserProfile
} from '@vouch/protocol';
import { EventBus, EventSubscription } from '../common/event-bus';
import { AnonymousNamespace, DeviceNamespace, DeviceSocket, rooms } from './socket-types';

/** The same words as the handshake's refusal of a revoked user. */
export const REVOKED_MESSAGE = 'This user has been revoked from the organization';
/** Rooms per broadcast: one message reaches the sockets of this many users. */
const ROOMS_PER_BROADCAST = 500;

/** Who an audience is, for one event. */
interface Addressee {
    readonly organizationId: OrganizationId;
    /** The user (`user`), device (`device`) or workspace (`workspace`) the event is about. */
    readonly subject?: string;
}

function deviceRoom(audience: DeviceEventAudience<keyof DeviceServerEvents>, to: Addressee): string {
    switch (audience) {
        case 'organization': return rooms.organization(to.organizationId);
        case 'administrators': return rooms.administrators(to.organizationId);
        case 'user': return rooms.user(to.organizationId, to.subject!);
        case 'device': return rooms.device(to.organizationId, to.subject!);
        case 'workspace': return rooms.workspace(to.organizationId, to.subject!);
    }
}

/**
 * Pushes an event to the sockets of this instance that its audience admits — the one way the
 * server pushes to devices. The audience must be one protocol's table allows for the event
 * (`DEVICE_EVENT_AUDIENCES`): anything else does not compile.
 */
export function pushToDevices<K extends keyof DeviceServerEvents>(devices: DeviceNamespace, event: K, audience: DeviceEventAudience<K>, to: Addressee,
    ...args: Parameters<DeviceServerEvents[K]>): void {
    if (!(DEVICE_EVENT_AUDIENCES[event] as readonly string[]).includes(audience)) {
        throw new Error(`${event} may not be pushed to ${audience}`);
    }
    (devices.local.to(deviceRoom(audience, to)).emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
}

/** The same for anonymous sockets: a guest hears of its invitation, a requester of its request. */
export function pushToAnonymous<K extends keyof AnonymousServerEvents>(anonymous: AnonymousNamespace, event: K, audience: AnonymousEventAudience<K>, room: string,
    ...args: Parameters<AnonymousServerEvents[K]>): void {
    if (!(ANONYMOUS_EVENT_AUDIENCES[event] as readonly string[]).includes(audience)) {
        throw new Error(`${event} may not be pushed to ${audience}`);
    }
    (anonymous.local.to(room).emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
}

/** Keeps a socket's session and rooms true to the user's profile, and tells the device. */
export function applyProfile(socket: DeviceSocket, profile: UserProfile): void {
    const session = socket.data.session;
    if (session.profile === profile) {
        return;
    }
    session.profile = profile;
    const administrators = rooms.administrators(session.organizationId);
    if (profile === 'ADMINISTRATOR') {
        socket.join(administrators);
    } else {
        socket.leave(administrators);
    }
    socket.emit('session.profileChanged', { profile });
}

/** Tells one socket of a revoked user why, then closes it. */
export function closeRevokedSocket(socket: DeviceSocket): void {
    const event: SessionRevokedEvent = { message: REVOKED_MESSAGE };
    socket.emit('session.revoked', event);
    socket.disconnect(true);
}

/**
 * The bus, heard on every instance, turned into pushes to this instance's sockets: each event
 * to the audience protocol's table gives it, and live sessions kept true to profile changes and
 * revocations. No event reaches a socket its audience does not admit, whatever a client would
 * have filtered.
 */
export function fanOutEvents(bus: EventBus, devices: DeviceNamespace, anonymous: AnonymousNamespace): EventSubscription {
    const subscriptions: EventSubscription[] = [
        bus.on('certificates.added', ({ organizationId, topic, index, digest, timestamp, kinds }) =>
            pushToDevices(devices, 'certificates.added', 'organization', { organizationId }, { topic, index, digest, timestamp, kinds })),
        bus.on('users.profilesChanged', ({ organizationId, changes }) => {
            const profiles = new Map(changes.map(change => [change.userId, change.profile]));
            for (const socket of devices.sockets.values()) {
                const session = socket.data.session;
                const profile = session?.organizationId === organizationId ? profiles.get(session.userId) : undefined;
                if (profile) {
                    applyProfile(socket, profile);
                }
            }
        }),
        bus.on('users.revoked', ({ organizationId, userIds }) => {
            for (let i = 0; i < userIds.length; i += ROOMS_PER_BROADCAST) {
                const userRooms = userIds.slice(i, i + ROOMS_PER_BROADCAST).map(userId => rooms.user(organizationId, userId));
                // The workbench shows why at once instead of retrying first (best effort: the close is what counts).
                (devices.local.to(userRooms).emit as (event: string, ...args: unknown[]) => boolean)('session.revoked', { message: REVOKED_MESSAGE });
                devices.local.in(userRooms).disconnectSockets(true);
            }
        }),
        bus.on('invitations.changed', ({ organizationId, invitation }) => invitation.kind === 'USER'
            ? pushToDevices(devices, 'invitations.changed', 'administrators', { organizationId }, { invitationId: invitation.invitationId })
            : pushToDevices(devices, 'invitations.changed', 'user', { organizationId, subject: invitation.userId }, { invitationId: invitation.invitationId })),
        bus.on('invitation.guestWaiting', ({ organizationId, invitation }) => {
            const event = { invitationId: invitation.invitationId, kind: invitation.kind, email: invitation.email };
            return invitation.kind === 'USER'
                ? pushToDevices(devices, 'invitation.guestWaiting', 'administrators', { organizationId }, event)
                : pushToDevices(devices, 'invitation.guestWaiting', 'user', { organizationId, subject: invitation.userId }, event);
        }),
        bus.on('invitation.ended', ({ organizationId, invitationId, status }) =>
            pushToAnonymous(anonymous, 'invitation.ended', 'guest', rooms.guest(organizationId, invitationId), { invitationId, status })),
        bus.on('greeting.started', ({ organizationId, attempt, host }) =>
            pushToAnonymous(anonymous, 'greeting.started', 'guest', rooms.guest(organizationId, attempt.invitationId),
                { attemptId: attempt.attemptId, invitationId: attempt.invitationId, host })),
        bus.on('greeting.step', ({ organizationId, attempt, step }) => step.side === 'host'
            ? pushToAnonymous(anonymous, 'greeting.step', 'guest', rooms.guest(organizationId, attempt.invitationId), step)
            : pushToDevices(devices, 'greeting.step', 'device', { organizationId, subject: attempt.hostDeviceId }, step)),
        bus.on('greeting.cancelled', ({ organizationId, attempt, reason, by }) => {
            const event = { attemptId: attempt.attemptId, reason, by };
            pushToAnonymous(anonymous, 'greeting.cancelled', 'guest', rooms.guest(organizationId, attempt.invitationId), event);
            pushToDevices(devices, 'greeting.cancelled', 'device', { organizationId, subject: attempt.hostDeviceId }, event);
        }),
        bus.on('joinRequests.changed', ({ organizationId, requestId }) =>
            pushToDevices(devices, 'joinRequests.changed', 'administrators', { organizationId }, { requestId })),
        bus.on('workspace.changed', ({ organizationId, workspaceId, change }) =>
            pushToDevices(devices, 'workspace.changed', 'workspace', { organizationId, subject: workspaceId }, { workspaceId, change })),
        bus.on('workspace.membersChanged', ({ organizationId, workspaceId, changes }) => {
            // The members' sockets follow the change: granted ones hear the workspace from now on, removed ones no more.
            const roles = new Map(changes.map(change => [change.userId, change.role]));
            const room = rooms.workspace(organizationId, workspaceId);
            for (const socket of devices.sockets.values()) {
                const session = socket.data.session;
                if (session?.organizationId === organizationId && roles.has(session.userId)) {
                    if (roles.get(session.userId) === null) {
                        socket.leave(room);
                    } else {
                        socket.join(room);
                    }
                }
            }
            for (const userId of roles.keys()) {
                pushToDevices(devices, 'workspaces.changed', 'user', { organizationId, subject: userId }, { workspaceId });
            }
        }),
        bus.on('joinRequests.decided', ({ organizationId, claimHash, status }) =>
            pushToAnonymous(anonymous, 'joinRequests.decided', 'requester', rooms.requester(organizationId, claimHash), status))
    ];
    return { dispose: () => subscriptions.forEach(subscription => subscription.dispose()) };
}
