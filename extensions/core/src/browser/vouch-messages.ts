import { nls } from '@theia/core';
import { AuthErrorData } from '@vouch/protocol';
import { describeApiError } from '../common/api-error-messages';
import { describeBootstrapProblems } from '../common/bootstrap-form';
import { BootstrapFailure, UnlockFailure } from './vouch-session';

/** Outcomes in words a person can act on. */
export function describeBootstrapFailure(failure: BootstrapFailure): string {
    switch (failure.kind) {
        case 'invalid-form':
            return describeBootstrapProblems(failure.problems);
        case 'already-has-device':
            return nls.localize('vouch/bootstrap/alreadyHasDevice', 'This browser already holds a device of an organization.');
        case 'server':
            return describeApiError(failure);
    }
}

export function describeUnlockFailure(failure: UnlockFailure): string {
    switch (failure) {
        case 'WRONG_PASSWORD': return nls.localize('vouch/unlock/wrongPassword', 'Wrong password');
        case 'MALFORMED': return nls.localize('vouch/unlock/malformed', 'The device stored in this browser cannot be read.');
        case 'NO_DEVICE': return nls.localize('vouch/unlock/noDevice', 'This browser holds no device.');
    }
}

/** Why the server refused this device at connection, with its own words as detail. */
export function describeRefusal(refusal: AuthErrorData): string {
    return describeApiError(refusal);
}
