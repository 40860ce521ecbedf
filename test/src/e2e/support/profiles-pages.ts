import { Locator, Page } from 'playwright-core';
import { DialogPage, UI_TIMEOUT, UsersView, Workbench } from './workbench';

/** Whether the palette offers a command to this session (commands a profile may not use are hidden). */
export async function paletteOffers(workbench: Workbench, label: string): Promise<boolean> {
    const page = workbench.page;
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill(`>${label}`);
    // The list settles right after typing; give it a moment, bounded.
    await page.waitForTimeout(300);
    const offered = await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).count() > 0;
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    return offered;
}

/** Ctrl-click adds rows to the selection, as a person selects several users. */
export async function selectUsers(users: UsersView, emails: readonly string[]): Promise<void> {
    await users.select(emails[0]);
    for (const email of emails.slice(1)) {
        await users.row(email).click({ modifiers: ['Control'] });
    }
}

/** Right-click a row and pick an entry of the Users view's context menu. */
export async function contextMenu(users: UsersView, email: string, entry: string): Promise<void> {
    await users.row(email).click({ button: 'right' });
    const item = users.workbench.page.locator('.lm-Menu .lm-Menu-itemLabel', { hasText: entry });
    await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await item.click();
}

export async function contextMenuEntries(users: UsersView, email: string): Promise<string[]> {
    const page = users.workbench.page;
    await users.row(email).click({ button: 'right' });
    return menuEntriesThenClose(page);
}

/** The entries of the open context menu (separators and hidden items left out); the menu is then closed. */
export async function menuEntriesThenClose(page: Page): Promise<string[]> {
    await page.locator('.lm-Menu').waitFor({ state: 'visible', timeout: UI_TIMEOUT }).catch(() => undefined);
    const entries = await page.locator('.lm-Menu .lm-Menu-item:not(.lm-mod-hidden):not(.lm-mod-collapsed) .lm-Menu-itemLabel').allInnerTexts();
    await page.keyboard.press('Escape');
    return entries.filter(entry => entry !== '');
}

export class ChangeProfileDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-change-profile-dialog');
    }

    async choose(profile: 'Member' | 'Administrator'): Promise<void> {
        await this.root.locator('select.vouch-users-new-profile').selectOption({ label: profile });
    }

    get notAffected(): Locator {
        return this.root.locator('.vouch-users-skipped li');
    }

    /** The profile the dialog proposes now. */
    async proposedProfile(): Promise<string> {
        const select = this.root.locator('select.vouch-users-new-profile');
        await select.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return select.evaluate(element => (element as HTMLSelectElement).selectedOptions[0]?.text ?? '');
    }

    /** What the dialog says will happen, e.g. "One user will become Administrator." */
    get affected(): Promise<string> {
        return this.root.locator('.vouch-users-affected').innerText({ timeout: UI_TIMEOUT });
    }
}

export class RevokeDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-revoke-dialog');
    }

    get text(): Promise<string> {
        return this.root.locator('.vouch-users-dialog').innerText({ timeout: UI_TIMEOUT });
    }
}
