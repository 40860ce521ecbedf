import { expect } from 'chai';
import { ScriptedPerson, ScriptedStage } from './support/organization-script';
import { contextMenu, RevokeDialog } from './support/profiles-pages';
import { ReencryptionPick, workspacesBadge } from './support/reencryption-pages';
import { takeScreenshot } from './support/screenshots';
import { UI_TIMEOUT, UsersView, Workbench } from './support/workbench';
import { EditorPage, Explorer, NameDialog, ShareDialog, WorkspacesView } from './support/workspaces-pages';

/**
 * Ada (an Administrator) owns three workspaces shared with Mel and Ron. She revokes Ron, the
 * dialog saying first which workspaces it concerns; then she is told three workspaces need
 * re-encryption, sees the markers and the view's badge, re-encrypts two at once (progress, then
 * sync back: a file Mel writes in one reaches her), and the third later from the view. Mel, an
 * Owner whose workbench was closed during another revocation, is asked when she comes back.
 */
describe('re-encryption after a revocation, in the browser app', function () {
    this.timeout(300_000);

    let stage: ScriptedStage | undefined;
    let ada: ScriptedPerson;
    let mel: ScriptedPerson;
    let ron: ScriptedPerson;
    let adaBench: Workbench;
    let melBench: Workbench;

    async function createShared(name: string, thenClose: boolean): Promise<void> {
        await adaBench.runCommand('Vouch: Create Workspace');
        await new NameDialog(adaBench.page).enter(name);
        const view = new WorkspacesView(adaBench);
        await view.open();
        await view.row(name).and(adaBench.page.locator('[data-open="true"]')).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await view.contextMenu(name, 'Share…');
        const share = new ShareDialog(adaBench.page);
        await share.waitForOpen();
        await share.add(mel.email, 'CONTRIBUTOR');
        await share.add(ron.email, 'READER');
        await share.accept();
        await share.waitForClosed();
        await view.row(name).locator('.vouch-workspace-members', { hasText: '3 members' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        if (thenClose) {
            // So the Explorer shows one workspace (Alpha, open since it was made).
            await view.contextMenu(name, 'Close');
            await view.row(name).and(adaBench.page.locator('[data-open="false"]')).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        }
    }

    before(async () => {
        stage = await ScriptedStage.start();
        ada = await stage.org.addPerson('Ada Admin', 'ada@example.com', 'ADMINISTRATOR');
        mel = await stage.org.addPerson('Mel Member', 'mel@example.com', 'MEMBER');
        ron = await stage.org.addPerson('Ron Member', 'ron@example.com', 'MEMBER');
        adaBench = await stage.signIn(ada);
        melBench = await stage.signIn(mel);
    });

    after(async () => {
        await stage?.close();
    });

    it('says in the Revoke dialog what the revocation will cause, then tells the Owner three workspaces need re-encryption, with a marker on each and a badge on the view', async () => {
        await createShared('Alpha', false);
        await createShared('Beta', true);
        await createShared('Gamma', true);
        const melView = new WorkspacesView(melBench);
        await melView.open();
        await melView.row('Alpha').waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        // Ada, an Administrator, revokes Ron: the dialog says first what it causes in workspaces.
        const users = new UsersView(adaBench);
        await users.open();
        await users.select(ron.email);
        await contextMenu(users, ron.email, 'Revoke User');
        const dialog = new RevokeDialog(adaBench.page);
        await dialog.waitForOpen();
        await dialog.root.locator('.vouch-revoke-consequence', { hasText: '3 workspaces are shared with them' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await dialog.text).to.include('Those you are a member of: Alpha, Beta, Gamma.');
        expect(await dialog.text).to.not.include('last Owner');
        await dialog.accept();
        await dialog.waitForClosed();
        await adaBench.notification('Ron Member was revoked: 3 workspaces need re-encryption').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const view = new WorkspacesView(adaBench);
        await view.open();
        for (const name of ['Alpha', 'Beta', 'Gamma']) {
            await view.row(name).locator('.vouch-workspace-reencrypt').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        }
        await workspacesBadge(adaBench.page).filter({ hasText: '3' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        // Mel, a Contributor, is not asked.
        expect(await melBench.notification('was revoked').count()).to.equal(0);
        await takeScreenshot(adaBench.page, 'reencryption-needed');
    });

    it('re-encrypts two at once from the notification: progress, the markers go, and sync comes back', async () => {
        await adaBench.clickNotificationAction('Ron Member was revoked', 'Re-encrypt now');
        const pick = new ReencryptionPick(adaBench.page);
        await pick.waitForOpen();
        await pick.untick('Gamma');
        await pick.accept();
        await adaBench.notification('Alpha is re-encrypted').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await adaBench.notification('Beta is re-encrypted').waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        const view = new WorkspacesView(adaBench);
        await view.open();
        await view.row('Alpha').locator('.vouch-workspace-reencrypt').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        await view.row('Beta').locator('.vouch-workspace-reencrypt').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        await view.row('Gamma').locator('.vouch-workspace-reencrypt').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await workspacesBadge(adaBench.page).filter({ hasText: '1' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await view.row('Alpha').locator('.vouch-workspace-sync', { hasText: 'synced' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        // Ada has Alpha open; Mel writes in it after the run (under the new key): it reaches Ada live.
        const melView = new WorkspacesView(melBench);
        await melView.open();
        await melView.row('Alpha').dblclick();
        await new Explorer(melBench.page).waitForRoot('Alpha');
        await melBench.runCommand('File: New File...');
        await new NameDialog(melBench.page).enter('after.txt');
        await new EditorPage(melBench.page, 'after.txt').appendAndSave('Written by Mel after the re-encryption');
        await melView.open();
        await melView.row('Alpha').locator('.vouch-workspace-sync', { hasText: 'synced' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        // Ada finds it with quick open (Ctrl+P), which reads the engine's files, and reads Mel's text.
        await adaBench.page.locator('#theia-main-content-panel').click();
        await adaBench.page.keyboard.press('Control+P');
        const input = adaBench.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await input.fill('after');
        await adaBench.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'after.txt' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await input.press('Enter');
        await new EditorPage(adaBench.page, 'after.txt').waitForText('Written by Mel after the re-encryption');
    });

    it('re-encrypts the other later from the Workspaces view', async () => {
        const view = new WorkspacesView(adaBench);
        await view.open();
        await view.contextMenu('Gamma', 'Re-encrypt');
        await adaBench.notification('Gamma is re-encrypted').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await view.row('Gamma').locator('.vouch-workspace-reencrypt').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        await workspacesBadge(adaBench.page).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        expect(await adaBench.paletteOffers('Vouch: Re-encrypt All That Need It')).to.equal(false);
    });

    it('asks an Owner who was offline during the revocation as soon as they connect again', async () => {
        // Mel makes Delta and shares it with Sam; Mel closes her workbench; Sam is revoked meanwhile.
        const sam = await stage!.org.addPerson('Sam Member', 'sam@example.com', 'MEMBER');
        await melBench.runCommand('Vouch: Create Workspace');
        await new NameDialog(melBench.page).enter('Delta');
        const view = new WorkspacesView(melBench);
        await view.open();
        await view.contextMenu('Delta', 'Share…');
        const share = new ShareDialog(melBench.page);
        await share.waitForOpen();
        await share.add(sam.email, 'READER');
        await share.accept();
        await share.waitForClosed();
        await view.row('Delta').locator('.vouch-workspace-members', { hasText: '2 members' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await melBench.page.context().close();
        await stage!.org.revoke(sam);

        const melAgain = await stage!.signIn(mel);
        await melAgain.notification('Sam Member was revoked: 1 workspace needs re-encryption').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const again = new WorkspacesView(melAgain);
        await again.open();
        await again.row('Delta').locator('.vouch-workspace-reencrypt').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    });
});

/** With `vouch.workspaces.reencryptAutomatically`, the Owner's online device re-encrypts by itself, without asking. */
describe('automatic re-encryption after a revocation, in the browser app', function () {
    this.timeout(300_000);

    let stage: ScriptedStage | undefined;

    before(async () => {
        stage = await ScriptedStage.start({ userSettings: { 'vouch.workspaces.reencryptAutomatically': true } });
    });

    after(async () => {
        await stage?.close();
    });

    it('re-encrypts by itself a short while after the revocation: no question, the marker goes', async () => {
        const ada = await stage!.org.addPerson('Ada Member', 'ada@example.com', 'MEMBER');
        const ron = await stage!.org.addPerson('Ron Member', 'ron@example.com', 'MEMBER');
        const bench = await stage!.signIn(ada);
        const page = bench.page;

        await bench.runCommand('Vouch: Create Workspace');
        await new NameDialog(page).enter('Gamma');
        const view = new WorkspacesView(bench);
        await view.open();
        await view.contextMenu('Gamma', 'Share…');
        const share = new ShareDialog(page);
        await share.waitForOpen();
        await share.add(ron.email, 'READER');
        await share.accept();
        await share.waitForClosed();
        await view.row('Gamma').locator('.vouch-workspace-members', { hasText: '2 members' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        await stage!.org.revoke(ron);
        await bench.notification('Gamma is re-encrypted').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await view.row('Gamma').locator('.vouch-workspace-reencrypt').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        await view.row('Gamma').locator('.vouch-workspace-members', { hasText: '1 member' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await bench.notification('was revoked').count(), 'nobody was asked').to.equal(0);
    });
});
