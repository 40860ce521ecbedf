import { DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { value } from '../transport/replies';
import { UsersService } from './users-service';

export function usersDeviceHandlers(service: UsersService, clock: () => number): Pick<RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>, 'users.list' | 'users.get'> {
    return {
        'users.list': async (request, session) => value(await service.listUsers(session, request, clock())),
        'users.get': async (request, session) => value(await service.usersByIds(session, request.userIds))
    };
}
