import { z } from 'zod';
import { CertificateKind, SignedCertificate } from '../certificates/certificate-types';
import { DeviceId, HumanHandle, UserId, UserProfile } from '../identity';
import { NewUserCertificatesSchema } from './api-common';

export const USERS_PAGE_MAX = 200;

export const usersDeviceRequests = {
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

export interface UsersDeviceResponses {
    'users.list': UsersPage;
    'users.create': { readonly userId: UserId; readonly deviceId: DeviceId };
}

export interface CertificatesAddedEvent {
    readonly index: number;
    readonly kinds: readonly CertificateKind[];
}

export interface UsersServerEvents {
    'certificates.added': (event: CertificatesAddedEvent) => void;
}
