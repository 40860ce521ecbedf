import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import { base64UrlBytes, PublicKeySchema, VerifyKeySchema } from '../certificates/certificate-types';
import { hash256 } from '../crypto/hash';
import { concatBytes, toBase64Url, utf8Encode } from '../encoding';
import { DeviceLabelSchema, HumanHandleSchema, OrganizationIdSchema } from '../identity';

/**
 * What a requester submits: the keys its client made, who it says it is, and the hash of a
 * secret only its client holds (to follow, cancel and finalize the request). Every proof
 * (PKI signature, OIDC nonce, SAML request id) covers the canonical bytes of exactly this.
 */
export const JoinRequestPayloadSchema = z.object({
    version: z.literal(1),
    organizationId: OrganizationIdSchema,
    email: HumanHandleSchema.shape.email,
    name: HumanHandleSchema.shape.label,
    deviceLabel: DeviceLabelSchema,
    userPublicKey: PublicKeySchema,
    deviceVerifyKey: VerifyKeySchema,
    claimHash: base64UrlBytes(32, 'A claim hash'),
    /** Replace this email's pending request, if any; otherwise such a request is refused. */
    replace: z.boolean(),
    /** ms since the epoch, set by the requester; the server refuses one far from its clock. */
    timestamp: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
}).strict();
export type JoinRequestPayload = z.infer<typeof JoinRequestPayloadSchema>;

const JOIN_REQUEST_DOMAIN = utf8Encode('vouch/join-request/v1\n');

/** The exact bytes a PKI proof signs, and whose hash an OIDC nonce or SAML request id carries. */
export function joinRequestMessage(payload: JoinRequestPayload): Uint8Array {
    return concatBytes(JOIN_REQUEST_DOMAIN, utf8Encode(canonicalJson({ ...payload })));
}

/** base64url BLAKE2b-256 of the message: 43 characters, usable as an OIDC nonce. */
export function joinRequestDigest(payload: JoinRequestPayload): string {
    return toBase64Url(hash256(joinRequestMessage(payload)));
}

/** SAML IDs are xsd:ID (a letter or `_` first): `_` + hex of the digest. */
export function joinRequestSamlId(payload: JoinRequestPayload): string {
    return '_' + Array.from(hash256(joinRequestMessage(payload)), byte => byte.toString(16).padStart(2, '0')).join('');
}

/** What the requester keeps secret; the payload carries its hash. */
export function joinClaimHash(claimSecret: Uint8Array): string {
    return toBase64Url(hash256(concatBytes(utf8Encode('vouch/join-claim/v1\n'), claimSecret)));
}

/** Payload time may differ from the server's by this much. */
export const JOIN_REQUEST_BALLPARK_MS = 10 * 60 * 1000;
