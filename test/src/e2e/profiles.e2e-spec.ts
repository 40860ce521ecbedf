import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ScriptedPerson, ScriptedStage } from './support/organization-script';
import { takeScreenshot } from './support/screenshots';
import { ChangeProfileDialog, contextMenu, contextMenuEntries, menuEntriesThenClose, paletteOffers, RevokeDialog, selectUsers } from './support/profiles-pages';
import { SaveFileDialog, UI_TIMEOUT, UnlockDialog, UsersView, Workbench } from './support/workbench';

/**
 * An Administrator (Ada, in one browser) and a Member (Mel, in another) use the same
 * organization. Ada changes the profiles of a mixed selection and is told who is left as they
 * are; Mel's menus follow his new profile without a reload; Ada revokes Mel, whose open
 * workbench is cut off at once and says why.
 */
/** The Users view's toolbar button contributed by the invitations extension. */
const INVITE_USER_TOOLBAR_ITEM = 'vouch.users.toolbar.inviteUser';

describe('profiles and revocation in the browser app', function () {
    this.timeout(180_000);

    let home: string;
    let stage: ScriptedStage | undefined;
    let ada: ScriptedPerson;
    let mel: ScriptedPerson;
    let max: ScriptedPerson;
    let eve: ScriptedPerson;
    let adaBench: Workbench;
    let melBench: Workbench;
    let eveBench: Workbench;

    /** Bounded polling for what another browser should see shortly. */
    async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
        const deadline = Date.now() + UI_TIMEOUT;
        while (!await check()) {
            if (Date.now() > deadline) {
                throw new Error(`never: ${what}`);
            }
        }
    }

    before(async () => {
        // The app's home folder, where Theia's save dialog opens: the export lands there.
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-e2e-home-'));
        stage = await ScriptedStage.start({ env: { HOME: home } });
        const org = stage.org;
        ada = await org.addPerson('Ada Admin', 'ada@example.com', 'ADMINISTRATOR');
        mel = await org.addPerson('Mel Member', 'mel@example.com', 'MEMBER');
        max = await org.addPerson('Max Member', 'max@example.com', 'MEMBER');
        eve = await org.addPerson('Eve External', 'eve@example.com', 'EXTERNAL');
        // Three people of each profile in the organization (the script's own Administrator included).
        await org.addPerson('Abe Admin', 'abe@example.com', 'ADMINISTRATOR');
        await org.addPerson('Meg Member', 'meg@example.com', 'MEMBER');
        await org.addPerson('Exa External', 'exa@example.com', 'EXTERNAL');
        await org.addPerson('Eli External', 'eli@example.com', 'EXTERNAL');
        adaBench = await stage!.signIn(ada);
        melBench = await stage!.signIn(mel);
        eveBench = await stage!.signIn(eve);
    });

    after(async () => {
        await stage?.close();
        fs.rmSync(home, { recursive: true, force: true });
    });

    it('shows each profile only the commands it may use', async () => {
        expect(await paletteOffers(adaBench, 'Vouch: Change Profile')).to.equal(true);
        expect(await paletteOffers(adaBench, 'Vouch: Revoke User')).to.equal(true);
        expect(await paletteOffers(melBench, 'Vouch: Change Profile')).to.equal(false);
        expect(await paletteOffers(melBench, 'Vouch: Revoke User')).to.equal(false);
        expect(await paletteOffers(melBench, 'Vouch: Show Organization History')).to.equal(true);
        expect(await paletteOffers(melBench, 'Vouch: Invite User')).to.equal(false);
        const melUsers = new UsersView(melBench);
        await melUsers.open();
        // A Member's context menu holds what a Member may do; no admin entry, no admin button, not even a greyed one.
        expect(await contextMenuEntries(melUsers, max.email)).to.deep.equal(['Show History', 'Copy Email']);
        expect(await melUsers.toolbarItem(INVITE_USER_TOOLBAR_ITEM).count()).to.equal(0);

        const adaUsers = new UsersView(adaBench);
        await adaUsers.open();
        expect(await contextMenuEntries(adaUsers, max.email)).to.deep.equal(['Show History', 'Copy Email', 'Change Profile…', 'Revoke User']);
        await adaUsers.toolbarItem(INVITE_USER_TOOLBAR_ITEM).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await takeScreenshot(adaBench.page, 'users');

        // A Member reads the history without other people's device labels.
        await melBench.runCommand('Vouch: Show Organization History');
        const history = melBench.page.locator('#vouch-organization-history');
        await history.locator('.vouch-history-verified').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await eventually(async () => await history.locator('.vouch-history-row[data-kind="device"]').count() === 8, 'eight devices added by the script');
        const devices = await history.locator('.vouch-history-row[data-kind="device"]').allInnerTexts();
        expect(devices.filter(text => text.includes("Mel Member's browser"))).to.have.length(1);
        expect(devices.filter(text => text.includes('(hidden)'))).to.have.length(7);

        // External: nothing to administer, no history, and nobody's name or email.
        for (const label of ['Vouch: Change Profile', 'Vouch: Revoke User', 'Vouch: Show Organization History']) {
            expect(await paletteOffers(eveBench, label), label).to.equal(false);
        }
        expect(await paletteOffers(eveBench, 'Vouch: Show Users')).to.equal(true);
        const eveUsers = new UsersView(eveBench);
        await eveUsers.open();
        await eveUsers.root.locator('.vouch-users-row').nth(8).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const seen = await eveUsers.root.innerText();
        for (const person of ['Ada Admin', 'ada@example.com', 'Mel Member', 'mel@example.com', 'Max Member', 'Script Admin', 'Eve External']) {
            expect(seen, 'External sees no names or emails').not.to.include(person);
        }
        expect(await eveUsers.root.locator('.vouch-users-row').count()).to.equal(9);
        await eveUsers.root.locator('.vouch-users-row').first().click({ button: 'right' });
        expect(await menuEntriesThenClose(eveBench.page)).to.deep.equal([]);
        expect(await eveUsers.toolbarItem(INVITE_USER_TOOLBAR_ITEM).count()).to.equal(0);
    });

    it('selects users from the keyboard, and the commands act on that selection', async () => {
        const users = new UsersView(adaBench);
        await users.open();
        await users.row(ada.email).click();
        const start = (await users.selectedPositions())[0];
        await users.press('ArrowDown');
        expect(await users.selectedPositions()).to.deep.equal([start + 1]);
        await users.press('Shift+ArrowDown', 'Shift+ArrowDown');
        expect(await users.selectedPositions()).to.deep.equal([start + 1, start + 2, start + 3]);
        await users.press('End');
        expect(await users.selectedPositions()).to.deep.equal([8]);
        await users.press('Home', 'Control+ArrowDown', 'Control+ArrowDown', 'Control+Space');
        expect(await users.selectedPositions()).to.deep.equal([0, 2]);
        expect(await users.grid.getAttribute('aria-activedescendant')).to.match(/^vouch-user-/);

        // The context-menu key opens the menu on the focused row, for the selection.
        await users.press('Shift+F10');
        expect(await menuEntriesThenClose(adaBench.page)).to.deep.equal(['Show History', 'Copy Email', 'Change Profile…', 'Revoke User']);

        // F2 changes the profile of the selection: both selected users are in the plan, changed or not affected.
        await users.grid.focus();
        await users.press('F2');
        const dialog = new ChangeProfileDialog(adaBench.page);
        await dialog.waitForOpen();
        const affected = await dialog.affected;
        const changing = affected.startsWith('One user') ? 1 : Number(/^\d+/.exec(affected)?.[0]);
        expect(changing + await dialog.notAffected.count()).to.equal(2);
        await adaBench.page.keyboard.press('Escape');
        await dialog.waitForClosed();

        // Enter shows the focused user's history.
        await users.grid.focus();
        await users.press('Home', 'Enter');
        const history = adaBench.page.locator('#vouch-organization-history');
        await history.locator('.vouch-history-verified').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const first = await users.root.locator('.vouch-users-row').first().getAttribute('data-user-id');
        expect(await history.locator('select.vouch-history-user').inputValue()).to.equal(first);
        await history.locator('select.vouch-history-user').selectOption('');
    });

    it('opens Change Profile on the other profile than the selected users have, with the focus on it, and counts in words', async () => {
        const users = new UsersView(adaBench);
        await users.open();
        await selectUsers(users, [mel.email]);
        await adaBench.runCommand('Vouch: Change Profile');
        const dialog = new ChangeProfileDialog(adaBench.page);
        await dialog.waitForOpen();
        expect(await dialog.proposedProfile()).to.equal('Administrator');
        expect(await dialog.affected).to.equal('One user will become Administrator.');
        expect(await dialog.focusedElement()).to.include('vouch-users-new-profile');
        await adaBench.page.keyboard.press('Escape');
        await dialog.waitForClosed();

        await selectUsers(users, [mel.email, max.email]);
        await adaBench.runCommand('Vouch: Change Profile');
        await dialog.waitForOpen();
        expect(await dialog.affected).to.equal('2 users will become Administrator.');
        await adaBench.page.keyboard.press('Escape');
        await dialog.waitForClosed();
    });

    it('says why when nobody selected can be changed', async () => {
        const users = new UsersView(adaBench);
        await users.open();
        await selectUsers(users, [eve.email]);
        await adaBench.runCommand('Vouch: Change Profile');
        const dialog = new ChangeProfileDialog(adaBench.page);
        await dialog.waitForOpen();
        await dialog.waitForError('Nobody selected can be changed');
        expect(await dialog.notAffected.allInnerTexts()).to.deep.equal(['Eve External <eve@example.com> — External user: changes from External are refused']);
        await adaBench.page.keyboard.press('Escape');
        await dialog.waitForClosed();
    });

    it('changes the profiles of a mixed selection, listing who is not affected and why', async () => {
        const users = new UsersView(adaBench);
        await users.open();
        await selectUsers(users, [max.email, eve.email, ada.email]);
        await adaBench.runCommand('Vouch: Change Profile');
        const dialog = new ChangeProfileDialog(adaBench.page);
        await dialog.waitForOpen();
        await dialog.choose('Administrator');
        const notAffected = await dialog.notAffected.allInnerTexts();
        expect(notAffected).to.have.length(2);
        expect(notAffected.find(text => text.includes('Eve External'))).to.match(/External/);
        expect(notAffected.find(text => text.includes('Ada Admin'))).to.match(/yourself/);
        await dialog.accept();
        await dialog.waitForClosed();
        await eventually(async () => (await users.rowFor(max.email)).profile === 'Administrator', 'Max shown as Administrator');
        expect((await users.rowFor(eve.email)).profile).to.equal('External');
        expect((await users.rowFor(ada.email)).profile).to.equal('Administrator');
    });

    it('lets the menus of a user whose profile changed follow at once, without reload', async () => {
        const users = new UsersView(adaBench);
        await contextMenu(users, mel.email, 'Change Profile');
        const dialog = new ChangeProfileDialog(adaBench.page);
        await dialog.waitForOpen();
        await dialog.choose('Administrator');
        await dialog.accept();
        await dialog.waitForClosed();
        await eventually(() => paletteOffers(melBench, 'Vouch: Revoke User'), 'Mel is offered Revoke User');
    });

    it('revokes a user whose session is open in another browser: it loses access at once and is told why', async () => {
        const users = new UsersView(adaBench);
        await users.select(mel.email);
        await contextMenu(users, mel.email, 'Revoke User');
        const dialog = new RevokeDialog(adaBench.page);
        await dialog.waitForOpen();
        const text = await dialog.text;
        expect(text).to.match(/irreversible/);
        expect(text).to.match(/every device/);
        expect(text).to.include('Mel Member');
        const revokedAt = Date.now();
        await dialog.accept();
        await melBench.waitForSessionStatus(`${stage!.org.organizationId}: refused`);
        const cutOffMs = Date.now() - revokedAt;
        await melBench.notification('your user was revoked').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await eventually(async () => (await users.rowFor(mel.email)).status.startsWith('Revoked by'), 'Mel listed as revoked');
        expect((await users.rowFor(mel.email)).status).to.include('Ada Admin');
        // From the click on Revoke (signing and the request included) to the other workbench refused: no retry, no timeout.
        expect(cutOffMs).to.be.lessThan(2_000);

        // A reload does not bring Mel back: the device is refused at connection.
        await melBench.reload();
        const unlock = new UnlockDialog(melBench.page);
        await unlock.waitForOpen();
        await unlock.unlockWith(mel.password);
        await melBench.waitForSessionStatus(`${stage!.org.organizationId}: refused`);

        // Revoked for good: Mel makes this browser forget the device, so an invitation can bring her back as a new user.
        await melBench.clickNotificationAction('your user was revoked', 'Forget This Device');
        await melBench.page.locator('#theia-statusBar .vouch-session-status').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    });

    it('shows the organization history, re-checked, with the changes and the revocation', async () => {
        await adaBench.runCommand('Vouch: Show Organization History');
        const history = adaBench.page.locator('#vouch-organization-history');
        await history.locator('.vouch-history-verified').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await eventually(async () => await history.locator('.vouch-history-row[data-kind="revocation"]').count() === 1, 'the revocation in the history');
        expect(await history.locator('.vouch-history-row[data-kind="profile"]').count()).to.equal(2);
        await takeScreenshot(adaBench.page, 'history');
        await history.locator('select.vouch-history-kind').selectOption('profile');
        expect(await history.locator('.vouch-history-row').count()).to.equal(2);

        // Exported through Theia's save dialog, to a file of the person's choosing (here the proposed name, at home).
        await history.locator('.vouch-history-export-csv').click();
        const save = new SaveFileDialog(adaBench.page);
        await save.waitForOpen();
        expect(await save.fileName.inputValue()).to.equal(`${stage!.org.organizationId}-history.csv`);
        await save.accept();
        await save.waitForClosed();
        await adaBench.notification('The history was exported to').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const lines = fs.readFileSync(path.join(home, `${stage!.org.organizationId}-history.csv`), 'utf8').trim().split('\n');
        expect(lines).to.have.length(3);
        expect(lines.slice(1).every(line => line.includes('profile'))).to.equal(true);
    });
});
