import { Locator, Page } from 'playwright-core';

/** Every wait in the e2e suite is bounded by this (ms); only a failure waits this long. */
export const UI_TIMEOUT = 30_000;
/** Loading the workbench's bundle: the slowest step on a loaded 2-core machine (CI ran it at a load average of 10). */
export const LOAD_TIMEOUT = 60_000;

/** The Theia workbench as a person sees it: shell, command palette, notifications, status bar. */
export class Workbench {
    constructor(readonly page: Page) { }

    async open(url: string): Promise<void> {
        await this.page.goto(url, { timeout: LOAD_TIMEOUT });
        await this.waitForShell();
    }

    async reload(): Promise<void> {
        await this.page.reload({ timeout: LOAD_TIMEOUT });
        await this.waitForShell();
    }

    async waitForShell(): Promise<void> {
        await this.page.locator('#theia-app-shell').waitFor({ state: 'visible', timeout: LOAD_TIMEOUT });
    }

    /** Runs a command by its palette label, e.g. "Vouch: Show Users". */
    async runCommand(label: string): Promise<void> {
        const input = await this.openPalette();
        await input.fill(`>${label}`);
        await this.paletteItem(label).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await input.press('Enter');
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    }

    /**
     * Whether the palette offers a command. A command that is always offered shows the list
     * answers first; once the list has changed to the label's filter, what it shows is the answer.
     */
    async paletteOffers(label: string, alwaysOffered = 'Vouch: Show Users'): Promise<boolean> {
        const input = await this.openPalette();
        await input.fill(`>${alwaysOffered}`);
        await this.paletteItem(alwaysOffered).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await input.fill(`>${label}`);
        await this.paletteItem(alwaysOffered).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        const offered = await this.paletteItem(label).isVisible();
        await input.press('Escape');
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
        return offered;
    }

    protected async openPalette(): Promise<Locator> {
        const input = this.page.locator('.quick-input-widget .quick-input-box input');
        // Right after a reload or a closing dialog, a first F1 can land before the keybindings
        // listen: ask again, a bounded number of times, before giving up.
        for (let attempt = 0; attempt < 3 && !await input.isVisible(); attempt++) {
            await this.page.keyboard.press('F1');
            await input.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
        }
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return input;
    }

    protected paletteItem(label: string): Locator {
        return this.page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    }

    notification(text: string): Locator {
        return this.page.locator('.theia-notification-toasts .theia-notification-list-item', { hasText: text });
    }

    async clickNotificationAction(text: string, action: string): Promise<void> {
        const button = this.notification(text).locator('button', { hasText: action });
        await button.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await button.click();
    }

    /** The Vouch session entry of the status bar. */
    get sessionStatus(): Locator {
        return this.page.locator('#theia-statusBar .vouch-session-status');
    }

    async waitForSessionStatus(text: string): Promise<void> {
        await this.page.locator('#theia-statusBar .vouch-session-status', { hasText: text }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }
}

/** A Theia dialog found by the class its widget adds. */
export class DialogPage {
    readonly root: Locator;

    /** Found by the class its widget adds, or by a locator of its own (Theia's own dialogs). */
    constructor(readonly page: Page, className: string, root?: Locator) {
        this.root = root ?? page.locator(`.${className}`);
    }

    async waitForOpen(): Promise<void> {
        await this.root.locator('.dialogBlock').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async waitForClosed(): Promise<void> {
        await this.root.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    }

    async accept(): Promise<void> {
        const button = this.root.locator('.dialogControl button.main');
        await button.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await this.page.waitForFunction(element => !(element as HTMLButtonElement).disabled, await button.elementHandle(), { timeout: UI_TIMEOUT });
        await button.click();
    }

    async waitForError(text: string): Promise<void> {
        await this.root.locator('.dialogControl .error', { hasText: text }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    /** The id (or, without one, the class) of the element that has the keyboard focus. */
    async focusedElement(): Promise<string> {
        return this.page.evaluate(() => {
            const active = document.activeElement as HTMLElement | null;
            return active?.id || active?.className || '';
        });
    }
}

/** Theia's save dialog: a folder tree and a file name field. */
export class SaveFileDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'dialogOverlay', page.locator('.dialogOverlay', { has: page.locator('.theia-FileNameTextField') }));
    }

