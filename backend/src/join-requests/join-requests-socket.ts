import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas, OrganizationId, Reply } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { failure, RequestHandlers } from '../transport/request-handler';
import { JoinRequestsService } from './join-requests-service';
import { JoinRequestError } from './join-requests-types';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;
type JoinAnonymousRequest = 'joinRequests.methods' | 'joinRequests.submit' | 'joinRequests.begin' | 'joinRequests.status' | 'joinRequests.cancel';

/** The room a requester's sockets join to hear the decision. */
export const joinRequestRoom = (organizationId: OrganizationId, claimHash: string) => `join:${organizationId}:${claimHash}`;

/** Built per anonymous connection: `status` subscribes that socket to its request's decision. */
export function joinRequestsAnonymousHandlers(service: JoinRequestsService, clock: () => number, joinRoom: (room: string) => void): Pick<AnonymousHandlers, JoinAnonymousRequest> {
    return {
        'joinRequests.methods': async request => reply(await service.methods(request.organizationId)),
        'joinRequests.submit': async request => reply(await service.submitPki(request.payload, request.proof, clock())),
        'joinRequests.begin': async request => reply(await service.begin(request.payload, request.method, clock())),
        'joinRequests.status': async request => {
            const outcome = await service.status(request.organizationId, request.claimSecret);
            if (!outcome.ok) {
                return reply(outcome);
            }
            const { claimHash, ...status } = outcome.value;
            joinRoom(joinRequestRoom(request.organizationId, claimHash));
            return { ok: true, value: status };
        },
        'joinRequests.cancel': async request => reply(await service.cancel(request.organizationId, request.claimSecret, clock()))
    };
}

export function joinRequestsDeviceHandlers(service: JoinRequestsService, clock: () => number): Pick<DeviceHandlers, 'joinRequests.list' | 'joinRequests.accept' | 'joinRequests.reject'> {
    return {
        'joinRequests.list': async (_request, session) => ({ ok: true, value: await service.list(session) }),
        'joinRequests.accept': async (request, session) => reply(await service.accept(session, request.requestId, request.profile, request.certificates, clock())),
        'joinRequests.reject': async (request, session) => reply(await service.reject(session, request.requestId, clock()))
    };
}

function reply<T>(outcome: { ok: true; value: T } | { ok: false; error: JoinRequestError }): Reply<T> {
    if (outcome.ok) {
        return outcome;
    }
    const { error } = outcome;
    if (error.code === 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP') {
        return { ok: false, error: { code: error.code, message: error.message, details: { strictlyGreaterThan: error.strictlyGreaterThan ?? 0 } } };
    }
    return failure(error.code, error.message);
}
