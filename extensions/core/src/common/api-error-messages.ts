import { nls } from '@theia/core/lib/common/nls';
import { API_ERROR_CODES, ApiErrorCode, AUTH_ERROR_CODES, AuthErrorCode } from '@vouch/protocol';

/**
 * Every refusal the organization server can answer, in the workbench's language. The
 * server's own text (English, precise: which rule, who may) is kept as the detail. Written
 * once here: a code added to the protocol without a text does not compile.
 */
const API_ERROR_TEXTS: Record<ApiErrorCode, () => string> = {
    BAD_PAYLOAD: () => nls.localize('vouch/error/badPayload', 'The organization server could not read the request.'),
    INTERNAL_ERROR: () => nls.localize('vouch/error/internal', 'The organization server could not answer.'),
    RATE_LIMITED: () => nls.localize('vouch/error/rateLimited', 'Too many requests at once: wait a moment and try again.'),
    NOT_ALLOWED: () => nls.localize('vouch/error/notAllowed', 'You may not do this.'),
    ORGANIZATION_NOT_FOUND: () => nls.localize('vouch/error/organizationNotFound', 'The server does not know this organization.'),
    ORGANIZATION_ALREADY_BOOTSTRAPPED: () => nls.localize('vouch/error/alreadyBootstrapped', 'This organization was already created by someone else.'),
    BOOTSTRAP_TOKEN_INVALID: () => nls.localize('vouch/error/bootstrapTokenInvalid', 'This bootstrap link is not valid (any more). Ask for a new one.'),
    JOIN_METHOD_UNAVAILABLE: () => nls.localize('vouch/error/joinMethodUnavailable', 'The organization does not accept this way of proving who you are.'),
    JOIN_PROOF_INVALID: () => nls.localize('vouch/error/joinProofInvalid', 'The proof of who you are was refused.'),
    JOIN_REQUEST_NOT_FOUND: () => nls.localize('vouch/error/joinRequestNotFound', 'This join request does not exist (any more).'),
    JOIN_REQUEST_ALREADY_DECIDED: () => nls.localize('vouch/error/joinRequestDecided', 'This join request was already decided.'),
    JOIN_REQUEST_ALREADY_PENDING: () => nls.localize('vouch/error/joinRequestPending', 'A join request for this email is already waiting.'),
    JOIN_REQUEST_EMAIL_TAKEN: () => nls.localize('vouch/error/joinRequestEmailTaken', 'A member of the organization already has this email.'),
    JOIN_REQUEST_MISMATCH: () => nls.localize('vouch/error/joinRequestMismatch', 'The certificates do not match the join request.'),
    INVITATION_NOT_FOUND: () => nls.localize('vouch/error/invitationNotFound', 'This invitation does not exist (any more).'),
    INVITATION_NO_LONGER_VALID: () => nls.localize('vouch/error/invitationNoLongerValid', 'This invitation is no longer valid.'),
    INVITATION_EMAIL_TAKEN: () => nls.localize('vouch/error/invitationEmailTaken', 'A member of the organization already has this email.'),
    GREETING_ATTEMPT_NOT_FOUND: () => nls.localize('vouch/error/greetingNotFound', 'This greeting does not exist (any more).'),
    GREETING_ATTEMPT_ENDED: () => nls.localize('vouch/error/greetingEnded', 'This greeting has ended.'),
    GREETING_STEP_TOO_EARLY: () => nls.localize('vouch/error/greetingTooEarly', 'The other side has not reached this step yet.'),
    GREETING_STEP_NOT_YOURS: () => nls.localize('vouch/error/greetingNotYours', 'This step of the greeting belongs to the other side.'),
    GREETING_STEP_PAYLOAD_CHANGED: () => nls.localize('vouch/error/greetingChanged', 'This step of the greeting was already sent with other content.'),
    GREETING_COMMITMENT_MISMATCH: () => nls.localize('vouch/error/greetingCommitment', 'The guest\'s answer does not match what it committed to: the greeting is not safe.'),
    WORKSPACE_NOT_FOUND: () => nls.localize('vouch/error/workspaceNotFound', 'This workspace does not exist, or is not shared with you (any more).'),
    WORKSPACE_MANIFEST_CONFLICT: () => nls.localize('vouch/error/workspaceConflict', 'Someone else changed this entry of the workspace first.'),
    WORKSPACE_STALE_KEY: () => nls.localize('vouch/error/workspaceStaleKey', 'The workspace was re-encrypted meanwhile: try again.'),
    WORKSPACE_BLOCK_NOT_FOUND: () => nls.localize('vouch/error/workspaceBlockNotFound', 'Part of this file is missing on the server.'),
    WORKSPACE_REENCRYPTING: () => nls.localize('vouch/error/workspaceReencrypting', 'Re-encryption in progress: changes are kept and sync when it ends.'),
    REENCRYPTION_NOT_NEEDED: () => nls.localize('vouch/error/reencryptionNotNeeded', 'This workspace does not need re-encryption.'),
    REENCRYPTION_RUNNING: () => nls.localize('vouch/error/reencryptionRunning', 'Another Owner is re-encrypting this workspace.'),
    REENCRYPTION_NOT_RUNNING: () => nls.localize('vouch/error/reencryptionNotRunning', 'This re-encryption was taken over or ended: start it again to resume.'),
    REENCRYPTION_RECIPIENTS_MISMATCH: () => nls.localize('vouch/error/reencryptionRecipients', 'The new key must go to exactly the workspace\'s remaining members.'),
    REENCRYPTION_STALE_BATCH: () => nls.localize('vouch/error/reencryptionStaleBatch', 'Part of the workspace changed during re-encryption: it is read again.'),
    REENCRYPTION_INCOMPLETE: () => nls.localize('vouch/error/reencryptionIncomplete', 'Some of the workspace is not re-encrypted yet.'),
    CERTIFICATE_MALFORMED: () => nls.localize('vouch/error/certificateMalformed', 'A certificate could not be read.'),
    CERTIFICATE_BAD_SIGNATURE: () => nls.localize('vouch/error/certificateBadSignature', 'A certificate\'s signature does not check out.'),
    CERTIFICATE_UNKNOWN_AUTHOR: () => nls.localize('vouch/error/certificateUnknownAuthor', 'A certificate was signed by a device the organization does not know.'),
    CERTIFICATE_AUTHOR_REVOKED: () => nls.localize('vouch/error/certificateAuthorRevoked', 'A certificate was signed by a revoked user.'),
    CERTIFICATE_AUTHOR_NOT_ALLOWED: () => nls.localize('vouch/error/certificateAuthorNotAllowed', 'Your profile may not sign this change.'),
    CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK: () => nls.localize('vouch/error/clock', 'The clock of this computer is too far from the server\'s.'),
    CERTIFICATE_REQUIRE_GREATER_TIMESTAMP: () => nls.localize('vouch/error/laterTimestamp', 'Someone changed the organization at the same moment: try again.'),
    CERTIFICATE_LOG_HEAD_MOVED: () => nls.localize('vouch/error/logHeadMoved', 'The organization changed while you were signing: try again.'),
    CERTIFICATE_LOG_TAMPERED: () => nls.localize('vouch/error/logTampered', 'The server served a log of certificates that does not continue the one this device verified: it was cut, reordered or rewritten.'),
    CERTIFICATE_INCONSISTENT: () => nls.localize('vouch/error/certificateInconsistent', 'The change contradicts the organization\'s certificates.'),
    CERTIFICATE_ALREADY_EXISTS: () => nls.localize('vouch/error/certificateExists', 'This change was already made.')
};

