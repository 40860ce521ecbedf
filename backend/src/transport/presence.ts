import { GreetingSide, OrganizationId, UserId } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';
import { GreetingLiveness, HeldAttempt } from '../invitation/greeting-liveness';
import { GreetingConnection } from '../invitation/invitation-socket';
import { InvitationPresence, InvitationService } from '../invitation/invitation-service';
import { InvitationRecord } from '../invitation/invitation-types';
import { ANONYMOUS_CONNECTION_LIMITS, BoundedSet, RequestRate } from './connection-limits';
import { AnonymousNamespace, AnonymousSocket, DeviceNamespace, rooms } from './socket-types';

/** Who is online, read from the rooms on every instance (the adapter asks the others). */
export function roomPresence(devices: DeviceNamespace, anonymous: AnonymousNamespace): InvitationPresence {
    return {
        onlineGuests: async (organizationId: OrganizationId) => {
            const sockets = await anonymous.in(rooms.guests(organizationId)).fetchSockets();
            return new Set(sockets.map(socket => socket.data.invitationId).filter((id): id is string => id !== undefined));
        },
        onlineUsers: async (organizationId: OrganizationId) => {
            const sockets = await devices.in(rooms.organization(organizationId)).fetchSockets();
            return new Set(sockets.map(socket => socket.data.session?.userId).filter((id): id is UserId => id !== undefined));
        }
    };
}

/** A guest's socket after a successful claim: joins its rooms; its coming and going is announced. */
export function guestClaimed(socket: AnonymousSocket, service: InvitationService, logger: ServerLogger): (invitation: InvitationRecord) => void {
    const left = (invitation: InvitationRecord) => {
        try {
            service.guestLeft(invitation);
        } catch (error) {
            logger.error('Announcing a guest that left failed', error);
        }
    };
    // Bounded: a socket that claims link after link lets go of (and leaves) the oldest.
    const claimed = new BoundedSet<InvitationRecord>(ANONYMOUS_CONNECTION_LIMITS.followed, invitation => {
        socket.leave(rooms.guest(invitation.organizationId, invitation.invitationId));
        left(invitation);
    });
    socket.once('disconnect', () => {
        for (const invitation of claimed.values()) {
            left(invitation);
        }
    });
    return invitation => {
        // Presence reads the latest claim of the socket; a guest has one link open per page.
        socket.data.invitationId = invitation.invitationId;
        claimed.add(invitation.invitationId, invitation);
        socket.join([rooms.guest(invitation.organizationId, invitation.invitationId), rooms.guests(invitation.organizationId)]);
        service.guestArrived(invitation);
    };
}

/**
 * A socket as one side of greetings: the attempts it spoke for; when it closes, the liveness
 * gives that side a grace period to come back (on a new socket, on any instance).
 */
export function greetingConnection(socket: { readonly id: string; once(event: 'disconnect', listener: () => void): unknown }, side: GreetingSide,
    liveness: GreetingLiveness): GreetingConnection {
    // A guest's anonymous socket holds a bounded number (the oldest let go as if its page had
    // closed); a host's socket is an authenticated device greeting one guest after another.
    const held = side === 'guest'
        ? new BoundedSet<HeldAttempt>(ANONYMOUS_CONNECTION_LIMITS.followed, attempt => liveness.connectionClosed(side, socket.id, [attempt]))
        : new Map<string, HeldAttempt>();
    socket.once('disconnect', () => liveness.connectionClosed(side, socket.id, held.values()));
    return {
        id: socket.id,
        hold: attempt => held instanceof BoundedSet ? held.add(attempt.attemptId, attempt) : held.set(attempt.attemptId, attempt)
    };
}

/** A requester's socket follows the decisions of its join requests: a bounded number of them. */
export function requesterFollower(socket: AnonymousSocket): (organizationId: OrganizationId, claimHash: string) => void {
    const followed = new BoundedSet<string>(ANONYMOUS_CONNECTION_LIMITS.followed, room => socket.leave(room));
    return (organizationId, claimHash) => {
        const room = rooms.requester(organizationId, claimHash);
        followed.add(room, room);
        socket.join(room);
    };
}

/** The anonymous namespace's request rate, one bucket per connection. */
export function anonymousRequestRate(clock: () => number): RequestRate {
    return new RequestRate(ANONYMOUS_CONNECTION_LIMITS.burst, ANONYMOUS_CONNECTION_LIMITS.perSecond, clock);
}
