import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas, Reply } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { failure, RequestHandlers } from '../transport/request-handler';
import { OrganizationService } from './organization-service';
import { AddUserError, BootstrapError } from './organization-types';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;

export function organizationAnonymousHandlers(service: OrganizationService, clock: () => number):
    Pick<AnonymousHandlers, 'organization.status' | 'organization.bootstrap'> {
    return {
        'organization.status': async request => {
            const outcome = await service.status(request.organizationId);
            return outcome.ok ? outcome : failure(outcome.error.code, outcome.error.message);
        },
        'organization.bootstrap': async request => {
            const outcome = await service.bootstrap(request.organizationId, request.token, request.rootVerifyKey, request.certificates, clock());
            return outcome.ok ? outcome : certificateFailure(outcome.error);
        }
    };
}

export function organizationDeviceHandlers(service: OrganizationService, clock: () => number): Pick<DeviceHandlers, 'users.create'> {
    return {
        'users.create': async (request, session) => {
            const outcome = await service.addUser(session, request, clock());
            return outcome.ok ? outcome : certificateFailure(outcome.error);
        }
    };
}

function certificateFailure(error: BootstrapError | AddUserError): Reply<never> {
    switch (error.code) {
        case 'ORGANIZATION_NOT_FOUND':
        case 'BOOTSTRAP_TOKEN_INVALID':
        case 'ORGANIZATION_ALREADY_BOOTSTRAPPED':
        case 'NOT_ALLOWED':
        case 'CERTIFICATE_MALFORMED':
        case 'CERTIFICATE_BAD_SIGNATURE':
        case 'CERTIFICATE_UNKNOWN_AUTHOR':
        case 'CERTIFICATE_AUTHOR_REVOKED':
        case 'CERTIFICATE_AUTHOR_NOT_ALLOWED':
        case 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK':
        case 'CERTIFICATE_INCONSISTENT':
        case 'CERTIFICATE_ALREADY_EXISTS':
            return failure(error.code, error.message);
        case 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP':
            return { ok: false, error: { code: error.code, message: error.message, details: { strictlyGreaterThan: error.strictlyGreaterThan ?? 0 } } };
        default: {
            const unexpected: never = error;
            throw new Error(`Unmapped outcome ${JSON.stringify(unexpected)}`);
        }
    }
}
