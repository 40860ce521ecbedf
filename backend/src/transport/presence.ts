import { GreetingSide, OrganizationId, UserId } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';
import { GreetingLiveness, HeldAttempt } from '../invitation/greeting-liveness';
import { GreetingConnection } from '../invitation/invitation-socket';
import { InvitationPresence, InvitationService } from '../invitation/invitation-service';
import { InvitationRecord } from '../invitation/invitation-types';
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
    const claimed = new Map<string, InvitationRecord>();
    socket.once('disconnect', () => {
        for (const invitation of claimed.values()) {
            try {
                service.guestLeft(invitation);
            } catch (error) {
                logger.error('Announcing a guest that left failed', error);
            }
        }
    });
    return invitation => {
        // Presence reads the latest claim of the socket; a guest has one link open per page.
        socket.data.invitationId = invitation.invitationId;
        claimed.set(invitation.invitationId, invitation);
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
    const held = new Map<string, HeldAttempt>();
    socket.once('disconnect', () => liveness.connectionClosed(side, socket.id, held.values()));
    return { id: socket.id, hold: attempt => held.set(attempt.attemptId, attempt) };
}
