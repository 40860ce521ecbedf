import { DeviceResponses, DeviceSchemas, Reply } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { failure, RequestHandlers } from '../transport/request-handler';
import { UserChangesService } from './user-changes-service';
import { UserChangeError } from './user-changes-types';

type Handlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;

export function userChangesDeviceHandlers(service: UserChangesService, clock: () => number):
    Pick<Handlers, 'users.changeProfiles' | 'users.revoke' | 'certificates.list'> {
    return {
        'users.changeProfiles': async (request, session) => {
            const outcome = await service.changeProfiles(session, request.certificates, clock());
            return outcome.ok ? outcome : changeFailure(outcome.error);
        },
        'users.revoke': async (request, session) => {
            const outcome = await service.revokeUsers(session, request.certificates, clock());
            return outcome.ok ? outcome : changeFailure(outcome.error);
        },
        'certificates.list': async (request, session) => ({ ok: true, value: await service.listCertificates(session, request.offset, request.limit) })
    };
}

function changeFailure(error: UserChangeError): Reply<never> {
    if (error.code === 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP') {
        return { ok: false, error: { code: error.code, message: error.message, details: { strictlyGreaterThan: error.strictlyGreaterThan ?? 0 } } };
    }
    return failure(error.code, error.message);
}
