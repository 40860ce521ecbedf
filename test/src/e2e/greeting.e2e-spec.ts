import { expect } from 'chai';
import { Page } from 'playwright-core';
import { parseInvitationLink } from '@vouch/protocol';
import { takeScreenshot } from './support/screenshots';
import { GreetingDialog, GreetingStage, InvitationsView, InviteUsersDialog, MailReceiver, startGreetingStage } from './support/greeting';
import { UnlockDialog, UsersView, Workbench } from './support/workbench';

/**
 * As a new user would: the Administrator invites two addresses from the palette; each email is
 * a real message whose link opens the workbench as a guest. Host and guest (two browser
 * contexts) read their codes on one page and pick them on the other; the first guest becomes a
 * working member. The second guest mis-picks, each side is told why in its own words, and the
 * host's Greet again succeeds. A third guest is told at once when the host presses Escape, and
 * within seconds when the host's page reloads; unlocked again, the host is offered Greet.
 */
describe('invite by email and greet with a SAS code exchange', function () {
    this.timeout(180_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'Alice laptop', password: 'correct horse battery' };
    let mail: MailReceiver;
    let stage: GreetingStage | undefined;
    let host: Workbench;

    async function guestPage(link: string): Promise<{ page: Page; workbench: Workbench }> {
        const workbench = await stage!.open(link);
        return { page: workbench.page, workbench };
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
        stage = await startGreetingStage(admin, { env: { VOUCH_SMTP_URL: await mail.start() } });
        host = stage.host;
    });

    after(async () => {
        await stage?.close();
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

    it('a mis-picked code ends the greeting for both, each told in its own words; Greet again in the host\'s dialog succeeds', async () => {
        const carol = await guestPage(await linkFor('carol@example.com'));
        const carolDialog = new GreetingDialog(carol.page, 'guest');
        await carolDialog.waitForOpen();
        const invitations = new InvitationsView(host);
        await invitations.open();
        await invitations.waitForOnline('carol@example.com');

        await invitations.greet('carol@example.com');
        const hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        const hostCode = await hostDialog.ownCode();
        const wrong = (await carolDialog.candidates()).find(code => code !== hostCode)!;
        await carolDialog.pick(wrong);
        await carolDialog.waitForText('You picked a wrong code');
        await hostDialog.waitForText('The guest picked a wrong code');
        expect(await carolDialog.root.locator('.dialogContent').innerText()).to.not.contain('The guest');
        // The host's dialog offers a new attempt in its own button row, beside Close.
        expect(await hostDialog.controls()).to.deep.equal(['Close', 'Greet again']);

        await hostDialog.clickPrimary('Greet again');
        await exchangeCodes(hostDialog, carolDialog);
        await carolDialog.sendDetails({ name: 'Carol', deviceLabel: 'Carol desktop', password: 'carol password 1' });
        await hostDialog.confirm('Carol', 'ADMINISTRATOR');
        await hostDialog.waitForText('carol@example.com joined the organization.');
        expect(await hostDialog.controls()).to.deep.equal(['Close']);
        await hostDialog.close();

        await carolDialog.waitForClosed();
        await carol.workbench.waitForSessionStatus('MyOrganization: connected');
        const carolUsers = new UsersView(carol.workbench);
        await carolUsers.root.waitFor({ state: 'visible' });
        expect(await carolUsers.rowFor('carol@example.com')).to.deep.include({ name: 'Carol', profile: 'Administrator' });
        expect(await carolUsers.rowFor('bob@example.com')).to.deep.include({ name: 'Bob Builder' });
    });

    it('the guest is told at once when the host closes the greeting (Escape), and within seconds when the host reloads; unlocked again, the host is offered Greet', async () => {
        await host.runCommand('Vouch: Invite User');
        const invite = new InviteUsersDialog(host.page);
        await invite.waitForOpen();
        await invite.invite(['dan@example.com']);
        const dan = await guestPage(await linkFor('dan@example.com'));
        const danDialog = new GreetingDialog(dan.page, 'guest');
        await danDialog.waitForOpen();
        const invitations = new InvitationsView(host);
        await invitations.open();
        await invitations.waitForOnline('dan@example.com');
        // Escape must reach the dialog, not a notification above it.
        await host.runCommand('Notifications: Clear All Notifications');

        // The guest waits for its person to pick the host's code when the host presses Escape.
        await invitations.greet('dan@example.com');
        let hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        await hostDialog.ownCode();
        await danDialog.candidates();
        const escapedAt = Date.now();
        await host.page.keyboard.press('Escape');
        await hostDialog.waitForClosed();
        await danDialog.waitForText('The host closed the greeting');
        expect(Date.now() - escapedAt, 'told at once').to.be.below(3_000);

        // Again, and this time the host's page reloads mid-greeting.
        await invitations.greet('dan@example.com');
        hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        await hostDialog.ownCode();
        await danDialog.candidates();
        const reloadedAt = Date.now();
        await host.reload();
        await danDialog.waitForText('The host left the greeting');
        expect(Date.now() - reloadedAt, 'told within a few seconds').to.be.below(8_000);

        // Unlocked again, the host is offered the guest who still waits, and greets them through.
        const unlock = new UnlockDialog(host.page);
        await unlock.waitForOpen();
        await unlock.unlockWith(admin.password);
        await unlock.waitForClosed();
        await host.clickNotificationAction('dan@example.com is waiting to be greeted', 'Greet');
        hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        await exchangeCodes(hostDialog, danDialog);
        await danDialog.sendDetails({ name: 'Dan', deviceLabel: 'Dan laptop', password: 'dan password 1' });
        await hostDialog.confirm('Dan Dorn', 'MEMBER');
        await hostDialog.waitForText('dan@example.com joined the organization.');
        await hostDialog.close();
        await danDialog.waitForClosed();
        await dan.workbench.waitForSessionStatus('MyOrganization: connected');
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
