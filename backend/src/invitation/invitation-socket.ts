import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { reply, value } from '../transport/replies';
import { GreetingActor, GreetingService } from './greeting-service';
import { InvitationService } from './invitation-service';
import { InvitationRecord } from './invitation-types';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;
type GuestRequests = 'invitation.claim' | 'greeting.guestStep' | 'greeting.guestState' | 'greeting.guestCancel';
type HostRequests = 'invitation.inviteUsers' | 'invitation.inviteDevice' | 'invitation.list' | 'invitation.cancel' | 'invitation.resend' |
    'greeting.start' | 'greeting.hostStep' | 'greeting.hostState' | 'greeting.hostCancel';

/** Per connection: a guest that claims joins the rooms where its greeting is pushed (`onClaimed`). */
export function invitationAnonymousHandlers(invitations: InvitationService, greetings: GreetingService, clock: () => number,
    onClaimed: (invitation: InvitationRecord) => void): Pick<AnonymousHandlers, GuestRequests> {
    const guest = (request: { organizationId: string; token: string }): GreetingActor => ({ side: 'guest', organizationId: request.organizationId, token: request.token });
    return {
        'invitation.claim': async request => {
            const outcome = await invitations.claim(request.organizationId, request.token);
            if (!outcome.ok) { return reply(outcome); }
            onClaimed(outcome.value.invitation);
            return value(outcome.value.claimed);
        },
        'greeting.guestStep': async request => reply(await greetings.post(guest(request), request.attemptId, request.step, request.payload, {}, clock())),
        'greeting.guestState': async request => reply(await greetings.state(guest(request), request.attemptId)),
        'greeting.guestCancel': async request => reply(await greetings.cancelAttempt(guest(request), request.attemptId, request.reason, clock()))
    };
}

export function invitationDeviceHandlers(invitations: InvitationService, greetings: GreetingService, clock: () => number): Pick<DeviceHandlers, HostRequests> {
    const host = (session: DeviceSession): GreetingActor => ({ side: 'host', session });
    return {
        'invitation.inviteUsers': async (request, session) => {
            const outcome = await invitations.inviteUsers(session, request.invitees, request.sendEmail, clock());
            return outcome.ok ? value({ results: outcome.value }) : reply(outcome);
        },
        'invitation.inviteDevice': async (request, session) => value(await invitations.inviteDevice(session, request.sendEmail, clock())),
        'invitation.list': async (_request, session) => value({ invitations: await invitations.list(session) }),
        'invitation.cancel': async (request, session) => reply(await invitations.cancel(session, request.invitationId, clock())),
        'invitation.resend': async (request, session) => reply(await invitations.resend(session, request.invitationId)),
        'greeting.start': async (request, session) => reply(await greetings.start(session, request.invitationId, clock())),
        'greeting.hostStep': async (request, session) => reply(await greetings.post(host(session), request.attemptId, request.step, request.payload,
            { newUser: request.newUser, newDevice: request.newDevice }, clock())),
        'greeting.hostState': async (request, session) => reply(await greetings.state(host(session), request.attemptId)),
        'greeting.hostCancel': async (request, session) => reply(await greetings.cancelAttempt(host(session), request.attemptId, request.reason, clock()))
    };
}
