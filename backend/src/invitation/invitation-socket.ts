import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas, Reply } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { failure, RequestHandlers } from '../transport/request-handler';
import { InvitationService } from './invitation-service';
import { InvitationError, InvitationRecord } from './invitation-types';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;
type GuestRequests = 'invitation.claim' | 'greeting.guestStep' | 'greeting.guestState' | 'greeting.guestCancel';
type HostRequests = 'invitation.inviteUsers' | 'invitation.inviteDevice' | 'invitation.list' | 'invitation.cancel' | 'invitation.resend' |
    'greeting.start' | 'greeting.hostStep' | 'greeting.hostState' | 'greeting.hostCancel';

function reply<T>(outcome: { ok: true; value: T } | { ok: false; error: InvitationError }): Reply<T> {
    return outcome.ok ? outcome : failure(outcome.error.code, outcome.error.message);
}

/** Per connection: a guest that claims joins the rooms where its greeting is pushed (`onClaimed`). */
export function invitationAnonymousHandlers(service: InvitationService, clock: () => number, onClaimed: (invitation: InvitationRecord) => void): Pick<AnonymousHandlers, GuestRequests> {
    const guest = (request: { organizationId: string; token: string }) => ({ side: 'guest' as const, organizationId: request.organizationId, token: request.token });
    return {
        'invitation.claim': async request => {
            const outcome = await service.claim(request.organizationId, request.token);
            if (!outcome.ok) { return reply(outcome); }
            onClaimed(outcome.value.invitation);
            return { ok: true, value: outcome.value.claimed };
        },
        'greeting.guestStep': async request => reply(await service.post(guest(request), request.attemptId, request.step, request.payload, {}, clock())),
        'greeting.guestState': async request => reply(await service.state(guest(request), request.attemptId)),
        'greeting.guestCancel': async request => reply(await service.cancelAttempt(guest(request), request.attemptId, request.reason, clock()))
    };
}

export function invitationDeviceHandlers(service: InvitationService, clock: () => number): Pick<DeviceHandlers, HostRequests> {
    const host = (session: DeviceSession) => ({ side: 'host' as const, session });
    return {
        'invitation.inviteUsers': async (request, session) => ({ ok: true, value: { results: await service.inviteUsers(session, request.invitees, request.sendEmail, clock()) } }),
        'invitation.inviteDevice': async (request, session) => ({ ok: true, value: await service.inviteDevice(session, request.sendEmail, clock()) }),
        'invitation.list': async (_request, session) => ({ ok: true, value: { invitations: await service.list(session) } }),
        'invitation.cancel': async (request, session) => reply(await service.cancel(session, request.invitationId, clock())),
        'invitation.resend': async (request, session) => reply(await service.resend(session, request.invitationId)),
        'greeting.start': async (request, session) => reply(await service.start(session, request.invitationId, clock())),
        'greeting.hostStep': async (request, session) => reply(await service.post(host(session), request.attemptId, request.step, request.payload,
            { newUser: request.newUser, newDevice: request.newDevice }, clock())),
        'greeting.hostState': async (request, session) => reply(await service.state(host(session), request.attemptId)),
        'greeting.hostCancel': async (request, session) => reply(await service.cancelAttempt(host(session), request.attemptId, request.reason, clock()))
    };
}
