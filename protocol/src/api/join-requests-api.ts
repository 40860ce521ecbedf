import { z } from 'zod';
import { base64UrlBytes, SignedCertificate, SignedCertificateSchema } from '../certificates/certificate-types';
import { DeviceId, OrganizationIdSchema, UserId, UserProfile, UserProfileSchema } from '../identity';
import { JoinRequestPayload, JoinRequestPayloadSchema } from '../join-requests/join-request-payload';
import { NewUserCertificatesSchema } from './api-common';

/** How a requester proves who they are. */
export const JOIN_METHODS = ['pki', 'oidc', 'saml'] as const;
export const JoinMethodSchema = z.enum(JOIN_METHODS);
export type JoinMethod = z.infer<typeof JoinMethodSchema>;

/** An X.509 certificate in base64 DER (what PEM wraps). */
const DerCertificateSchema = z.string().min(16).max(16_384).regex(/^[A-Za-z0-9+/=]+$/, 'A certificate is base64 DER');

/** PKI proof: the chain (leaf first, then intermediates) and the leaf key's signature over the payload. */
export const PkiProofSchema = z.object({
    method: z.literal('pki'),
    certificates: z.array(DerCertificateSchema).min(1).max(6),
    /** RSA: RSASSA-PKCS1-v1_5 with SHA-256. ECDSA: P-256/SHA-256 or P-384/SHA-384, r‖s (IEEE P1363, as WebCrypto signs). */
    signature: z.string().min(16).max(2048).regex(/^[A-Za-z0-9_-]+$/, 'A signature is base64url')
}).strict();
export type PkiProof = z.infer<typeof PkiProofSchema>;

const ClaimSecretSchema = base64UrlBytes(32, 'A claim secret');

export const joinRequestsAnonymousRequests = {
    /** Which proofs this server accepts for the organization. */
    'joinRequests.methods': z.object({ organizationId: OrganizationIdSchema }).strict(),
    /** A PKI request is complete in one message. */
    'joinRequests.submit': z.object({ payload: JoinRequestPayloadSchema, proof: PkiProofSchema }).strict(),
    /** OIDC and SAML: the server (relying party / SP) returns where to send the browser; the request exists once the provider answers. */
    'joinRequests.begin': z.object({ payload: JoinRequestPayloadSchema, method: z.enum(['oidc', 'saml']) }).strict(),
    /** The requester's view of its request; also subscribes this socket to `joinRequests.decided`. */
    'joinRequests.status': z.object({ organizationId: OrganizationIdSchema, claimSecret: ClaimSecretSchema }).strict(),
    'joinRequests.cancel': z.object({ organizationId: OrganizationIdSchema, claimSecret: ClaimSecretSchema }).strict()
};

export interface JoinMethodsInfo {
    readonly pki: boolean;
    /** Present when configured: the name to show on the sign-in button. */
    readonly oidc?: { readonly label: string };
    readonly saml?: { readonly label: string };
}

/** The identity the server verified, as an admin sees it. */
export type VerifiedIdentity =
    | {
        readonly method: 'pki';
        readonly subject: string;
        readonly email: string;
        /** Issuer subjects from the leaf's issuer up to the trust anchor. */
        readonly issuerChain: readonly string[];
        readonly notBefore: string;
        readonly notAfter: string;
        /** SHA-256 of the leaf certificate, hex. */
        readonly fingerprint: string;
        readonly keyType: 'rsa' | 'ec';
    }
    | { readonly method: 'oidc'; readonly issuer: string; readonly subject: string; readonly email: string; readonly name?: string }
    | { readonly method: 'saml'; readonly issuer: string; readonly nameId: string; readonly email: string; readonly name?: string };

export type JoinRequestState = 'pending' | 'accepted' | 'rejected' | 'cancelled' | 'replaced';

export interface JoinRequestAcceptance {
    readonly userId: UserId;
    readonly deviceId: DeviceId;
    readonly profile: UserProfile;
    readonly user: SignedCertificate;
    readonly device: SignedCertificate;
    /** Device certificates from the accepting admin's device back to the root key. */
    readonly authorDevices: readonly SignedCertificate[];
}

export interface JoinRequestStatus {
    readonly requestId: string;
    readonly state: JoinRequestState;
    readonly method: JoinMethod;
    readonly email: string;
    readonly createdOn: string;
    readonly decidedOn?: string;
    readonly accepted?: JoinRequestAcceptance;
}

export interface JoinRequestsAnonymousResponses {
    'joinRequests.methods': JoinMethodsInfo;
    'joinRequests.submit': JoinRequestStatus;
    'joinRequests.begin': { readonly redirectUrl: string };
    'joinRequests.status': JoinRequestStatus;
    'joinRequests.cancel': JoinRequestStatus;
}

export interface JoinRequestsAnonymousServerEvents {
    /** To the requester's sockets that asked for the status: the request was decided. */
    'joinRequests.decided': (status: JoinRequestStatus) => void;
}

export const joinRequestsDeviceRequests = {
    'joinRequests.list': z.object({}).strict(),
    /** The admin's device signed the new user (profile chosen, name confirmed) and its device for the submitted keys. */
    'joinRequests.accept': z.object({ requestId: z.string().regex(/^[0-9a-f]{32}$/), profile: UserProfileSchema, certificates: NewUserCertificatesSchema }).strict(),
    'joinRequests.reject': z.object({ requestId: z.string().regex(/^[0-9a-f]{32}$/) }).strict(),
    /** An Administrator pins the trust anchors the workbench re-checks PKI requests against (a pki_anchors certificate). */
    'joinRequests.pinAnchors': z.object({ certificate: SignedCertificateSchema }).strict()
};

export interface PendingJoinRequest {
    readonly requestId: string;
    readonly method: JoinMethod;
    readonly createdOn: string;
    readonly payload: JoinRequestPayload;
    readonly identity: VerifiedIdentity;
    /** PKI only: what the admin's client re-checks against the trust anchors. */
    readonly proof?: z.infer<typeof PkiProofSchema>;
}

export interface JoinRequestsPage {
    readonly requests: readonly PendingJoinRequest[];
    /** PEM trust anchors and CRLs the server checks PKI requests against, so the admin's client re-checks with the same. */
    readonly trustAnchors: readonly string[];
    readonly crls: readonly string[];
    /**
     * The organization's newest pki_anchors certificate, with the device certificates that chain
     * its author to the root key: the admin's client re-checks against the served anchors it pins
     * only, not against whatever the server serves.
     */
    readonly pinned?: { readonly certificate: SignedCertificate; readonly authorDevices: readonly SignedCertificate[] };
}

export interface JoinRequestsDeviceResponses {
    'joinRequests.list': JoinRequestsPage;
    'joinRequests.accept': { readonly userId: UserId; readonly deviceId: DeviceId };
    'joinRequests.reject': { readonly requestId: string };
    'joinRequests.pinAnchors': { readonly anchors: number };
}

export interface JoinRequestsServerEvents {
    /** Something changed in the organization's pending requests: admins reload. */
    'joinRequests.changed': (event: { readonly requestId: string }) => void;
}
