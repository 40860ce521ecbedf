export const CERTIFICATE_ERROR_CODES = [
    'CERTIFICATE_MALFORMED',
    'CERTIFICATE_BAD_SIGNATURE',
    'CERTIFICATE_UNKNOWN_AUTHOR',
    'CERTIFICATE_AUTHOR_REVOKED',
    'CERTIFICATE_AUTHOR_NOT_ALLOWED',
    'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK',
    'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP',
    'CERTIFICATE_LOG_HEAD_MOVED',
    'CERTIFICATE_LOG_TAMPERED',
    'CERTIFICATE_INCONSISTENT',
    'CERTIFICATE_ALREADY_EXISTS'
] as const;
export type CertificateErrorCode = typeof CERTIFICATE_ERROR_CODES[number];

export interface CertificateError {
    readonly code: CertificateErrorCode;
    readonly message: string;
    /**
     * With CERTIFICATE_REQUIRE_GREATER_TIMESTAMP and CERTIFICATE_LOG_HEAD_MOVED: where the
     * topic's log stands, so the author signs again after it.
     */
    readonly head?: LogHeadPosition;
}

/** The newest certificate of a topic, as a writer must chain to it. */
export interface LogHeadPosition {
    /** Chain digest of the newest certificate; null while the topic is empty. */
    readonly digest: string | null;
    /** Its timestamp: a new certificate must be dated strictly later. */
    readonly timestamp: number | undefined;
}

export function certificateError(code: CertificateErrorCode, message: string, head?: LogHeadPosition): CertificateError {
    return head === undefined ? { code, message } : { code, message, head };
}
