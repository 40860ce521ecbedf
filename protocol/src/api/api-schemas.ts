import { z } from 'zod';
import { ApiError, Reply } from './api-errors';
import { OrganizationAnonymousResponses, organizationAnonymousRequests, SessionDeviceResponses, sessionDeviceRequests } from './organization-api';
import { UsersDeviceResponses, usersDeviceRequests, UsersServerEvents } from './users-api';
import {
    JoinRequestsAnonymousResponses, joinRequestsAnonymousRequests, JoinRequestsAnonymousServerEvents, JoinRequestsDeviceResponses, joinRequestsDeviceRequests,
    JoinRequestsServerEvents
} from './join-requests-api';
import {
    InvitationAnonymousResponses, invitationAnonymousRequests, InvitationAnonymousServerEvents, InvitationDeviceResponses, invitationDeviceRequests,
    InvitationDeviceServerEvents
} from './invitation-api';
import { WorkspacesDeviceResponses, workspacesDeviceRequests, WorkspacesServerEvents } from './workspaces-api';

/**
 * The whole API, composed from one file per domain (`<domain>-api.ts`: request schemas,
 * response types, pushed events). A new domain adds its file and one line to each map here;
 * the rights matrix (rights.ts) then refuses to compile until the new requests have a row.
 */
export const anonymousRequestSchemas = {
    ...organizationAnonymousRequests,
    ...joinRequestsAnonymousRequests,
    ...invitationAnonymousRequests
};
export type AnonymousResponses = OrganizationAnonymousResponses & JoinRequestsAnonymousResponses & InvitationAnonymousResponses;

export const deviceRequestSchemas = {
    ...sessionDeviceRequests,
    ...usersDeviceRequests,
    ...joinRequestsDeviceRequests,
    ...invitationDeviceRequests,
    ...workspacesDeviceRequests
};
export type DeviceResponses = SessionDeviceResponses & UsersDeviceResponses & JoinRequestsDeviceResponses & InvitationDeviceResponses & WorkspacesDeviceResponses;

/** Events the server pushes on the device namespace. */
export type DeviceServerEvents = UsersServerEvents & JoinRequestsServerEvents & InvitationDeviceServerEvents & WorkspacesServerEvents;
export type AnonymousServerEvents = JoinRequestsAnonymousServerEvents & InvitationAnonymousServerEvents;

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
