import {
    DeviceId, JoinMethod, JoinRequestPayload, OrganizationId, PkiProof, SignedCertificate, UserId, UserProfile, VerifiedIdentity
} from '@vouch/protocol';
import { AddUserError } from '../organization/organization-types';

export type StoredJoinState = 'pending' | 'accepted' | 'rejected' | 'cancelled' | 'replaced';

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

/** Why a join request operation was refused; accepting may also meet the organization's refusal of the new user. */
export type JoinRequestError =
    | {
        readonly code: 'JOIN_METHOD_UNAVAILABLE' | 'JOIN_PROOF_INVALID' | 'JOIN_REQUEST_NOT_FOUND' | 'JOIN_REQUEST_ALREADY_DECIDED' |
            'JOIN_REQUEST_ALREADY_PENDING' | 'JOIN_REQUEST_EMAIL_TAKEN' | 'JOIN_REQUEST_MISMATCH';
        readonly message: string;
    }
    | AddUserError;