    get fileName(): Locator {
        return this.root.locator('.theia-FileNameTextField');
    }
}

export interface NewOrganizationForm {
    readonly name: string;
    readonly email: string;
    readonly deviceLabel: string;
    readonly password: string;
}

export class CreateOrganizationDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-create-organization-dialog');
    }

    async fill(form: NewOrganizationForm): Promise<void> {
        await this.root.locator('#vouch-bootstrap-name').fill(form.name);
        await this.root.locator('#vouch-bootstrap-email').fill(form.email);
        await this.root.locator('#vouch-bootstrap-device-label').fill(form.deviceLabel);
        await this.root.locator('#vouch-bootstrap-password').fill(form.password);
        await this.root.locator('#vouch-bootstrap-password-confirmation').fill(form.password);
    }
}

/** From a fresh app's offer to a connected first Administrator, as a person does it. */
export async function createOrganizationFromOffer(workbench: Workbench, form: NewOrganizationForm, organizationId = 'MyOrganization'): Promise<void> {
    await workbench.clickNotificationAction('waiting for its first Administrator', 'Create Organization');
    const create = new CreateOrganizationDialog(workbench.page);
    await create.waitForOpen();
    await create.fill(form);
    await create.accept();
    await create.waitForClosed();
    await workbench.waitForSessionStatus(`${organizationId}: connected`);
}

export class UnlockDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-unlock-dialog');
    }

    async unlockWith(password: string): Promise<void> {
        await this.root.locator('#vouch-unlock-password').fill(password);
        await this.accept();
    }
}

export interface UserRowText {
    readonly name: string;
    readonly email: string;
    readonly profile: string;
    readonly status: string;
}

/** The Users view in the left side bar. */
export class UsersView {
    readonly root: Locator;

    constructor(readonly workbench: Workbench) {
        this.root = workbench.page.locator('#vouch-users');
    }

    async open(): Promise<void> {
        await this.workbench.runCommand('Vouch: Show Users');
        await this.root.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async filter(text: string): Promise<void> {
        await this.root.locator('.vouch-users-filter').fill(text);
    }

    async waitForNoMatch(): Promise<void> {
        await this.root.locator('.vouch-users-empty').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async select(email: string): Promise<void> {
        await this.row(email).click();
    }

    async isSelected(email: string): Promise<boolean> {
        return (await this.row(email).getAttribute('aria-selected', { timeout: UI_TIMEOUT })) === 'true';
    }

    row(text: string): Locator {
        return this.root.locator('.vouch-users-row', { hasText: text });
    }

    /** The list with the keyboard focus, as after a click on a row or Tab. */
    get grid(): Locator {
        return this.root.locator('[role="grid"]');
    }

    /** Presses keys on the list, e.g. "Shift+ArrowDown". */
    async press(...keys: string[]): Promise<void> {
        for (const key of keys) {
            await this.grid.press(key);
        }
    }

    /** The positions of the selected rows in the list, from 0. */
    async selectedPositions(): Promise<number[]> {
        return this.root.locator('.vouch-users-row').evaluateAll(rows => rows.flatMap((row, index) => row.getAttribute('aria-selected') === 'true' ? [index] : []));
    }

    /** The email of the row at a position. */
    async emailAt(position: number): Promise<string> {
        return this.root.locator('.vouch-users-row').nth(position).locator('.vouch-users-email').innerText({ timeout: UI_TIMEOUT });
    }

    /** A button of the view's toolbar (in the side bar's title), by its toolbar item id. */
    toolbarItem(id: string): Locator {
        return this.workbench.page.locator(`#theia-left-content-panel .theia-sidepanel-toolbar [id="${id}"]`);
    }

    async rowFor(email: string): Promise<UserRowText> {
        const row = this.row(email);
        await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const cell = (name: string) => row.locator(`.vouch-users-${name}`).innerText({ timeout: UI_TIMEOUT });
        return { name: await cell('name'), email: await cell('email'), profile: await cell('profile'), status: await cell('status') };
    }
}
