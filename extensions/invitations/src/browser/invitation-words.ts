import { nls } from '@theia/core';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { GreetingCancelReason, greetingCancelText, GreetingEndedError, GreetingRequestError, GreetingSide, MailDelivery } from '@vouch/protocol';

/** "1 user", "2 users". */
export function usersCount(count: number): string {
    return count === 1 ? nls.localize('vouch/invitations/oneUser', '1 user') : nls.localize('vouch/invitations/users', '{0} users', count);
}

/** "1 invitation", "2 invitations". */
export function invitationsCount(count: number): string {
    return count === 1 ? nls.localize('vouch/invitations/oneInvitation', '1 invitation') : nls.localize('vouch/invitations/invitations', '{0} invitations', count);
}

/**
 * Why an attempt ended, in the words of the workbench's language, told to `reader`: a side reads
 * about its own doing as "You …", and about the other side's as "The host …" / "The guest …".
 */
export function describeEnd(reason: GreetingCancelReason, by: GreetingSide | 'server', reader: GreetingSide): string {
    if (by === reader) {
        switch (reason) {
            case 'WRONG_CODE': return nls.localize('vouch/greeting/end/wrongCodeOwn', 'You picked a wrong code');
            case 'NONE_OF_THESE': return nls.localize('vouch/greeting/end/noneOwn', 'You did not find the code among the ones shown');
            case 'CANCELLED': return nls.localize('vouch/greeting/end/cancelledOwn', 'You cancelled the greeting');
            case 'CLOSED': return nls.localize('vouch/greeting/end/closedOwn', 'You closed the greeting');
            case 'LEFT': return nls.localize('vouch/greeting/end/leftOwn', 'This page lost the greeting: it was closed or offline for too long');
            case 'BAD_PAYLOAD': return nls.localize('vouch/greeting/end/badPayloadOwn', 'Data from the other side could not be read: the exchange was tampered with');
        }
    } else if (by === 'host') {
        switch (reason) {
            case 'WRONG_CODE': return nls.localize('vouch/greeting/end/wrongCodeHost', 'The host picked a wrong code');
            case 'NONE_OF_THESE': return nls.localize('vouch/greeting/end/noneHost', 'The host did not find your code among the ones shown');
            case 'CANCELLED': return nls.localize('vouch/greeting/end/cancelledHost', 'The host cancelled the greeting');
            case 'CLOSED': return nls.localize('vouch/greeting/end/closedHost', 'The host closed the greeting');
            case 'LEFT': return nls.localize('vouch/greeting/end/leftHost', 'The host left the greeting: their page was closed or lost its connection');
        }
    } else if (by === 'guest') {
        switch (reason) {
            case 'WRONG_CODE': return nls.localize('vouch/greeting/end/wrongCodeGuest', 'The guest picked a wrong code');
            case 'NONE_OF_THESE': return nls.localize('vouch/greeting/end/noneGuest', 'The guest did not find your code among the ones shown');
            case 'CANCELLED': return nls.localize('vouch/greeting/end/cancelledGuest', 'The guest cancelled the greeting');
            case 'CLOSED': return nls.localize('vouch/greeting/end/closedGuest', 'The guest closed the greeting');
            case 'LEFT': return nls.localize('vouch/greeting/end/leftGuest', 'The guest left the greeting: their page was closed or lost its connection');
        }
    }
    return nls.localize(`vouch/greeting/end/${reason}`, greetingCancelText(reason, by, reader));
}

/** What a failed greeting says to the side that runs into it. */
export function failureText(error: unknown, reader: GreetingSide): string {
    if (error instanceof GreetingEndedError) { return describeEnd(error.reason, error.by, reader); }
    if (error instanceof GreetingRequestError) { return describeApiError(error); }
    return error instanceof Error ? error.message : String(error);
}

/** Where the server's invitation emails go, as the Invitations view labels it. */
export function mailDeliveryLabel(mail: MailDelivery): string {
    switch (mail.kind) {
        case 'smtp': return nls.localize('vouch/invitations/mailSmtp', 'Invitation emails are sent by the server\'s mail server (SMTP).');
        case 'outbox': return nls.localize('vouch/invitations/mailOutbox',
            'No mail server is configured: invitation emails are only written to the folder {0} on the server. Copy each link and send it yourself.', mail.folder);
        case 'none': return nls.localize('vouch/invitations/mailNone', 'This server sends no email: copy each link and send it yourself.');
    }
}

/** After inviting: where the invitations went, and what the host does next. */
export function invitedText(emails: readonly string[], mail: MailDelivery): string {
    const who = emails.join(', ');
    switch (mail.kind) {
        case 'smtp': return nls.localize('vouch/invitations/invitedSent', 'Invited {0}: an email with the link is on its way to {1}.', usersCount(emails.length), who);
        case 'outbox': return nls.localize('vouch/invitations/invitedOutbox',
            'Invited {0}: {1}. No email left: it was written to the outbox folder {2}. Copy the link and send it yourself.', usersCount(emails.length), who, mail.folder);
        case 'none': return nls.localize('vouch/invitations/invitedNoMail', 'Invited {0}: {1}. No email left: copy the link and send it yourself.', usersCount(emails.length), who);
    }
}
