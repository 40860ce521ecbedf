export const CERTIFICATE_ERROR_CODES = [
    'CERTIFICATE_MALFORMED',
    'CERTIFICATE_BAD_SIGNATURE',
    'CERTIFICATE_UNKNOWN_AUTHOR',
    'CERTIFICATE_AUTHOR_REVOKED',
    'CERTIFICATE_AUTHOR_NOT_ALLOWED',
    'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK',
    'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP',
    'CERTIFICATE_INCONSISTENT',
    'CERTIFICATE_ALREADY_EXISTS'
] as const;
export type CertificateErrorCode = typeof CERTIFICATE_ERROR_CODES[number];

export interface CertificateError {
    readonly code: CertificateErrorCode;
    readonly message: string;
    /** With CERTIFICATE_REQUIRE_GREATER_TIMESTAMP: the timestamp to exceed. */
    readonly strictlyGreaterThan?: number;
}

export function certificateError(code: CertificateErrorCode, message: string, strictlyGreaterThan?: number): CertificateError {
    return strictlyGreaterThan === undefined ? { code, message } : { code, message, strictlyGreaterThan };
}
