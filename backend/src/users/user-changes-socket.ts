import { DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { reply } from '../transport/replies';
import { UserChangesService } from './user-changes-service';

export function userChangesDeviceHandlers(service: UserChangesService, clock: () => number):
    Pick<RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>, 'users.changeProfiles' | 'users.revoke'> {
    return {
        'users.changeProfiles': async (request, session) => reply(await service.changeProfiles(session, request.certificates, clock())),
        'users.revoke': async (request, session) => reply(await service.revokeUsers(session, request.certificates, clock()))
    };
}
