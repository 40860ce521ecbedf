import { DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { reply } from '../transport/replies';
import { ReencryptionService } from './reencryption-service';

type ReencryptionRequests = 'reencryption.start' | 'reencryption.rotate' | 'reencryption.pending' | 'reencryption.batch' | 'reencryption.finish' | 'reencryption.release'
    | 'reencryption.impact';

export function reencryptionDeviceHandlers(service: ReencryptionService, clock: () => number): Pick<RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>, ReencryptionRequests> {
    return {
        'reencryption.start': async (request, session) => reply(await service.start(session, request.workspaceId, clock())),
        'reencryption.rotate': async (request, session) => reply(await service.rotate(session, request.workspaceId, request.certificates, request.sealedKeys, clock())),
        'reencryption.pending': async (request, session) => reply(await service.pending(session, request.workspaceId, request.after, request.limit)),
        'reencryption.batch': async (request, session) => reply(await service.batch(session, request.workspaceId, request.entries, clock())),
        'reencryption.finish': async (request, session) => reply(await service.finish(session, request.workspaceId, clock())),
        'reencryption.release': async (request, session) => reply(await service.release(session, request.workspaceId)),
        'reencryption.impact': async (request, session) => reply(await service.impact(session, request.userIds))
    };
}
