import { z } from 'zod';
import { CertificateKind, SignedCertificate, SignedCertificateSchema, VerifyKeySchema, base64UrlBytes } from '../certificates/certificate-types';
import { DeviceIdSchema, HumanHandle, OrganizationId, OrganizationIdSchema, UserId, UserProfile, DeviceId } from '../identity';
import { ApiError, Reply } from './api-errors';

/** Socket.IO path of the organization server; never Theia's own, which claims every namespace. */
export const VOUCH_SOCKET_PATH = '/vouch/socket.io';
export const ANONYMOUS_NAMESPACE = '/anonymous';
export const DEVICE_NAMESPACE = '/device';
/** Largest Socket.IO message the server reads; a larger one closes that connection. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const EmptySchema = z.object({}).strict();

export const NewUserCertificatesSchema = z.object({
    user: SignedCertificateSchema,
    redactedUser: SignedCertificateSchema,
    device: SignedCertificateSchema,
    redactedDevice: SignedCertificateSchema
}).strict();

// ---- anonymous namespace -------------------------------------------------------------

export const anonymousRequestSchemas = {
    'auth.challenge': EmptySchema,
    'organization.status': z.object({ organizationId: OrganizationIdSchema }).strict(),
    'organization.bootstrap': z.object({
        organizationId: OrganizationIdSchema,
        token: z.string().min(1).max(128),
        rootVerifyKey: VerifyKeySchema,
        certificates: NewUserCertificatesSchema
    }).strict()
};

export interface AnonymousResponses {
    'auth.challenge': { readonly challenge: string };
    'organization.status': { readonly organizationId: OrganizationId; readonly bootstrapped: boolean };
    'organization.bootstrap': { readonly userId: UserId; readonly deviceId: DeviceId };
}

// ---- authenticated (device) namespace ------------------------------------------------

export const DeviceHandshakeSchema = z.object({
    organizationId: OrganizationIdSchema,
    deviceId: DeviceIdSchema,
    challenge: z.string().min(1).max(256),
    signature: base64UrlBytes(64, 'A signature')
}).strict();
export type DeviceHandshake = z.infer<typeof DeviceHandshakeSchema>;

export const USERS_PAGE_MAX = 200;

export const deviceRequestSchemas = {
    'session.info': EmptySchema,
    'users.list': z.object({
        query: z.string().max(128).default(''),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        limit: z.number().int().min(1).max(USERS_PAGE_MAX).default(50),
        includeRevoked: z.boolean().default(true)
    }).strict(),
    /**
     * An Administrator's device stores a new user with its first device, signed by itself
     * (Parsec's `user_create`: the last step of an invitation, once the guest sent its keys).
     */
    'users.create': NewUserCertificatesSchema
};

export interface SessionInfo {
    readonly organizationId: OrganizationId;
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    readonly profile: UserProfile;
    readonly humanHandle?: HumanHandle;
    /** ISO time of the server, so a client can tell the user its clock is off. */
    readonly serverTime: string;
}

export interface UserSummary {
    readonly userId: UserId;
    /** Absent when the reader may not see names and emails (External). */
    readonly humanHandle?: HumanHandle;
    readonly profile: UserProfile;
    /** ISO time the user joined. */
    readonly createdOn: string;
    /** Who added the user; absent for the bootstrap user. */
    readonly createdBy?: UserId;
    /** ISO time of revocation. */
    readonly revokedOn?: string;
    /** The user certificate the row was read from (redacted for External readers). */
    readonly certificate: SignedCertificate;
}

export interface UsersPage {
    readonly users: readonly UserSummary[];
    /** Offset of the next page; absent on the last page. */
    readonly nextOffset?: number;
    /** Device certificates that chain the rows' authors to the root key, for re-checking. */
    readonly authorDevices: readonly SignedCertificate[];
}

export interface DeviceResponses {
    'session.info': SessionInfo;
    'users.list': UsersPage;
    'users.create': { readonly userId: UserId; readonly deviceId: DeviceId };
}

export interface CertificatesAddedEvent {
    readonly index: number;
    readonly kinds: readonly CertificateKind[];
}

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
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AnonymousServerEvents { }
export interface DeviceServerEvents {
    'certificates.added': (event: CertificatesAddedEvent) => void;
}

export type { ApiError };
