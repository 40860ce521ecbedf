import { z } from 'zod';
import { base64UrlBytes, PublicKeySchema, SignedCertificateSchema, VerifyKeySchema } from '../certificates/certificate-types';
import { fromBase64Url } from '../encoding';
import { DeviceIdSchema, DeviceLabelSchema, HumanHandleSchema, OrganizationIdSchema, UserIdSchema, UserProfileSchema } from '../identity';

/**
 * The steps of a greeting, each posted by one side in order (DESIGN.md "Greeting (SAS)"):
 * 0 both: ephemeral public key · 1 guest: commitment to its nonce · 2 host: nonce ·
 * 3 guest: nonce · 4 guest: picked the host's code · 5 host: picked the guest's code ·
 * 6 guest: details, encrypted · 7 host: certificates and organization data, encrypted ·
 * 8 guest: acknowledgment.
 */
export type GreetingSide = 'host' | 'guest';
export const GREETING_SIDES: readonly GreetingSide[] = ['host', 'guest'];

export const GreetingStep = {
    PUBLIC_KEYS: 0,
    GUEST_COMMITMENT: 1,
    HOST_NONCE: 2,
    GUEST_NONCE: 3,
    GUEST_PICKED: 4,
    HOST_PICKED: 5,
    GUEST_DETAILS: 6,
    HOST_CONFIRMATION: 7,
    GUEST_ACK: 8
} as const;
export const GREETING_LAST_STEP = 8;

/** Who posts each step. */
export const GREETING_STEP_AUTHORS: readonly (readonly GreetingSide[])[] = [
    ['host', 'guest'], ['guest'], ['host'], ['guest'], ['guest'], ['host'], ['guest'], ['host'], ['guest']
];

/** A step without content says only "done" (a code was picked, the enrolment acknowledged). */
export const STEP_DONE = 'ok';
const MAX_BOX = 16 * 1024;
const key32 = base64UrlBytes(32, 'A step payload');
const box = z.string().min(1).max(MAX_BOX).refine(text => fromBase64Url(text) !== undefined, 'An encrypted step payload must be base64url');

/** What each step's payload looks like on the wire (the server checks this much). */
export const GREETING_STEP_PAYLOADS: readonly z.ZodType<string>[] = [
    key32, key32, key32, key32, z.literal(STEP_DONE), z.literal(STEP_DONE), box, box, z.literal(STEP_DONE)
];

export function isAuthorOf(side: GreetingSide, step: number): boolean {
    return GREETING_STEP_AUTHORS[step]?.includes(side) ?? false;
}

export const GreetingStepNumberSchema = z.number().int().min(0).max(GREETING_LAST_STEP);

/**
 * Why an attempt ended before its last step; each side is told in words (greetingCancelText).
 * `LEFT`: the side's page closed, or its connection stayed away longer than the server's grace
 * period; `EXPIRED`: nothing happened for the attempt's lifetime (both ended by the server).
 */
export const GREETING_CANCEL_REASONS = [
    'WRONG_CODE', 'NONE_OF_THESE', 'CANCELLED', 'CLOSED', 'LEFT', 'EXPIRED', 'REPLACED', 'COMMITMENT_MISMATCH', 'BAD_PAYLOAD', 'INVITATION_CANCELLED',
    'INVITATION_COMPLETED'
] as const;
export const GreetingCancelReasonSchema = z.enum(GREETING_CANCEL_REASONS);
export type GreetingCancelReason = z.infer<typeof GreetingCancelReasonSchema>;

/**
 * "The guest picked a wrong code": the default English of a cancellation, for logs and non-Theia
 * clients. Told to `reader`, a side reads about its own doing in its own words ("You picked a
 * wrong code"), never about "the guest" when it is the guest.
 */
export function greetingCancelText(reason: GreetingCancelReason, by: GreetingSide | 'server', reader?: GreetingSide): string {
    const own = reader !== undefined && by === reader;
    const who = own ? 'You' : by === 'host' ? 'The host' : by === 'guest' ? 'The guest' : 'The server';
    switch (reason) {
        case 'WRONG_CODE': return `${who} picked a wrong code`;
        case 'NONE_OF_THESE': return `${who} did not find the code among the ones shown`;
        case 'CANCELLED': return `${who} cancelled the greeting`;
        case 'CLOSED': return `${who} closed the greeting`;
        case 'LEFT': return own
            ? 'This page lost the greeting: it was closed or offline for too long'
            : `${who} left the greeting: their page was closed or lost its connection`;
        case 'EXPIRED': return 'The greeting expired: nothing happened for too long';
        case 'REPLACED': return 'Another greeting of this invitation started and replaced this one';
        case 'COMMITMENT_MISMATCH': return 'The guest\'s nonce does not match its commitment: the exchange was tampered with';
        case 'BAD_PAYLOAD': return own
            ? 'Data from the other side could not be read: the exchange was tampered with'
            : `${who} received data it could not read: the exchange was tampered with`;
        case 'INVITATION_CANCELLED': return 'The invitation was cancelled';
        case 'INVITATION_COMPLETED': return 'The invitation was already used';
    }
}

// ---- encrypted payloads (steps 6 and 7) ------------------------------------------------

/** Step 6 of a user invitation: who the guest says they are, and the public halves of its new keys. */
export const GuestUserDetailsSchema = z.object({
    kind: z.literal('user'),
    humanHandle: HumanHandleSchema,
    deviceLabel: DeviceLabelSchema,
    /** The new user's X25519 public key. */
    publicKey: PublicKeySchema,
    /** The new device's Ed25519 verify key. */
    verifyKey: VerifyKeySchema
}).strict();
export type GuestUserDetails = z.infer<typeof GuestUserDetailsSchema>;

/** Step 6 of a device invitation. */
export const GuestDeviceDetailsSchema = z.object({
    kind: z.literal('device'),
    deviceLabel: DeviceLabelSchema,
    verifyKey: VerifyKeySchema
}).strict();
export type GuestDeviceDetails = z.infer<typeof GuestDeviceDetailsSchema>;

export const GuestDetailsSchema = z.discriminatedUnion('kind', [GuestUserDetailsSchema, GuestDeviceDetailsSchema]);
export type GuestDetails = z.infer<typeof GuestDetailsSchema>;

const confirmationCommon = {
    organizationId: OrganizationIdSchema,
    rootVerifyKey: VerifyKeySchema,
    userId: UserIdSchema,
    deviceId: DeviceIdSchema,
    humanHandle: HumanHandleSchema,
    deviceLabel: DeviceLabelSchema,
    profile: UserProfileSchema,
    /** The new device's certificate as stored, so the guest checks it names its own key. */
    deviceCertificate: SignedCertificateSchema
};

/** Step 7 of a user invitation: what the new device keeps. */
export const HostUserConfirmationSchema = z.object({
    kind: z.literal('user'),
    ...confirmationCommon,
    userCertificate: SignedCertificateSchema
}).strict();
export type HostUserConfirmation = z.infer<typeof HostUserConfirmationSchema>;

/** Step 7 of a device invitation: devices of one user share the user's key, so it travels here. */
export const HostDeviceConfirmationSchema = z.object({
    kind: z.literal('device'),
    ...confirmationCommon,
    userPrivateKey: base64UrlBytes(32, 'A user private key')
}).strict();
export type HostDeviceConfirmation = z.infer<typeof HostDeviceConfirmationSchema>;

export const HostConfirmationSchema = z.discriminatedUnion('kind', [HostUserConfirmationSchema, HostDeviceConfirmationSchema]);
export type HostConfirmation = z.infer<typeof HostConfirmationSchema>;
