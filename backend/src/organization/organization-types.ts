import { CertificateError, CertificateKind, DeviceId, LogHeadPosition, OrganizationId, SignedCertificate, UserId, UserProfile } from '@vouch/protocol';

export interface Organization {
    readonly id: OrganizationId;
    /** Present until the organization is bootstrapped. */
    readonly bootstrapToken?: string;
    readonly rootVerifyKey?: Uint8Array;
    readonly createdOn: number;
    readonly bootstrappedOn?: number;
}

/** Where a topic of the certificate log stands: its newest certificate. */
export interface TopicHead extends LogHeadPosition {
    /** 0 while the topic is empty. */
    readonly index: number;
}

export const EMPTY_TOPIC: TopicHead = { index: 0, digest: null, timestamp: undefined };

/** One entry of the certificate log: the full certificate and the copy External users get. */
export interface CertificateLogEntry {
    readonly index: number;
    readonly kind: CertificateKind;
    readonly timestamp: number;
    readonly author: DeviceId | null;
    /** The user the certificate is about; null for the organization's own settings. */
    readonly subject: UserId | null;
    /** Chain digest: what the next certificate of the topic names as `previous`. */
    readonly digest: string;
    readonly signed: SignedCertificate;
    readonly redacted: SignedCertificate;
}

export interface NewUserRecord {
    readonly userId: UserId;
    readonly email: string;
    readonly label: string;
    readonly profile: UserProfile;
    readonly createdOn: number;
    readonly createdBy?: UserId;
    readonly createdByDevice?: DeviceId;
    readonly certificateIndex: number;
}

export interface NewDeviceRecord {
    readonly deviceId: DeviceId;
    readonly userId: UserId;
    readonly label: string;
    readonly verifyKey: Uint8Array;
    readonly createdOn: number;
    readonly createdByDevice?: DeviceId;
    readonly certificateIndex: number;
}

export interface PendingBootstrap {
    readonly organizationId: OrganizationId;
    readonly token: string;
}

export type CreateOrganizationError =
    | { readonly code: 'ORGANIZATION_NAME_INVALID'; readonly message: string }
    | { readonly code: 'ORGANIZATION_ALREADY_EXISTS'; readonly message: string };

export type BootstrapError =
    | { readonly code: 'ORGANIZATION_NOT_FOUND' | 'BOOTSTRAP_TOKEN_INVALID' | 'ORGANIZATION_ALREADY_BOOTSTRAPPED'; readonly message: string }
    | CertificateError;

export type AddUserError =
    | { readonly code: 'NOT_ALLOWED' | 'ORGANIZATION_NOT_FOUND'; readonly message: string }
    | CertificateError;

export interface OrganizationStatusError {
    readonly code: 'ORGANIZATION_NOT_FOUND';
    readonly message: string;
}

export interface OrganizationStatus {
    readonly organizationId: OrganizationId;
    readonly bootstrapped: boolean;
}

export interface AddedUser {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
}
