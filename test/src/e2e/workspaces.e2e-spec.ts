import { expect } from 'chai';
import { ScriptedPerson, ScriptedStage } from './support/organization-script';
import { takeScreenshot } from './support/screenshots';
import { UI_TIMEOUT, UnlockDialog, Workbench } from './support/workbench';
import { EditorPage, Explorer, NameDialog, ShareDialog, WorkspacesView } from './support/workspaces-pages';

/**
 * Ada and Mel, two Members in two browsers, work in one encrypted workspace: Ada creates and
 * shares it, makes a folder and a file in the Explorer and types in it; Mel sees them appear,
 * reads the text and edits it; Ada sees the edit. Eve, an External user, reads it as a
 * Reader: her editor is locked, and she is never offered Create Workspace.
 */
describe('workspaces in the browser app', function () {
    this.timeout(300_000);

    let stage: ScriptedStage | undefined;
    let ada: ScriptedPerson;
    let mel: ScriptedPerson;
    let eve: ScriptedPerson;
    let adaBench: Workbench;
    let melBench: Workbench;
    let eveBench: Workbench;

    before(async () => {
        stage = await ScriptedStage.start();
        ada = await stage.org.addPerson('Ada Member', 'ada@example.com', 'MEMBER');
        mel = await stage.org.addPerson('Mel Member', 'mel@example.com', 'MEMBER');
        eve = await stage.org.addPerson('Eve External', 'eve@example.com', 'EXTERNAL');
        adaBench = await stage.signIn(ada);
        melBench = await stage.signIn(mel);
        eveBench = await stage.signIn(eve);
    });

    after(async () => {
        await stage?.close();
    });

    it('offers Create Workspace to Members, not to External users', async () => {
        expect(await adaBench.paletteOffers('Vouch: Create Workspace')).to.equal(true);
        expect(await eveBench.paletteOffers('Vouch: Create Workspace')).to.equal(false);
    });

    it('creates a workspace, shares it, and opens it in the Explorer', async () => {
        await adaBench.runCommand('Vouch: Create Workspace');
        await new NameDialog(adaBench.page).enter('Project X');
        // Created, then opened: the Explorer shows it under its name.
        await new Explorer(adaBench.page).waitForRoot('Project X');

        const view = new WorkspacesView(adaBench);
        await view.open();
        await view.row('Project X').locator('.vouch-workspace-role', { hasText: 'Owner' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await view.contextMenu('Project X', 'Share…');
        const share = new ShareDialog(adaBench.page);
        await share.waitForOpen();
        await share.add(mel.email, 'CONTRIBUTOR');
        await share.add(eve.email, 'READER');
        await share.accept();
        await share.waitForClosed();
        await view.row('Project X').locator('.vouch-workspace-members', { hasText: '3 members' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });

        // Shared: it shows in the others' views, with their role.
        for (const [bench, role] of [[melBench, 'Contributor'], [eveBench, 'Reader']] as const) {
            const theirs = new WorkspacesView(bench);
            await theirs.open();
            await theirs.row('Project X').locator('.vouch-workspace-role', { hasText: role }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        }
        await takeScreenshot(adaBench.page, 'workspaces');
    });

    it('carries a folder, a file and edits from one browser to the other, live', async () => {
        await new WorkspacesView(melBench).openWorkspace('Project X');

        const adaFiles = new Explorer(adaBench.page);
        await adaFiles.show(adaBench, 'Project X');
        // Nothing selected in the Explorer: a new folder goes to the workspace's root.
        await adaFiles.newFolder(adaBench, 'docs');
        await adaFiles.select('docs');
        const adaEditor = await adaFiles.newFile(adaBench, 'notes.txt');
        await adaEditor.appendAndSave('Hello from Ada');

        // Mel's open workspace shows the folder and the file without a reload, then the text.
        const melFiles = new Explorer(melBench.page);
        await melFiles.expand('docs');
        await melFiles.open('notes.txt');
        const melEditor = new EditorPage(melBench.page, 'notes.txt');
        await melEditor.waitForText('Hello from Ada');
        // Breadcrumbs above the editor: the workspace by its name, then the folder and the file.
        const crumbs = melBench.page.locator('#theia-main-content-panel .theia-breadcrumbs:visible .theia-breadcrumb-item');
        await crumbs.filter({ hasText: 'notes.txt' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect((await crumbs.allInnerTexts()).map(text => text.trim())).to.deep.equal(['Project X', 'docs', 'notes.txt']);

        await melEditor.appendAndSave(' and Mel');
        await adaEditor.waitForText('Hello from Ada and Mel');
    });

    it('finds a file of an open workspace with quick open (Ctrl+P)', async () => {
        await adaBench.page.locator('#theia-main-content-panel .theia-editor:visible .view-lines').click();
        await adaBench.page.keyboard.press('Control+P');
        const input = adaBench.page.locator('.quick-input-widget .quick-input-box input');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await input.fill('notes');
        await adaBench.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'notes.txt' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await input.press('Escape');
    });

    it('uploads a file from the computer into a folder of the workspace, and the other member reads it', async () => {
        const adaFiles = new Explorer(adaBench.page);
        await adaFiles.show(adaBench, 'Project X');
        await adaFiles.uploadFile(adaBench, 'docs', 'uploaded.txt', 'Uploaded by Ada');
        const melFiles = new Explorer(melBench.page);
        await melFiles.open('uploaded.txt');
        await new EditorPage(melBench.page, 'uploaded.txt').waitForText('Uploaded by Ada');
    });

    it('uploads a large file in blocks with Theia\'s progress, and the other member sees it', async () => {
        const adaFiles = new Explorer(adaBench.page);
        await adaFiles.show(adaBench, 'Project X');
        // 48 MiB: 96 blocks, each sealed in the browser; the progress shows while they go.
        await adaFiles.uploadFile(adaBench, 'docs', 'large.bin', Buffer.alloc(48 * 1024 * 1024, 7));
        await adaBench.notification('Upload').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await adaBench.notification('Upload').waitFor({ state: 'hidden', timeout: 120_000 });
        // Theia opens what was uploaded, and asks first for a file this large: Ada declines.
        await adaBench.page.locator('.dialogOverlay', { hasText: 'The file is too large' }).locator('button', { hasText: 'No' }).click({ timeout: UI_TIMEOUT });
        await new Explorer(melBench.page).waitForNode('large.bin');
    });

    it('shows a Reader the lock, and a Reader cannot change the file', async () => {
        await new WorkspacesView(eveBench).openWorkspace('Project X');
        const eveFiles = new Explorer(eveBench.page);
        await eveFiles.expand('docs');
        await eveFiles.open('notes.txt');
        const eveEditor = new EditorPage(eveBench.page, 'notes.txt');
        await eveEditor.waitForText('Hello from Ada and Mel');
        await eveBench.page.locator('#theia-main-content-panel .lm-TabBar-tab.theia-mod-locked', { hasText: 'notes.txt' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await eveBench.page.locator('#theia-main-content-panel .theia-editor:visible .view-lines').click();
        await eveBench.page.keyboard.type('Eve was here');
        expect(await eveEditor.text.innerText()).to.not.contain('Eve was here');
    });

    it('opens again, after a reload and unlock, the workspaces the device had open', async () => {
        await melBench.reload();
        const unlock = new UnlockDialog(melBench.page);
        await unlock.waitForOpen();
        await unlock.unlockWith(mel.password);
        await unlock.waitForClosed();
        const melFiles = new Explorer(melBench.page);
        await melFiles.show(melBench, 'Project X');
        await melFiles.waitForNode('docs');
        // The Explorer restored before the unlock could not read it yet: nothing to complain about.
        expect(await melBench.page.locator('.theia-notification-list-item', { hasText: 'not open' }).count()).to.equal(0);
    });

    it('renames a workspace: the others see the new name in their view and Explorer', async () => {
        const view = new WorkspacesView(adaBench);
        await view.open();
        await view.contextMenu('Project X', 'Rename');
        await new NameDialog(adaBench.page).enter('Project Y');
        await view.row('Project Y').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await new Explorer(melBench.page).show(melBench, 'Project Y');
        const melView = new WorkspacesView(melBench);
        await melView.open();
        await melView.row('Project Y').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    });

    it('says why a role change is refused, and keeps the dialog open', async () => {
        const view = new WorkspacesView(adaBench);
        await view.open();
        await view.contextMenu('Project Y', 'Share…');
        const share = new ShareDialog(adaBench.page);
        await share.waitForOpen();
        // External users can be at most Contributor.
        await share.setRole(eve.userId, 'MANAGER');
        await share.accept();
        await share.error.filter({ hasText: /External/i }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await share.root.locator('.dialogControl button.secondary').click();
        await share.waitForClosed();
        await view.row('Project Y').locator('.vouch-workspace-members', { hasText: '3 members' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    });
});
