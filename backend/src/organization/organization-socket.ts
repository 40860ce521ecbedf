import { AnonymousResponses, AnonymousSchemas, DeviceResponses, DeviceSchemas } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { RequestHandlers } from '../transport/request-handler';
import { reply, value } from '../transport/replies';
import { CertificatesService } from './certificates-service';
import { OrganizationService } from './organization-service';

type AnonymousHandlers = RequestHandlers<AnonymousSchemas, AnonymousResponses, unknown>;
type DeviceHandlers = RequestHandlers<DeviceSchemas, DeviceResponses, DeviceSession>;

export function organizationAnonymousHandlers(service: OrganizationService, clock: () => number):
    Pick<AnonymousHandlers, 'organization.status' | 'organization.bootstrap'> {
    return {
        'organization.status': async request => reply(await service.status(request.organizationId)),
        'organization.bootstrap': async request => reply(await service.bootstrap(request.organizationId, request.token, request.rootVerifyKey, request.certificates, clock()))
    };
}

export function organizationDeviceHandlers(service: OrganizationService, certificates: CertificatesService, clock: () => number):
    Pick<DeviceHandlers, 'users.create' | 'certificates.list' | 'certificates.head'> {
    return {
        'users.create': async (request, session) => reply(await service.addUser(session, request, clock())),
        'certificates.list': async (request, session) => value(await certificates.list(session, request.topic, request.offset, request.limit)),
        'certificates.head': async (request, session) => value(await certificates.head(session, request.topic))
    };
}
