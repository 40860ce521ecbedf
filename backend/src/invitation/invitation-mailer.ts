import { HumanHandle, InvitationKind, MailDelivery, OrganizationId } from '@vouch/protocol';

/** A message ready to leave: the transport (SMTP, or an outbox folder) only delivers it. */
export interface InvitationMail {
    readonly to: string;
    readonly replyTo: HumanHandle;
    readonly subject: string;
    readonly text: string;
    readonly html: string;
    /** For the log of an outbox delivery. */
    readonly link: string;
}

/** Delivers or throws; the service reports a failure and keeps the invitation. */
export interface InvitationMailer {
    /** Where the messages go, as the host is told: an SMTP server, or a folder nobody reads. */
    readonly delivery: MailDelivery;
    send(mail: InvitationMail): Promise<void>;
    close?(): void;
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' }[c]!));
}

/** Subject naming the host and the organization, Reply-To the host, the link and what to do next. */
export function composeInvitationMail(kind: InvitationKind, to: string, host: HumanHandle, organizationId: OrganizationId, link: string): InvitationMail {
    const subject = kind === 'USER'
        ? `${host.label} invites you to join ${organizationId} on Vouch`
        : `Add a new device to your ${organizationId} account on Vouch`;
    const steps = [
        'Open the link below in your browser. The Vouch workbench opens and waits for someone to greet you.',
        kind === 'USER'
            ? `Call or meet ${host.label} (or another Administrator of ${organizationId}): they click Greet.`
            : 'On a device where you are already signed in, click Greet on this invitation.',
        'Each of you reads a 4-character code aloud and picks the other\'s code on screen.',
        kind === 'USER' ? 'Enter your name, a name for this device and a password: you are in.' : 'Name this device and choose a password: you are in.'
    ];
    const intro = kind === 'USER'
        ? `${host.label} <${host.email}> invited you to join the organization ${organizationId}.`
        : `${host.label}, you asked to add a new device to your account in ${organizationId}.`;
    const text = `${intro}\n\n${steps.map((step, i) => `${i + 1}. ${step}`).join('\n')}\n\n${link}\n\n` +
        'The codes make sure nobody stands between you: never pick a code you did not hear from the other person.\n' +
        'If you did not expect this invitation, ignore this message.\n';
    const html = `<!doctype html><html><body><p>${escapeHtml(intro)}</p><ol>${steps.map(step => `<li>${escapeHtml(step)}</li>`).join('')}</ol>` +
        `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` +
        '<p>The codes make sure nobody stands between you: never pick a code you did not hear from the other person.</p>' +
        '<p>If you did not expect this invitation, ignore this message.</p></body></html>';
    return { to, replyTo: host, subject, text, html, link };
}
