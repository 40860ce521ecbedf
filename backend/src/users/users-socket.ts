import { DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { value } from '../transport/replies';
import { UsersService } from './users-service';

export function usersDeviceHandlers(service: UsersService, clock: () => number): Pick<RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>, 'users.list'> {
    return {
        'users.list': async (request, session) => value(await service.listUsers(session, request, clock()))
    };
}