/** Why the server refused this device at connection. */
const AUTH_ERROR_TEXTS: Record<AuthErrorCode, () => string> = {
    AUTH_BAD_PAYLOAD: () => nls.localize('vouch/status/badHandshake', 'The server could not read this device\'s proof.'),
    AUTH_ORGANIZATION_NOT_FOUND: () => nls.localize('vouch/status/orgNotFound', 'The server does not know this organization.'),
    AUTH_UNKNOWN_DEVICE: () => nls.localize('vouch/status/unknownDevice', 'The server does not know this device.'),
    AUTH_BAD_SIGNATURE: () => nls.localize('vouch/status/badSignature', 'The server did not accept this device\'s signature.'),
    AUTH_CHALLENGE_INVALID: () => nls.localize('vouch/status/challengeInvalid', 'The server did not accept the challenge this device answered.'),
    AUTH_CHALLENGE_EXPIRED: () => nls.localize('vouch/status/challengeExpired', 'This device answered the server\'s challenge too late.'),
    AUTH_CHALLENGE_REPLAYED: () => nls.localize('vouch/status/challengeReplayed', 'This device\'s answer to the server\'s challenge was used already.'),
    AUTH_USER_REVOKED: () => nls.localize('vouch/status/revoked', 'Your user was revoked from this organization.')
};

export interface RefusalText {
    /** What happened, in the workbench's language. */
    readonly summary: string;
    /** The server's own words, for whoever needs the precise rule. */
    readonly detail: string;
}

function isApiErrorCode(code: string): code is ApiErrorCode {
    return (API_ERROR_CODES as readonly string[]).includes(code);
}

function isAuthErrorCode(code: string): code is AuthErrorCode {
    return (AUTH_ERROR_CODES as readonly string[]).includes(code);
}

/** A refusal (a reply's error, a handshake refusal, a greeting request's failure) as a summary and the server's detail. */
export function describeRefusalParts(error: { readonly code: string; readonly message: string }): RefusalText {
    const text = isApiErrorCode(error.code) ? API_ERROR_TEXTS[error.code] : isAuthErrorCode(error.code) ? AUTH_ERROR_TEXTS[error.code] : undefined;
    return {
        summary: text ? text() : nls.localize('vouch/error/unknown', 'The organization server refused.'),
        detail: error.message
    };
}

/** A refusal in one line: the summary, then the server's words. */
export function describeApiError(error: { readonly code: string; readonly message: string }): string {
    const { summary, detail } = describeRefusalParts(error);
    return detail && detail !== summary ? nls.localize('vouch/error/withDetail', '{0} ({1})', summary, detail) : summary;
}
