import { CERTIFICATE_ERROR_CODES } from '../certificates/certificate-errors';

/** Every error a reply can carry. Declared once, here; the server maps outcomes onto them. */
export const API_ERROR_CODES = [
    'BAD_PAYLOAD',
    'INTERNAL_ERROR',
    'RATE_LIMITED',
    'NOT_ALLOWED',
    'ORGANIZATION_NOT_FOUND',
    'ORGANIZATION_ALREADY_BOOTSTRAPPED',
    'BOOTSTRAP_TOKEN_INVALID',
    'JOIN_METHOD_UNAVAILABLE',
    'JOIN_PROOF_INVALID',
    'JOIN_REQUEST_NOT_FOUND',
    'JOIN_REQUEST_ALREADY_DECIDED',
    'JOIN_REQUEST_ALREADY_PENDING',
    'JOIN_REQUEST_EMAIL_TAKEN',
    'JOIN_REQUEST_MISMATCH',
    'INVITATION_NOT_FOUND',
    'INVITATION_NO_LONGER_VALID',
    'INVITATION_EMAIL_TAKEN',
    'GREETING_ATTEMPT_NOT_FOUND',
    'GREETING_ATTEMPT_ENDED',
    'GREETING_STEP_TOO_EARLY',
    'GREETING_STEP_NOT_YOURS',
    'GREETING_STEP_PAYLOAD_CHANGED',
    'GREETING_COMMITMENT_MISMATCH',
    'WORKSPACE_NOT_FOUND',
    'WORKSPACE_MANIFEST_CONFLICT',
    'WORKSPACE_STALE_KEY',
    'WORKSPACE_BLOCK_NOT_FOUND',
    'WORKSPACE_REENCRYPTING',
    'REENCRYPTION_NOT_NEEDED',
    'REENCRYPTION_RUNNING',
    'REENCRYPTION_NOT_RUNNING',
    'REENCRYPTION_RECIPIENTS_MISMATCH',
    'REENCRYPTION_STALE_BATCH',
    'REENCRYPTION_INCOMPLETE',
    ...CERTIFICATE_ERROR_CODES
] as const;
export type ApiErrorCode = typeof API_ERROR_CODES[number];

export interface ApiError {
    readonly code: ApiErrorCode;
    readonly message: string;
    /** Machine-readable extras, e.g. `strictlyGreaterThan` for a timestamp to exceed. */
    readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export type Reply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** Why the authenticated namespace refused a connection; carried in `connect_error`'s `data`. */
export const AUTH_ERROR_CODES = [
    'AUTH_BAD_PAYLOAD',
    'AUTH_ORGANIZATION_NOT_FOUND',
    'AUTH_UNKNOWN_DEVICE',
    'AUTH_BAD_SIGNATURE',
    'AUTH_CHALLENGE_INVALID',
    'AUTH_CHALLENGE_EXPIRED',
    'AUTH_CHALLENGE_REPLAYED',
    'AUTH_USER_REVOKED'
] as const;
export type AuthErrorCode = typeof AUTH_ERROR_CODES[number];

export interface AuthErrorData {
    readonly code: AuthErrorCode;
    readonly message: string;
}

export function isAuthErrorData(value: unknown): value is AuthErrorData {
    return typeof value === 'object' && value !== null && (AUTH_ERROR_CODES as readonly unknown[]).includes((value as AuthErrorData).code);
}
