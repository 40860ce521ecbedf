import { Namespace, Socket } from 'socket.io';
import { DeviceSession } from '../authentication/authentication-types';
import { ServerLogger } from '../common/server-logger';
import { InvitationEvents, InvitationService } from '../invitation/invitation-service';
import { InvitationRecord } from '../invitation/invitation-types';

export const guestRoom = (organizationId: string, invitationId: string) => `guest:${organizationId}:${invitationId}`;
export const guestsRoom = (organizationId: string) => `guests:${organizationId}`;

/**
 * Pushes invitation and greeting events to the right rooms on every instance (Redis carries
 * them), and reads presence from the rooms: a guest is online while a claimed socket is open.
 */
export function invitationFanout(devices: Namespace, anonymous: Namespace, rooms: {
    organization(organizationId: string): string;
    user(organizationId: string, userId: string): string;
    device(organizationId: string, deviceId: string): string;
}): InvitationEvents {
    const audience = (organizationId: string, invitation: Pick<InvitationRecord, 'kind' | 'userId'>) =>
        invitation.kind === 'USER' ? rooms.organization(organizationId) : rooms.user(organizationId, invitation.userId!);
    return {
        invitationsChanged: (organizationId, invitation) => {
            devices.to(audience(organizationId, invitation)).emit('invitations.changed', { invitationId: invitation.invitationId });
        },
        guestWaiting: (organizationId, invitation) => {
            devices.to(audience(organizationId, invitation)).emit('invitation.guestWaiting', { invitationId: invitation.invitationId, kind: invitation.kind, email: invitation.email });
        },
        greetingStarted: (organizationId, invitationId, attemptId, host) => {
            anonymous.to(guestRoom(organizationId, invitationId)).emit('greeting.started', { attemptId, invitationId, host });
        },
        invitationEnded: (organizationId, invitationId, status) => {
            anonymous.to(guestRoom(organizationId, invitationId)).emit('invitation.ended', { invitationId, status });
        },
        greetingStep: (organizationId, attempt, event) => {
            const target = event.side === 'host' ? anonymous.to(guestRoom(organizationId, attempt.invitationId)) : devices.to(rooms.device(organizationId, attempt.hostDeviceId));
            target.emit('greeting.step', event);
        },
        greetingCancelled: (organizationId, attempt, reason, by) => {
            const event = { attemptId: attempt.attemptId, reason, by };
            anonymous.to(guestRoom(organizationId, attempt.invitationId)).emit('greeting.cancelled', event);
            devices.to(rooms.device(organizationId, attempt.hostDeviceId)).emit('greeting.cancelled', event);
        },
        onlineGuests: async organizationId => {
            const sockets = await anonymous.in(guestsRoom(organizationId)).fetchSockets();
            return new Set(sockets.map(socket => (socket.data as { invitationId?: string }).invitationId).filter((id): id is string => id !== undefined));
        },
        onlineUsers: async organizationId => {
            const sockets = await devices.in(rooms.organization(organizationId)).fetchSockets();
            return new Set(sockets.map(socket => (socket.data as { session?: DeviceSession }).session?.userId).filter((id): id is string => id !== undefined));
        }
    };
}

/** A guest's socket after a successful claim: joins its rooms; its coming and going is announced. */
export function guestClaimed(socket: Socket, service: InvitationService, logger: ServerLogger): (invitation: InvitationRecord) => void {
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
        (socket.data as { invitationId?: string }).invitationId = invitation.invitationId;
        claimed.set(invitation.invitationId, invitation);
        socket.join([guestRoom(invitation.organizationId, invitation.invitationId), guestsRoom(invitation.organizationId)]);
        service.guestArrived(invitation);
    };
}
