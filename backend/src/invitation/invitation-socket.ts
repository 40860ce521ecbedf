import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas, Outcome, Reply } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { DomainError, reply, value } from '../transport/replies';
import { HeldAttempt } from './greeting-liveness';
import { GreetingActor, GreetingService } from './greeting-service';
import { InvitationService } from './invitation-service';
import { ConnectionId, InvitationRecord } from './invitation-types';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;
type GuestRequests = 'invitation.claim' | 'greeting.guestStep' | 'greeting.guestState' | 'greeting.guestCancel';
type HostRequests = 'invitation.inviteUsers' | 'invitation.inviteDevice' | 'invitation.list' | 'invitation.cancel' | 'invitation.resend' |
    'greeting.start' | 'greeting.hostStep' | 'greeting.hostState' | 'greeting.hostCancel';

/**
 * The connection a side of a greeting speaks on: its id, and the attempts it spoke for (the
 * transport tells the greeting's liveness about them when the connection closes).
 */
export interface GreetingConnection {
    readonly id: ConnectionId;
    hold(attempt: HeldAttempt): void;
}

/** A reply about an attempt: once it succeeded, the connection holds that side of it. */
function holding<T>(connection: GreetingConnection, attempt: HeldAttempt, outcome: Outcome<T, DomainError>): Reply<T> {
    if (outcome.ok) {
        connection.hold(attempt);
    }
    return reply(outcome);
}

/** Per connection: a guest that claims joins the rooms where its greeting is pushed (`onClaimed`). */
export function invitationAnonymousHandlers(invitations: InvitationService, greetings: GreetingService, clock: () => number,
    onClaimed: (invitation: InvitationRecord) => void, connection: GreetingConnection): Pick<AnonymousHandlers, GuestRequests> {
    const guest = (request: { organizationId: string; token: string }): GreetingActor =>
        ({ side: 'guest', organizationId: request.organizationId, token: request.token, connection: connection.id });
    return {
        'invitation.claim': async request => {
            const outcome = await invitations.claim(request.organizationId, request.token, clock());
            if (!outcome.ok) { return reply(outcome); }
            onClaimed(outcome.value.invitation);
            return value(outcome.value.claimed);
        },
        'greeting.guestStep': async request => holding(connection, request,
            await greetings.post(guest(request), request.attemptId, request.step, request.payload, {}, clock())),
        'greeting.guestState': async request => holding(connection, request, await greetings.state(guest(request), request.attemptId, clock())),
        'greeting.guestCancel': async request => reply(await greetings.cancelAttempt(guest(request), request.attemptId, request.reason, clock()))
    };
}

/** Per connection too: the host's connection holds the attempts it starts and speaks for. */
export function invitationDeviceHandlers(invitations: InvitationService, greetings: GreetingService, clock: () => number,
    connection: GreetingConnection): Pick<DeviceHandlers, HostRequests> {
    const host = (session: DeviceSession): GreetingActor => ({ side: 'host', session, connection: connection.id });
    const held = (session: DeviceSession, attemptId: string): HeldAttempt => ({ organizationId: session.organizationId, attemptId });
    return {
        'invitation.inviteUsers': async (request, session) => {
            const outcome = await invitations.inviteUsers(session, request.invitees, request.sendEmail, clock());
            return outcome.ok ? value({ results: outcome.value, mail: invitations.mail }) : reply(outcome);
        },
        'invitation.inviteDevice': async (request, session) => value(await invitations.inviteDevice(session, request.sendEmail, clock())),
        'invitation.list': async (_request, session) => value({ invitations: await invitations.list(session), mail: invitations.mail }),
        'invitation.cancel': async (request, session) => reply(await invitations.cancel(session, request.invitationId, clock())),
        'invitation.resend': async (request, session) => reply(await invitations.resend(session, request.invitationId)),
        'greeting.start': async (request, session) => {
            const started = await greetings.start(session, request.invitationId, clock(), connection.id);
            return started.ok ? holding(connection, held(session, started.value.attemptId), started) : reply(started);
        },
        'greeting.hostStep': async (request, session) => holding(connection, held(session, request.attemptId),
            await greetings.post(host(session), request.attemptId, request.step, request.payload, { newUser: request.newUser, newDevice: request.newDevice }, clock())),
        'greeting.hostState': async (request, session) => holding(connection, held(session, request.attemptId),
            await greetings.state(host(session), request.attemptId, clock())),
        'greeting.hostCancel': async (request, session) => reply(await greetings.cancelAttempt(host(session), request.attemptId, request.reason, clock()))
    };
}
