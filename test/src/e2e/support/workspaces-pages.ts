import { Locator, Page } from 'playwright-core';
import { DialogPage, UI_TIMEOUT, Workbench } from './workbench';

/** The Workspaces view in the Vouch side bar. */
export class WorkspacesView {
    constructor(readonly workbench: Workbench) { }

    get page(): Page {
        return this.workbench.page;
    }

    async open(): Promise<void> {
        await this.workbench.runCommand('Vouch: Show Workspaces');
        await this.page.locator('#vouch-workspaces').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    row(name: string): Locator {
        return this.page.locator(`#vouch-workspaces .vouch-workspace-row[data-name="${name}"]`);
    }

    async contextMenu(name: string, entry: string): Promise<void> {
        const row = this.row(name);
        await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await row.click({ button: 'right' });
        const item = this.page.locator('.lm-Menu-item', { hasText: entry });
        await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await item.click();
    }

    /** Opens a workspace from its row (a double-click): the Explorer shows it under its name. */
    async openWorkspace(name: string): Promise<void> {
        await this.open();
        const row = this.row(name);
        await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await row.dblclick();
        await new Explorer(this.page).waitForRoot(name);
    }
}

/** Theia's one-field dialogs (Create a workspace, New File…, New Folder…). */
export class NameDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'dialogOverlay', page.locator('.dialogOverlay', { has: page.locator('.dialogContent input') }));
    }

    async enter(name: string): Promise<void> {
        await this.waitForOpen();
        const input = this.root.locator('.dialogContent input');
        await input.fill(name);
        await this.accept();
        await this.waitForClosed();
    }
}

export class ShareDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-share-workspace-dialog');
    }

    /** Changes a member's role (or removes them with null). */
    async setRole(userId: string, role: 'OWNER' | 'MANAGER' | 'CONTRIBUTOR' | 'READER' | null): Promise<void> {
        await this.root.locator(`.vouch-share-member[data-user-id="${userId}"] .vouch-share-role`).selectOption(role ?? '');
    }

    /** The refusal shown under the dialog's buttons. */
    get error(): Locator {
        return this.root.locator('.dialogControl .error');
    }

    /** Finds a person by email with the people picker, picks them and gives them a role. */
    async add(email: string, role: 'OWNER' | 'MANAGER' | 'CONTRIBUTOR' | 'READER'): Promise<void> {
        await this.root.locator('.vouch-share-search').fill(email);
        const person = this.root.locator(`.vouch-share-person[data-email="${email}"]`);
        await person.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await person.locator('.vouch-share-pick').check();
        await person.locator('.vouch-share-role').selectOption(role);
    }
}

/** Theia's Explorer, on the files of the open workspaces. */
export class Explorer {
    constructor(readonly page: Page) { }

    /** Brings the Explorer to the side bar (another view may have taken its place). */
    async show(workbench: Workbench, root: string): Promise<void> {
        await workbench.runCommand('File: Focus on Files Explorer');
        await this.waitForRoot(root);
    }

    /** With one root open, the Explorer names it in its section's header, above its content. */
    async waitForRoot(name: string): Promise<void> {
        const header = this.page.locator('.theia-view-container-part-header', { hasText: new RegExp(escape(name), 'i') });
        await header.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        // A section the Explorer added collapsed (it had no folder before) is opened, as a person would.
        if (await header.locator('.theia-mod-collapsed').count() > 0) {
            await header.click();
        }
        await this.page.locator('#files').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    node(name: string): Locator {
        return this.page.locator('#files .theia-TreeNode', { has: this.page.locator('.theia-TreeNodeSegment', { hasText: new RegExp(`^${escape(name)}$`) }) }).first();
    }

    async waitForNode(name: string): Promise<Locator> {
        const node = this.node(name);
        await node.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return node;
    }

    async select(name: string): Promise<void> {
        await (await this.waitForNode(name)).click();
    }

    /** "File: New Folder...": in the selected folder, or at the workspace's root when nothing is selected. */
    async newFolder(workbench: Workbench, name: string): Promise<void> {
        await workbench.runCommand('File: New Folder...');
        await new NameDialog(this.page).enter(name);
    }

    /** "File: New File...": in the selected folder; the file opens in an editor. */
    async newFile(workbench: Workbench, name: string): Promise<EditorPage> {
        await workbench.runCommand('File: New File...');
        await new NameDialog(this.page).enter(name);
        return new EditorPage(this.page, name);
    }

    /** Uploads a file from the computer into a folder: the folder selected, then "Upload Files…" and the browser's file chooser. */
    async uploadFile(workbench: Workbench, folder: string, fileName: string, content: string | Buffer): Promise<void> {
        await this.select(folder);
        const chooser = this.page.waitForEvent('filechooser', { timeout: UI_TIMEOUT });
        await workbench.runCommand('File: Upload Files...');
        await (await chooser).setFiles({ name: fileName, mimeType: 'application/octet-stream', buffer: Buffer.from(content) });
    }

    /** Opens a folder's children in the tree (its chevron), once. */
    async expand(name: string): Promise<void> {
        const toggle = (await this.waitForNode(name)).locator('.theia-ExpansionToggle');
        if (await toggle.evaluate(element => element.classList.contains('theia-mod-collapsed'))) {
            await toggle.click();
        }
    }

    /** Opens a file in an editor (a double-click, as a person does). */
    async open(name: string): Promise<void> {
        await (await this.waitForNode(name)).dblclick();
    }
}

/** The editor of a file, found by its tab. */
export class EditorPage {
    constructor(readonly page: Page, readonly fileName: string) { }

    get tab(): Locator {
        return this.page.locator('#theia-main-content-panel .lm-TabBar-tab', { hasText: this.fileName }).first();
    }

    get text(): Locator {
        return this.page.locator('#theia-main-content-panel .theia-editor:visible .view-lines');
    }

    async waitForText(text: string): Promise<void> {
        await this.page.locator('#theia-main-content-panel .theia-editor:visible .view-lines', { hasText: text }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    /** Types at the end of the file and saves. */
    async appendAndSave(text: string): Promise<void> {
        await this.tab.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await this.page.locator('#theia-main-content-panel .theia-editor:visible .view-lines').click();
        await this.page.keyboard.press('Control+End');
        await this.page.keyboard.type(text);
        await this.page.keyboard.press('Control+S');
        await this.tab.locator('.theia-mod-dirty').waitFor({ state: 'detached', timeout: UI_TIMEOUT }).catch(() => undefined);
        await this.page.waitForFunction(name => !Array.from(document.querySelectorAll('#theia-main-content-panel .lm-TabBar-tab.theia-mod-dirty'))
            .some(tab => tab.textContent?.includes(name)), this.fileName, { timeout: UI_TIMEOUT });
    }
}

function escape(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
