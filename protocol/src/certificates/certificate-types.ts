import { z } from 'zod';
import { fromBase64Url } from '../encoding';
import { DeviceIdSchema, DeviceLabelSchema, HumanHandleSchema, UserIdSchema, UserProfileSchema } from '../identity';

/** Base64url of exactly `length` bytes. */
export function base64UrlBytes(length: number, what: string): z.ZodType<string> {
    return z.string().refine(text => fromBase64Url(text)?.length === length, `${what} must be ${length} bytes in base64url`);
}

export const VerifyKeySchema = base64UrlBytes(32, 'A verify key');
export const PublicKeySchema = base64UrlBytes(32, 'A public key');
/** BLAKE2b-256 of a certificate's chain form (certificate-chain.ts), in base64url. */
export const ChainDigestSchema = base64UrlBytes(32, 'A chain digest');

const common = {
    version: z.literal(1),
    /** The device that signed it; null for the organization root key (bootstrap only). */
    author: DeviceIdSchema.nullable(),
    /** Milliseconds since the Unix epoch, set by the author. */
    timestamp: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    /**
     * The chain digest of the certificate before this one in its topic of the log; null only
     * for a topic's first. Signed with the rest, so the log cannot be cut, reordered or
     * rewritten without a signature breaking (certificate-chain.ts).
     */
    previous: ChainDigestSchema.nullable()
};

export const UserCertificateSchema = z.object({
    kind: z.literal('user'),
    ...common,
    userId: UserIdSchema,
    /** null in the redacted copy that External users receive. */
    humanHandle: HumanHandleSchema.nullable(),
    publicKey: PublicKeySchema,
    profile: UserProfileSchema
}).strict();
export type UserCertificate = z.infer<typeof UserCertificateSchema>;

export const DeviceCertificateSchema = z.object({
    kind: z.literal('device'),
    ...common,
    userId: UserIdSchema,
    deviceId: DeviceIdSchema,
    /** null in the redacted copy. */
    deviceLabel: DeviceLabelSchema.nullable(),
    verifyKey: VerifyKeySchema
}).strict();
export type DeviceCertificate = z.infer<typeof DeviceCertificateSchema>;

/** A user's new profile (Parsec's user_update). Carries no personal data: no redacted copy. */
export const UserUpdateCertificateSchema = z.object({
    kind: z.literal('user_update'),
    ...common,
    userId: UserIdSchema,
    newProfile: UserProfileSchema
}).strict();
export type UserUpdateCertificate = z.infer<typeof UserUpdateCertificateSchema>;

/** The user and every device of theirs lose access, for good. Carries no personal data. */
export const RevokedUserCertificateSchema = z.object({
    kind: z.literal('revoked_user'),
    ...common,
    userId: UserIdSchema
}).strict();
export type RevokedUserCertificate = z.infer<typeof RevokedUserCertificateSchema>;

/** Most trust anchors an organization pins for PKI join requests. */
export const MAX_PINNED_ANCHORS = 32;

/**
 * The trust anchors the organization accepts for PKI join requests, pinned by an Administrator:
 * SHA-256 fingerprints of each anchor certificate's DER (what `openssl x509 -fingerprint -sha256`
 * shows), sorted. The newest one replaces the ones before. Carries no personal data.
 */
export const PkiAnchorsCertificateSchema = z.object({
    kind: z.literal('pki_anchors'),
    ...common,
    anchors: z.array(base64UrlBytes(32, 'An anchor fingerprint')).min(1).max(MAX_PINNED_ANCHORS)
}).strict();
export type PkiAnchorsCertificate = z.infer<typeof PkiAnchorsCertificateSchema>;

/** A workspace: 128 random bits in hex, made by its creator's client. */
export const WorkspaceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not a workspace id');
export type WorkspaceId = z.infer<typeof WorkspaceIdSchema>;

export const WORKSPACE_ROLES = ['OWNER', 'MANAGER', 'CONTRIBUTOR', 'READER'] as const;
export const WorkspaceRoleSchema = z.enum(WORKSPACE_ROLES);
export type WorkspaceRole = z.infer<typeof WorkspaceRoleSchema>;

/**
 * A user's role in a workspace, or its removal (`role: null`), on the workspace's own topic of
 * the log. The first certificate of a workspace is its creator granting themself Owner.
 */
export const WorkspaceRoleCertificateSchema = z.object({
    kind: z.literal('workspace_role'),
    ...common,
    workspaceId: WorkspaceIdSchema,
    userId: UserIdSchema,
    role: WorkspaceRoleSchema.nullable()
}).strict();
export type WorkspaceRoleCertificate = z.infer<typeof WorkspaceRoleCertificateSchema>;

/**
 * A new key of a workspace (index 0 at creation, then one more at each rotation), signed by an
 * Owner. The key itself travels sealed to each member; `keyDigest` (keyed by the key) lets every
 * member check the key it received is the one the Owner certified, not one the server made.
 */
export const WorkspaceKeyCertificateSchema = z.object({
    kind: z.literal('workspace_key'),
    ...common,
    workspaceId: WorkspaceIdSchema,
    keyIndex: z.number().int().min(0).max(1_000_000),
    keyDigest: base64UrlBytes(32, 'A key digest')
}).strict();
export type WorkspaceKeyCertificate = z.infer<typeof WorkspaceKeyCertificateSchema>;

export const CertificateSchema = z.discriminatedUnion('kind', [
    UserCertificateSchema, DeviceCertificateSchema, UserUpdateCertificateSchema, RevokedUserCertificateSchema, PkiAnchorsCertificateSchema,
    WorkspaceRoleCertificateSchema, WorkspaceKeyCertificateSchema
]);
export type Certificate = z.infer<typeof CertificateSchema>;
export type CertificateKind = Certificate['kind'];

/**
 * A certificate as it travels and is stored: base64url of the 64-byte Ed25519 signature
 * followed by the canonical JSON of its content. Opaque everywhere but in the codec.
 */
export const SIGNED_CERTIFICATE_MAX_LENGTH = 4096;
export const SignedCertificateSchema = z.string().min(1).max(SIGNED_CERTIFICATE_MAX_LENGTH);
export type SignedCertificate = z.infer<typeof SignedCertificateSchema>;
