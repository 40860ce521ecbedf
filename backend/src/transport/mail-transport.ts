import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import * as nodemailer from 'nodemailer';
import { ServerLogger } from '../common/server-logger';
import { InvitationMail, InvitationMailer } from '../invitation/invitation-mailer';

export interface MailTransportOptions {
    /** `smtp://user:pass@host:port` or `smtps://…`; unset: messages go to `<dataDir>/outbox/`. */
    readonly smtpUrl?: string;
    /** The From header, e.g. `Vouch <no-reply@example.com>`. */
    readonly from: string;
    readonly dataDir: string;
    readonly logger: ServerLogger;
}

function message(mail: InvitationMail, from: string): nodemailer.SendMailOptions {
    return {
        from, to: mail.to, replyTo: { name: mail.replyTo.label, address: mail.replyTo.email },
        subject: mail.subject, text: mail.text, html: mail.html
    };
}

/** SMTP through nodemailer when configured; otherwise each message is a `.eml` file a mail client opens, and its link is logged. */
export function createMailTransport(options: MailTransportOptions): InvitationMailer & { close(): void } {
    if (options.smtpUrl) {
        const transport = nodemailer.createTransport(options.smtpUrl);
        return {
            delivery: { kind: 'smtp' },
            async send(mail) {
                await transport.sendMail(message(mail, options.from));
            },
            close: () => transport.close()
        };
    }
    const outbox = path.join(options.dataDir, 'outbox');
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    return {
        delivery: { kind: 'outbox', folder: path.resolve(outbox) },
        async send(mail) {
            const info = await composer.sendMail(message(mail, options.from));
            await fs.promises.mkdir(outbox, { recursive: true });
            const file = path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`);
            await fs.promises.writeFile(file, info.message as Buffer);
            options.logger.info(`Invitation email to ${mail.to} written to ${file}; its link: ${mail.link}`);
        },
        close: () => undefined
    };
}
