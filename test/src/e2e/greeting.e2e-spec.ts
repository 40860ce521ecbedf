import { expect } from 'chai';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { parseInvitationLink } from '@vouch/protocol';
import { RunningApp, startApp } from './support/app-process';
import { launchChromium } from './support/chromium';
import { takeScreenshot } from './support/screenshots';
import { GreetingDialog, InvitationsView, InviteUsersDialog, MailReceiver } from './support/greeting';
import { createOrganizationFromOffer, UsersView, Workbench } from './support/workbench';

/**
 * As a new user would: the Administrator invites two addresses from the palette; each email is
 * a real message whose link opens the workbench as a guest. Host and guest (two browser
 * contexts) read their codes on one page and pick them on the other; the first guest becomes a
 * working member. The second guest mis-picks, both sides are told why, and the next greeting of
 * the same invitation succeeds.
 */
describe('invite by email and greet with a SAS code exchange', function () {
    this.timeout(180_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'Alice laptop', password: 'correct horse battery' };
    let mail: MailReceiver;
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    let host: Workbench;
    const contexts: BrowserContext[] = [];

    async function guestPage(link: string): Promise<{ page: Page; workbench: Workbench }> {
        const context = await browser!.newContext();
        contexts.push(context);
        const page = await context.newPage();
        const workbench = new Workbench(page);
        await workbench.open(link);
        return { page, workbench };
    }

    async function linkFor(email: string): Promise<string> {
        const message = await mail.messageTo(email);
        expect(message.subject).to.equal('Alice Admin invites you to join MyOrganization on Vouch');
        expect(message.replyTo?.value).to.deep.equal([{ address: admin.email, name: admin.name }]);
        const link = /https?:\/\/\S+vouch-action=claim\S+/.exec(message.text ?? '')![0];
        expect(parseInvitationLink(link)?.organizationId).to.equal('MyOrganization');
        return link;
    }

    /** Codes read on one page and picked on the other, until the guest's details are sent. */
    async function exchangeCodes(hostDialog: GreetingDialog, guestDialog: GreetingDialog): Promise<void> {
        const hostCode = await hostDialog.ownCode();
        expect(await guestDialog.candidates()).to.include(hostCode);
        await guestDialog.pick(hostCode);
        const guestCode = await guestDialog.ownCode();
        expect(await hostDialog.candidates()).to.include(guestCode);
        await hostDialog.pick(guestCode);
    }

    before(async () => {
        mail = new MailReceiver();
        const smtpUrl = await mail.start();
        app = await startApp({ env: { VOUCH_SMTP_URL: smtpUrl } });
        browser = await launchChromium();
        const context = await browser.newContext();
        contexts.push(context);
        host = new Workbench(await context.newPage());
        await host.open(app.url);
        await createOrganizationFromOffer(host, admin);
    });

    after(async () => {
        for (const context of contexts) {
            await context.close().catch(() => undefined);
        }
        await browser?.close().catch(() => undefined);
        await app?.stop();
        await mail?.close();
    });

    it('invites two addresses from the palette and greets one through to a working second member', async () => {
        await host.runCommand('Vouch: Invite User');
        const invite = new InviteUsersDialog(host.page);
        await invite.waitForOpen();
        await invite.invite(['bob@example.com', 'carol@example.com'], { 'bob@example.com': 'MEMBER' });
        const invitations = new InvitationsView(host);
        await invitations.open();
        await invitations.row('bob@example.com').waitFor({ state: 'visible' });
        await invitations.row('carol@example.com').waitFor({ state: 'visible' });

        const bob = await guestPage(await linkFor('bob@example.com'));
        const bobDialog = new GreetingDialog(bob.page, 'guest');
        await bobDialog.waitForOpen();
        await bobDialog.waitForText('Alice Admin');
        await invitations.waitForOnline('bob@example.com');
        await takeScreenshot(host.page, 'invitations');

        await host.clickNotificationAction('bob@example.com is waiting to be greeted', 'Greet');
        const hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        // The pictures of the README: the host reads its code aloud, the guest picks it.
        await hostDialog.ownCode();
        await bobDialog.candidates();
        await takeScreenshot(host.page, 'greeting-host');
        await takeScreenshot(bob.page, 'greeting-guest');
        await exchangeCodes(hostDialog, bobDialog);
        await bobDialog.sendDetails({ name: 'Bob', deviceLabel: 'Bob laptop', password: 'bob password 1' });
        expect(await hostDialog.confirm('Bob Builder', 'MEMBER')).to.equal('Bob');
        await hostDialog.waitForText('bob@example.com joined the organization.');
        await hostDialog.close();

        await bobDialog.waitForClosed();
        await bob.workbench.waitForSessionStatus('MyOrganization: connected');
        const bobUsers = new UsersView(bob.workbench);
        await bobUsers.root.waitFor({ state: 'visible' });
        expect(await bobUsers.rowFor('bob@example.com')).to.deep.include({ name: 'Bob Builder', profile: 'Member' });
        expect(await bobUsers.rowFor(admin.email)).to.deep.include({ name: admin.name, profile: 'Administrator' });

        // The Administrator's Users view shows the new member too, and the invitation is gone.
        const hostUsers = new UsersView(host);
        await hostUsers.open();
        expect(await hostUsers.rowFor('bob@example.com')).to.deep.include({ name: 'Bob Builder' });
        await invitations.open();
        await invitations.row('bob@example.com').waitFor({ state: 'detached' });
    });

    it('a mis-picked code ends the greeting for both, each told why; greeting again succeeds', async () => {
        const carol = await guestPage(await linkFor('carol@example.com'));
        const carolDialog = new GreetingDialog(carol.page, 'guest');
        await carolDialog.waitForOpen();
        const invitations = new InvitationsView(host);
        await invitations.open();
        await invitations.waitForOnline('carol@example.com');

        await invitations.greet('carol@example.com');
        let hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        const hostCode = await hostDialog.ownCode();
        const wrong = (await carolDialog.candidates()).find(code => code !== hostCode)!;
        await carolDialog.pick(wrong);
        await carolDialog.waitForText('The guest selected a wrong code');
        await hostDialog.waitForText('The guest selected a wrong code');
        await hostDialog.close();

        await invitations.greet('carol@example.com');
        hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        await exchangeCodes(hostDialog, carolDialog);
        await carolDialog.sendDetails({ name: 'Carol', deviceLabel: 'Carol desktop', password: 'carol password 1' });
        await hostDialog.confirm('Carol', 'ADMINISTRATOR');
        await hostDialog.waitForText('carol@example.com joined the organization.');
        await hostDialog.close();

        await carolDialog.waitForClosed();
        await carol.workbench.waitForSessionStatus('MyOrganization: connected');
        const carolUsers = new UsersView(carol.workbench);
        await carolUsers.root.waitFor({ state: 'visible' });
        expect(await carolUsers.rowFor('carol@example.com')).to.deep.include({ name: 'Carol', profile: 'Administrator' });
        expect(await carolUsers.rowFor('bob@example.com')).to.deep.include({ name: 'Bob Builder' });
    });

    it('"Vouch: Add a Device": the Administrator greets a second browser of their own, which connects as them', async () => {
        await host.runCommand('Vouch: Add a Device');
        const notice = host.notification('Open this link on the new device');
        await notice.waitFor({ state: 'visible' });
        const link = /https?:\/\/\S+vouch-action=claim\S+/.exec(await notice.innerText())![0];
        const phone = await guestPage(link);
        const phoneDialog = new GreetingDialog(phone.page, 'guest');
        await phoneDialog.waitForOpen();
        await phoneDialog.waitForText('new device of alice@example.com');

        await host.clickNotificationAction('Your new device is waiting to be greeted', 'Greet');
        const hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        await exchangeCodes(hostDialog, phoneDialog);
        await phoneDialog.sendDetails({ deviceLabel: 'Alice phone', password: 'alice phone pw' });
        await hostDialog.confirmDevice();
        await hostDialog.waitForText('The new device is enrolled.');
        await hostDialog.close();

        await phoneDialog.waitForClosed();
        await phone.workbench.waitForSessionStatus('MyOrganization: connected');
        const phoneUsers = new UsersView(phone.workbench);
        await phoneUsers.root.waitFor({ state: 'visible' });
        expect(await phoneUsers.rowFor(admin.email)).to.deep.include({ name: admin.name, profile: 'Administrator' });
    });
});
