import { z } from 'zod';
import { ApiError, Reply } from './api-errors';
import { OrganizationAnonymousResponses, organizationAnonymousRequests, SessionDeviceResponses, sessionDeviceRequests } from './organization-api';
import { UsersDeviceResponses, usersDeviceRequests, UsersServerEvents } from './users-api';
import {
    JoinRequestsAnonymousResponses, joinRequestsAnonymousRequests, JoinRequestsAnonymousServerEvents, JoinRequestsDeviceResponses, joinRequestsDeviceRequests,
    JoinRequestsServerEvents
} from './join-requests-api';

/**
 * The whole API, composed from one file per domain (`<domain>-api.ts`: request schemas,
 * response types, pushed events). A new domain adds its file and one line to each map here;
 * the rights matrix (rights.ts) then refuses to compile until the new requests have a row.
 */
export const anonymousRequestSchemas = {
    ...organizationAnonymousRequests,
    ...joinRequestsAnonymousRequests
};
export type AnonymousResponses = OrganizationAnonymousResponses & JoinRequestsAnonymousResponses;

export const deviceRequestSchemas = {
    ...sessionDeviceRequests,
    ...usersDeviceRequests,
    ...joinRequestsDeviceRequests
};
export type DeviceResponses = SessionDeviceResponses & UsersDeviceResponses & JoinRequestsDeviceResponses;

/** Events the server pushes on the device namespace. */
export type DeviceServerEvents = UsersServerEvents & JoinRequestsServerEvents;
export type AnonymousServerEvents = JoinRequestsAnonymousServerEvents;

// ---- typed event maps ---------------------------------------------------------------

type Schemas = Record<string, z.ZodType>;
export type RequestOf<S extends Schemas, K extends keyof S> = z.input<S[K]>;
export type ParsedRequestOf<S extends Schemas, K extends keyof S> = z.output<S[K]>;

export type RequestEvents<S extends Schemas, R extends { [K in keyof S]: unknown }> = {
    [K in keyof S & string]: (payload: RequestOf<S, K>, ack: (reply: Reply<R[K]>) => void) => void;
};

export type AnonymousSchemas = typeof anonymousRequestSchemas;
export type DeviceSchemas = typeof deviceRequestSchemas;
export type AnonymousClientEvents = RequestEvents<AnonymousSchemas, AnonymousResponses>;
export type DeviceClientEvents = RequestEvents<DeviceSchemas, DeviceResponses>;

export type { ApiError };
