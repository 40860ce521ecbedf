import { nls } from '@theia/core';
import { AuthErrorData } from '@vouch/protocol';
import { BootstrapFailure, UnlockFailure } from './vouch-session';

/** Outcomes in words a person can act on. */
export function describeBootstrapFailure(failure: BootstrapFailure): string {
    switch (failure.kind) {
        case 'invalid-form':
            return failure.problems[0]?.message ?? nls.localize('vouch/bootstrap/invalid', 'Check the form');
        case 'already-has-device':
            return nls.localize('vouch/bootstrap/alreadyHasDevice', 'This browser already holds a device of an organization.');
        case 'server':
            switch (failure.code) {
                case 'ORGANIZATION_ALREADY_BOOTSTRAPPED':
                    return nls.localize('vouch/bootstrap/alreadyBootstrapped', 'This organization was already created by someone else.');
                case 'BOOTSTRAP_TOKEN_INVALID':
                    return nls.localize('vouch/bootstrap/tokenInvalid', 'This bootstrap link is not valid (any more). Ask for a new one.');
                case 'ORGANIZATION_NOT_FOUND':
                    return nls.localize('vouch/bootstrap/notFound', 'The server does not know this organization.');
                case 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK':
                    return nls.localize('vouch/bootstrap/clock', 'The clock of this computer is too far from the server\'s: {0}', failure.message);
                default:
                    return nls.localize('vouch/bootstrap/serverRefused', 'The server refused: {0}', failure.message);
            }
    }
}

export function describeUnlockFailure(failure: UnlockFailure): string {
    switch (failure) {
        case 'WRONG_PASSWORD': return nls.localize('vouch/unlock/wrongPassword', 'Wrong password');
        case 'MALFORMED': return nls.localize('vouch/unlock/malformed', 'The device stored in this browser cannot be read.');
        case 'NO_DEVICE': return nls.localize('vouch/unlock/noDevice', 'This browser holds no device.');
    }
}

export function describeRefusal(refusal: AuthErrorData): string {
    switch (refusal.code) {
        case 'AUTH_USER_REVOKED':
            return nls.localize('vouch/status/revoked', 'Your user was revoked from this organization.');
        case 'AUTH_UNKNOWN_DEVICE':
            return nls.localize('vouch/status/unknownDevice', 'The server does not know this device.');
        case 'AUTH_ORGANIZATION_NOT_FOUND':
            return nls.localize('vouch/status/orgNotFound', 'The server does not know this organization.');
        default:
            return nls.localize('vouch/status/refusedBecause', 'The server refused this device: {0}', refusal.message);
    }
}
