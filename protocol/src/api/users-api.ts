import { z } from 'zod';
import { COMMON_TOPIC } from '../certificates/certificate-chain';
import { CertificateKind, SignedCertificate, SignedCertificateSchema } from '../certificates/certificate-types';
import { MAX_USER_CHANGES_PER_BATCH } from '../certificates/user-change-rules';
import { DeviceId, HumanHandle, UserId, UserIdSchema, UserProfile } from '../identity';
import { NewUserCertificatesSchema } from './api-common';

export const USERS_PAGE_MAX = 200;

/**
 * A topic of the certificate log. Only the organization's own for now; each workspace will have
 * its own (`workspace:<id>`), so writers of different topics never wait on each other.
 */
export const TopicSchema = z.enum([COMMON_TOPIC]);
export const CERTIFICATES_PAGE_MAX = 1000;

export const usersDeviceRequests = {
    'users.list': z.object({
        query: z.string().max(128).default(''),
        offset: z.number().int().min(0).max(10_000_000).default(0),
        limit: z.number().int().min(1).max(USERS_PAGE_MAX).default(50),
        includeRevoked: z.boolean().default(true)
    }).strict(),
    /**
     * Given users' rows, as `users.list` gives them (the members and authors of a workspace's log,
     * people to share with), without paging through the organization. Unknown ids are left out.
     */
    'users.get': z.object({ userIds: z.array(UserIdSchema).min(1).max(USERS_PAGE_MAX) }).strict(),
    /**
     * An Administrator's device stores a new user with its first device, signed by itself
     * (Parsec's `user_create`: the last step of an invitation, once the guest sent its keys).
     */
    'users.create': NewUserCertificatesSchema,
    /** Where a topic of the log stands, so a writer signs its next certificate after it. */
    'certificates.head': z.object({ topic: TopicSchema.default(COMMON_TOPIC) }).strict(),
    /**
     * Profile changes of one or many users, signed by an Administrator's device: applied as
     * ONE operation, all or none (at least one Administrator remains; External is out of reach).
     */
    'users.changeProfiles': z.object({
        certificates: z.array(SignedCertificateSchema).min(1).max(MAX_USER_CHANGES_PER_BATCH)
    }).strict(),
    /** Irreversible: the users and every device of theirs lose access at once. Revoking twice is harmless. */
    'users.revoke': z.object({
        certificates: z.array(SignedCertificateSchema).min(1).max(MAX_USER_CHANGES_PER_BATCH)
    }).strict(),
    /** The certificate log in order, for the history view (which re-checks it from the root key). */
    'certificates.list': z.object({
        topic: TopicSchema.default(COMMON_TOPIC),
        offset: z.number().int().min(0).max(100_000_000).default(0),
        limit: z.number().int().min(1).max(CERTIFICATES_PAGE_MAX).default(CERTIFICATES_PAGE_MAX)
    }).strict()
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
    /** Who revoked the user. */
    readonly revokedBy?: UserId;
    /** The user certificate the row was read from (redacted for External readers). */
    readonly certificate: SignedCertificate;
    /** The newest profile change of the user, which `profile` must match; absent when the user certificate's profile stands. */
    readonly profileCertificate?: SignedCertificate;
    /** The revocation of a revoked user, dated `revokedOn`. */
    readonly revocationCertificate?: SignedCertificate;
}

export interface UsersPage {
    readonly users: readonly UserSummary[];
    /** Offset of the next page; absent on the last page. */
    readonly nextOffset?: number;
    /** Device certificates that chain the authors of the rows' certificates to the root key, for re-checking. */
    readonly authorDevices: readonly SignedCertificate[];
}

export interface UsersDeviceResponses {
    'users.list': UsersPage;
    'users.get': UsersPage;
    'users.create': { readonly userId: UserId; readonly deviceId: DeviceId };
    'users.changeProfiles': { readonly changed: number };
    'users.revoke': { readonly revoked: readonly UserId[]; readonly alreadyRevoked: readonly UserId[] };
    'certificates.list': CertificatesPage;
    'certificates.head': LogHead;
}

/** The newest certificate of a topic. */
export interface LogHead {
    readonly topic: string;
    /** 0 while the topic is empty. */
    readonly index: number;
    /** Chain digest of the newest certificate (absent while empty): the next one names it as `previous`. */
    readonly digest?: string;
    /** Its timestamp: the next one is dated strictly later. */
    readonly timestamp?: number;
}

export interface CertificatesPage {
    /**
     * Log entries in order. Members get the redacted copy of other users' device certificates
     * (device labels are private); Administrators get every full certificate.
     */
    readonly certificates: readonly { readonly index: number; readonly signed: SignedCertificate }[];
    readonly nextOffset?: number;
}

export interface SessionRevokedEvent {
    readonly message: string;
}

/** Pushed to every device of a user whose profile changed, once its live sessions follow the change. */
export interface ProfileChangedEvent {
    readonly profile: UserProfile;
}

/** Certificates were appended to a topic: its new head, and what kinds came. No names. */
export interface CertificatesAddedEvent extends LogHead {
    readonly kinds: readonly CertificateKind[];
}

export interface UsersServerEvents {
    'certificates.added': (event: CertificatesAddedEvent) => void;
    'session.profileChanged': (event: ProfileChangedEvent) => void;
    /** Sent to every socket of a revoked user just before the server closes it: no retry can help. */
    'session.revoked': (event: SessionRevokedEvent) => void;
}
