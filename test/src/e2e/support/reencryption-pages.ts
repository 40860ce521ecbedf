import { Locator, Page } from 'playwright-core';
import { UI_TIMEOUT } from './workbench';

/** The quick pick of workspaces to re-encrypt now: a multi-selection, every one ticked at first. */
export class ReencryptionPick {
    constructor(readonly page: Page) { }

    row(name: string): Locator {
        return this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name });
    }

    async waitForOpen(): Promise<void> {
        await this.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Choose the workspaces to re-encrypt now' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    /** Unticks a workspace (it keeps its marker, for later). */
    async untick(name: string): Promise<void> {
        const box = this.row(name).locator('input[type="checkbox"], .monaco-checkbox, .quick-input-list-checkbox').first();
        await box.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await box.click();
    }

    async accept(): Promise<void> {
        await this.page.locator('.quick-input-widget .quick-input-box input').press('Enter');
        await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    }
}

/** The badge on the Workspaces view's tab in the side bar. */
export function workspacesBadge(page: Page): Locator {
    return page.locator('.theia-app-left .lm-TabBar-tab[id$="vouch-workspaces"] .theia-badge-decorator-sidebar, #shell-tab-vouch-workspaces .theia-badge-decorator-sidebar');
}
