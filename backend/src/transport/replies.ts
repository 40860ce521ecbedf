import { ApiError, logHeadDetails, Outcome, Reply } from '@vouch/protocol';
import { GreetingError, InvitationError } from '../invitation/invitation-types';
import { JoinRequestError } from '../join-requests/join-requests-types';
import { AddUserError, BootstrapError, OrganizationStatusError } from '../organization/organization-types';
import { UserChangeError } from '../users/user-changes-types';
import { WorkspaceError } from '../workspaces/workspaces-types';
import { ReencryptionError } from '../workspaces/reencryption-types';

/** Every refusal a domain service returns. */
export type DomainError = BootstrapError | OrganizationStatusError | AddUserError | UserChangeError | InvitationError | GreetingError | JoinRequestError | WorkspaceError | ReencryptionError;
export type DomainErrorCode = DomainError['code'];

type Details = ApiError['details'];
const none = (): Details => undefined;
/** A writer that lost the race for the certificate log signs again after the head the reply names. */
const logPosition = (error: DomainError): Details => 'head' in error && error.head !== undefined ? logHeadDetails(error.head) : undefined;

/**
 * The one mapping from domain outcomes to wire replies: each code a domain can return, and
 * what its reply carries besides the code and the message. A code missing here, or one the
 * API does not declare, does not compile.
 */
const REPLY_DETAILS: { readonly [C in DomainErrorCode]: (error: Extract<DomainError, { code: C }> | DomainError) => Details } = {
    NOT_ALLOWED: none,
    BAD_PAYLOAD: none,
    ORGANIZATION_NOT_FOUND: none,
    ORGANIZATION_ALREADY_BOOTSTRAPPED: none,
    BOOTSTRAP_TOKEN_INVALID: none,
    INVITATION_NOT_FOUND: none,
    INVITATION_NO_LONGER_VALID: none,
    GREETING_ATTEMPT_NOT_FOUND: none,
    GREETING_ATTEMPT_ENDED: none,
    GREETING_STEP_TOO_EARLY: none,
    GREETING_STEP_NOT_YOURS: none,
    GREETING_STEP_PAYLOAD_CHANGED: none,
    GREETING_COMMITMENT_MISMATCH: none,
    JOIN_METHOD_UNAVAILABLE: none,
    JOIN_PROOF_INVALID: none,
    JOIN_REQUEST_NOT_FOUND: none,
    JOIN_REQUEST_ALREADY_DECIDED: none,
    JOIN_REQUEST_ALREADY_PENDING: none,
    JOIN_REQUEST_EMAIL_TAKEN: none,
    JOIN_REQUEST_MISMATCH: none,
    CERTIFICATE_MALFORMED: none,
    CERTIFICATE_BAD_SIGNATURE: none,
    CERTIFICATE_UNKNOWN_AUTHOR: none,
    CERTIFICATE_AUTHOR_REVOKED: none,
    CERTIFICATE_AUTHOR_NOT_ALLOWED: none,
    CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK: none,
    CERTIFICATE_INCONSISTENT: none,
    CERTIFICATE_ALREADY_EXISTS: none,
    CERTIFICATE_REQUIRE_GREATER_TIMESTAMP: logPosition,
    CERTIFICATE_LOG_HEAD_MOVED: logPosition,
    // Only clients replaying a log meet it; the server never stores such a log.
    CERTIFICATE_LOG_TAMPERED: none,
    WORKSPACE_NOT_FOUND: none,
    WORKSPACE_BLOCK_NOT_FOUND: none,
    // The writer fetches that entry again and merges, or keeps its version as a conflict copy.
    WORKSPACE_MANIFEST_CONFLICT: error => 'version' in error ? { entryId: error.entryId, version: error.version } : undefined,
    // The writer refreshes its key list and seals again.
    WORKSPACE_STALE_KEY: error => 'keyIndex' in error ? { keyIndex: error.keyIndex } : undefined,
    // The writer keeps its edits and syncs them when the run ends (workspace.maintenance).
    WORKSPACE_REENCRYPTING: error => 'keyIndex' in error ? { keyIndex: error.keyIndex } : undefined,
    REENCRYPTION_NOT_NEEDED: none,
    // The caller waits (showing the runner's progress) or takes over once the lease has passed.
    REENCRYPTION_RUNNING: error => 'leaseUntil' in error ? { runnerUserId: error.runnerUserId, leaseUntil: new Date(error.leaseUntil).toISOString(), done: error.done, total: error.total } : undefined,
    REENCRYPTION_NOT_RUNNING: none,
    REENCRYPTION_RECIPIENTS_MISMATCH: error => 'missing' in error ? { missing: error.missing.join(','), unexpected: error.unexpected.join(',') } : undefined,
    // The runner reads that part again and re-seals it.
    REENCRYPTION_STALE_BATCH: error => 'entryId' in error ? { entryId: error.entryId } : undefined,
    REENCRYPTION_INCOMPLETE: error => 'remaining' in error ? { remaining: error.remaining } : undefined
};

export function wireError(error: DomainError): ApiError {
    const details = REPLY_DETAILS[error.code](error);
    return details === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, details };
}

/** A domain outcome as the client receives it. */
export function reply<T>(outcome: Outcome<T, DomainError>): Reply<T> {
    return outcome.ok ? outcome : { ok: false, error: wireError(outcome.error) };
}

/** A value that cannot be refused. */
export function value<T>(result: T): Reply<T> {
    return { ok: true, value: result };
}
