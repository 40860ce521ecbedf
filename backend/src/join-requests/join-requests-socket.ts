import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { reply, value } from '../transport/replies';
import { JoinRequestsService } from './join-requests-service';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;
type JoinAnonymousRequest = 'joinRequests.methods' | 'joinRequests.submit' | 'joinRequests.begin' | 'joinRequests.status' | 'joinRequests.cancel';

/** Built per anonymous connection: `status` subscribes that socket to its request's decision (`follow`). */
export function joinRequestsAnonymousHandlers(service: JoinRequestsService, clock: () => number, follow: (organizationId: string, claimHash: string) => void): Pick<AnonymousHandlers, JoinAnonymousRequest> {
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
            follow(request.organizationId, claimHash);
            return value(status);
        },
        'joinRequests.cancel': async request => reply(await service.cancel(request.organizationId, request.claimSecret, clock()))
    };
}

export function joinRequestsDeviceHandlers(service: JoinRequestsService, clock: () => number): Pick<DeviceHandlers, 'joinRequests.list' | 'joinRequests.accept' | 'joinRequests.reject' | 'joinRequests.pinAnchors'> {
    return {
        'joinRequests.list': async (_request, session) => value(await service.list(session)),
        'joinRequests.accept': async (request, session) => reply(await service.accept(session, request.requestId, request.profile, request.certificates, clock())),
        'joinRequests.reject': async (request, session) => reply(await service.reject(session, request.requestId, clock())),
        'joinRequests.pinAnchors': async (request, session) => reply(await service.pinAnchors(session, request.certificate, clock()))
    };
}
