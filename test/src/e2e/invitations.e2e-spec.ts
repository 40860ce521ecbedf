import * as path from 'path';
import { expect } from 'chai';
import { GreetingDialog, GreetingStage, InvitationsView, InviteUsersDialog, startGreetingStage } from './support/greeting';
import { UI_TIMEOUT, UsersView, Workbench } from './support/workbench';

/**
 * The browser app as it starts by default, without a mail server: the Administrator pastes a
 * spreadsheet selection (a header row, then names and addresses) into Invite; the workbench says
 * the invitations went to the outbox folder and offers the links first; the view labels the mail
 * transport and offers no "Resend email"; the guest's name field starts from the pasted name.
 */
describe('invitations without a mail server, from a pasted spreadsheet selection', function () {
    this.timeout(180_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'Alice laptop', password: 'correct horse battery' };
    let stage: GreetingStage | undefined;
    let host: Workbench;

    before(async () => {
        // The host copies and pastes as a person does: through the clipboard.
        stage = await startGreetingStage(admin, { hostPermissions: ['clipboard-read', 'clipboard-write'] });
        host = stage.host;
    });

    after(async () => stage?.close());

    it('invites the names and addresses of a pasted selection, leaves its header out, and says the emails went to the outbox folder', async () => {
        await host.runCommand('Vouch: Invite User');
        const invite = new InviteUsersDialog(host.page);
        await invite.waitForOpen();
        await invite.paste('Name\tEmail\nDan Dorn\tdan@example.com\nEve Ell\teve@example.com\n');
        expect(await invite.rows()).to.deep.equal([{ email: 'dan@example.com', name: 'Dan Dorn' }, { email: 'eve@example.com', name: 'Eve Ell' }]);
        await invite.root.locator('.dialogControl button.main', { hasText: 'Invite 2 users' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await invite.accept();
        await invite.waitForClosed();

        const outbox = path.join(stage!.app.dataDir, 'outbox');
        const notice = host.notification('Invited 2 users');
        await notice.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await notice.innerText()).to.contain('No email left').and.to.contain(outbox).and.not.contain('sent');
        await notice.locator('button', { hasText: 'Copy links' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        const invitations = new InvitationsView(host);
        await invitations.open();
        expect(await invitations.mailLabel()).to.contain('No mail server is configured').and.to.contain(outbox);
        // Copy link first; no "Resend email" where no email ever left; the full set in the context menu.
        expect(await invitations.inlineActions('dan@example.com')).to.deep.equal(['Copy link', 'Greet', 'Cancel invitation']);
        expect(await invitations.contextMenu('dan@example.com')).to.deep.equal(['Greet', 'Copy link', 'Cancel invitation']);
        expect(await invitations.row('dan@example.com').innerText()).to.contain('Dan Dorn');
    });

    it('the guest opens the copied link; their name field starts from the pasted name', async () => {
        const invitations = new InvitationsView(host);
        await invitations.row('eve@example.com').locator('.vouch-copy-link').click({ timeout: UI_TIMEOUT });
        await host.notification('The link of eve@example.com is in the clipboard').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const link = await host.page.evaluate(() => navigator.clipboard.readText());
        expect(link).to.match(/vouch-action=claim/);

        const eve = await stage!.open(link);
        const eveDialog = new GreetingDialog(eve.page, 'guest');
        await eveDialog.waitForOpen();

        await host.clickNotificationAction('eve@example.com is waiting to be greeted', 'Greet');
        const hostDialog = new GreetingDialog(host.page, 'host');
        await hostDialog.waitForOpen();
        const hostCode = await hostDialog.ownCode();
        await eveDialog.pick(hostCode);
        await hostDialog.pick(await eveDialog.ownCode());
        expect(await eveDialog.nameField()).to.equal('Eve Ell');
        await eveDialog.sendDetails({ deviceLabel: 'Eve laptop', password: 'eve password 1' });
        expect(await hostDialog.confirm('Eve Ell', 'MEMBER')).to.equal('Eve Ell');
        await hostDialog.waitForText('eve@example.com joined the organization.');
        await hostDialog.close();
        await eveDialog.waitForClosed();
        await eve.waitForSessionStatus('MyOrganization: connected');
        const users = new UsersView(eve);
        await users.root.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await users.rowFor('eve@example.com')).to.deep.include({ name: 'Eve Ell', profile: 'Member' });
    });
});
