import {
    ApiErrorCode, DeviceId, JoinMethod, JoinRequestPayload, OrganizationId, PkiProof, SignedCertificate, UserId, UserProfile, VerifiedIdentity
} from '@vouch/protocol';

/** `accepting`: one admin claimed the request and is storing the new user; shown as pending. */
export type StoredJoinState = 'pending' | 'accepting' | 'accepted' | 'rejected' | 'cancelled' | 'replaced';

export interface JoinRequestRecord {
    readonly organizationId: OrganizationId;
    readonly requestId: string;
    readonly method: JoinMethod;
    readonly state: StoredJoinState;
    readonly email: string;
    readonly claimHash: string;
    readonly payload: JoinRequestPayload;
    readonly identity: VerifiedIdentity;
    readonly proof?: PkiProof;
    readonly createdOn: number;
    readonly decidedOn?: number;
    readonly decidedBy?: UserId;
    readonly claimedOn?: number;
    readonly acceptance?: StoredAcceptance;
}

export interface StoredAcceptance {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    readonly profile: UserProfile;
    readonly user: SignedCertificate;
    readonly device: SignedCertificate;
    readonly authorDevice: DeviceId;
}

/** An OIDC or SAML sign-in under way: what the provider's answer must be bound to. */
export interface JoinAttempt {
    /** OIDC `state`, or the SAML AuthnRequest ID. */
    readonly id: string;
    readonly organizationId: OrganizationId;
    readonly method: 'oidc' | 'saml';
    readonly payload: JoinRequestPayload;
    /** OIDC: the PKCE code verifier. */
    readonly secret?: string;
    readonly expiresOn: number;
}

export interface JoinRequestError {
    readonly code: Extract<ApiErrorCode,
        'ORGANIZATION_NOT_FOUND' | 'NOT_ALLOWED' | 'JOIN_METHOD_UNAVAILABLE' | 'JOIN_PROOF_INVALID' | 'JOIN_REQUEST_NOT_FOUND' |
        'JOIN_REQUEST_ALREADY_DECIDED' | 'JOIN_REQUEST_ALREADY_PENDING' | 'JOIN_REQUEST_EMAIL_TAKEN' | 'JOIN_REQUEST_MISMATCH' |
        'CERTIFICATE_MALFORMED' | 'CERTIFICATE_BAD_SIGNATURE' | 'CERTIFICATE_UNKNOWN_AUTHOR' | 'CERTIFICATE_AUTHOR_REVOKED' |
        'CERTIFICATE_AUTHOR_NOT_ALLOWED' | 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK' | 'CERTIFICATE_INCONSISTENT' |
        'CERTIFICATE_ALREADY_EXISTS' | 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP'>;
    readonly message: string;
    readonly strictlyGreaterThan?: number;
}
