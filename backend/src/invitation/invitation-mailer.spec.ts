import { expect } from 'chai';
import { ConfigError, loadServerConfig } from '../config';
import { composeInvitationMail } from './invitation-mailer';

describe('invitation emails', () => {
    const host = { email: 'alice@example.com', label: 'Alice <Admin>' };
    const link = 'http://127.0.0.1:3000/?vouch-action=claim&vouch-org=Acme&vouch-token=abc&x=<y>';

    it('names the host and the organization in the subject, replies to the host, and says what to do next', () => {
        const mail = composeInvitationMail('USER', 'bob@example.com', host, 'Acme', link);
        expect(mail.subject).to.equal('Alice <Admin> invites you to join Acme on Vouch');
        expect(mail.replyTo).to.deep.equal(host);
        expect(mail.text).to.include(link);
        expect(mail.text).to.match(/1\. Open the link/);
        expect(mail.text).to.match(/4-character code/);
        // HTML escapes what people typed.
        expect(mail.html).to.include('Alice &lt;Admin&gt;');
        expect(mail.html).to.not.include('<Admin>');
        expect(mail.html).to.include('x=&lt;y&gt;');
    });

    it('words a device invitation for the user themselves', () => {
        const mail = composeInvitationMail('DEVICE', 'alice@example.com', host, 'Acme', link);
        expect(mail.subject).to.equal('Add a new device to your Acme account on Vouch');
    });

    it('reads VOUCH_SMTP_URL and VOUCH_MAIL_FROM, and refuses what is not smtp(s)://', () => {
        const config = loadServerConfig({ VOUCH_SMTP_URL: 'smtp://user:pw@mail.example.com:587', VOUCH_MAIL_FROM: 'Acme <no-reply@acme.example>' });
        expect(config.smtpUrl).to.equal('smtp://user:pw@mail.example.com:587');
        expect(config.mailFrom).to.equal('Acme <no-reply@acme.example>');
        expect(loadServerConfig({}).smtpUrl).to.equal(undefined);
        expect(loadServerConfig({}).mailFrom).to.equal('Vouch <no-reply@localhost>');
        expect(() => loadServerConfig({ VOUCH_SMTP_URL: 'http://mail.example.com' })).to.throw(ConfigError, /VOUCH_SMTP_URL/);
    });
});
