import { z } from 'zod';
import { base64UrlBytes, VerifyKeySchema } from '../certificates/certificate-types';
import { DeviceId, DeviceIdSchema, HumanHandle, OrganizationId, OrganizationIdSchema, UserId, UserProfile } from '../identity';
import { EmptySchema, NewUserCertificatesSchema } from './api-common';

/** Organization lifecycle and sessions: bootstrap, challenges, who am I. */
export const organizationAnonymousRequests = {
    'auth.challenge': EmptySchema,
    'organization.status': z.object({ organizationId: OrganizationIdSchema }).strict(),
    'organization.bootstrap': z.object({
        organizationId: OrganizationIdSchema,
        token: z.string().min(1).max(128),
        rootVerifyKey: VerifyKeySchema,
        certificates: NewUserCertificatesSchema
    }).strict()
};

export interface OrganizationAnonymousResponses {
    'auth.challenge': { readonly challenge: string };
    'organization.status': { readonly organizationId: OrganizationId; readonly bootstrapped: boolean };
    'organization.bootstrap': { readonly userId: UserId; readonly deviceId: DeviceId };
}

export const DeviceHandshakeSchema = z.object({
    organizationId: OrganizationIdSchema,
    deviceId: DeviceIdSchema,
    challenge: z.string().min(1).max(256),
    signature: base64UrlBytes(64, 'A signature')
}).strict();
export type DeviceHandshake = z.infer<typeof DeviceHandshakeSchema>;

export const sessionDeviceRequests = {
    'session.info': EmptySchema
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

export interface SessionDeviceResponses {
    'session.info': SessionInfo;
}
