import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';
import { toVouchSchemeLink } from '@vouch/protocol';
import { openDevice, parseStoredDevice } from '@vouch/core/lib/common/device-file';
import { GreetingDialog } from './greeting';
import { EditorPage, Explorer, NameDialog, WorkspacesView } from './workspaces-pages';
import { CreateOrganizationDialog, DialogPage, NewOrganizationForm, UI_TIMEOUT, UnlockDialog, UsersView, Workbench } from './workbench';

/**
 * The desktop scenarios, written once: run in Chromium on the bundled frontend
 * (test/src/e2e/desktop.e2e-spec.ts) and in Electron on the whole app (test/src/electron).
 */
export interface DesktopWindow {
    readonly page: Page;
    readonly workbench: Workbench;
    /** The user's config folder of this desktop (settings, and Vouch's files under `vouch/`). */
    readonly configDir: string;
}

export const DESKTOP_ADMIN: NewOrganizationForm = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'Alice desktop', password: 'correct horse battery' };
export const SECOND_DESKTOP = { deviceLabel: 'Alice second desktop', password: 'second desktop pw' };

export function firstRunQuestion(page: Page): DialogPage {
    return new DialogPage(page, 'vouch-desktop-server-dialog');
}

/** The device file holds the sealed device only: no private key, no password, in clear; readable by the user only. */
export async function expectOnlyCiphertext(configDir: string, password: string): Promise<void> {
    const file = path.join(configDir, 'vouch', 'vouch.devices.json');
    const text = fs.readFileSync(file, 'utf8');
    const stored = parseStoredDevice(JSON.parse(text).records.current);
    if (!stored.ok) {
        throw new Error(`not a sealed device: ${text}`);
    }
    const opened = await openDevice(stored.value, password);
    if (!opened.ok) {
        throw new Error(`the device file does not open with its password: ${opened.error}`);
    }
    for (const secret of [opened.value.deviceSigningKey, opened.value.userPrivateKey, password]) {
        expect(text).to.not.include(secret);
    }
    if (process.platform !== 'win32') {
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    }
}

/** The workspaces' local cache, the one thing of Vouch's the desktop keeps in the page's storage (IndexedDB, ciphertext only). */
const WORKSPACE_CACHE_PREFIX = 'vouch-workspaces-';

/** Nothing of Vouch's in the page's own storage but the workspaces' cache: no device, no key. */
export async function expectNothingInPageStorage(page: Page): Promise<void> {
    const names = await page.evaluate(async () => (await indexedDB.databases()).map(database => database.name ?? ''));
    expect(names.filter(name => name.startsWith('vouch') && !name.startsWith(WORKSPACE_CACHE_PREFIX))).to.deep.equal([]);
}

/**
 * The workspaces' cache in the page's IndexedDB holds entries, and none of them holds any of
 * the texts (file names, contents) in clear, as UTF-8 bytes or as a string.
 */
export async function expectWorkspaceCacheWithout(page: Page, texts: string[]): Promise<void> {
    const found = await page.evaluate(async ({ prefix, needles }) => {
        const encoded = needles.map(needle => new TextEncoder().encode(needle));
        const holds = (bytes: Uint8Array, needle: Uint8Array): boolean => {
            outer: for (let start = 0; start + needle.length <= bytes.length; start++) {
                for (let index = 0; index < needle.length; index++) {
                    if (bytes[start + index] !== needle[index]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        };
        const leaks: string[] = [];
        const visit = (value: unknown, depth: number): void => {
            if (depth > 8 || value === null || value === undefined) {
                return;
            }
            if (typeof value === 'string') {
                needles.filter(needle => value.includes(needle)).forEach(needle => leaks.push(needle));
            } else if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
                const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
                encoded.forEach((needle, index) => holds(bytes, needle) && leaks.push(needles[index]));
            } else if (typeof value === 'object') {
                Object.values(value as object).forEach(inner => visit(inner, depth + 1));
            }
        };
        const request = <T>(req: IDBRequest<T>): Promise<T> => new Promise((resolve, reject) => {
            req.onsuccess = () => resolve(req.result);
            req.onerror = () => reject(req.error);
        });
        let entries = 0;
        for (const { name } of await indexedDB.databases()) {
            if (!name?.startsWith(prefix)) {
                continue;
            }
            const database = await request(indexedDB.open(name));
            try {
                for (const store of Array.from(database.objectStoreNames)) {
                    const values = await request(database.transaction(store, 'readonly').objectStore(store).getAll());
                    entries += values.length;
                    values.forEach(value => visit(value, 0));
                }
            } finally {
                database.close();
            }
        }
        return { entries, leaks };
    }, { prefix: WORKSPACE_CACHE_PREFIX, needles: texts });
    expect(found.leaks).to.deep.equal([]);
    expect(found.entries).to.be.greaterThan(0);
}

/** First run: the question refuses what is no address, takes the bootstrap link, and the person creates the organization. */
export async function bootstrapFromFirstRun(window: DesktopWindow, server: { readonly url: string; readonly bootstrapLink: string }, organizationId: string): Promise<void> {
    const question = firstRunQuestion(window.page);
    await question.waitForOpen();
    await question.root.locator('#vouch-desktop-server').fill('not an address!');
    await question.waitForError('This is not a server address');
    // The server's address: remembered, and nothing else happens until a link comes.
    await question.root.locator('#vouch-desktop-server').fill(server.url);
    await question.accept();
    await question.waitForClosed();
    expect(JSON.parse(fs.readFileSync(path.join(window.configDir, 'settings.json'), 'utf8'))['vouch.server.url']).to.equal(server.url);
    // Asked again from the palette, it takes the link the server printed.
    await window.workbench.runCommand('Vouch: Connect to an Organization Server…');
    await question.waitForOpen();
    await question.root.locator('#vouch-desktop-server').fill(server.bootstrapLink);
    await question.accept();
    await question.waitForClosed();

    const create = new CreateOrganizationDialog(window.page);
    await create.waitForOpen();
    await create.fill(DESKTOP_ADMIN);
    await create.accept();
    await create.waitForClosed();
    await window.workbench.waitForSessionStatus(`${organizationId}: connected`);

    const settings = JSON.parse(fs.readFileSync(path.join(window.configDir, 'settings.json'), 'utf8'));
    expect(settings['vouch.server.url']).to.equal(server.url);
    await expectOnlyCiphertext(window.configDir, DESKTOP_ADMIN.password);
    await expectNothingInPageStorage(window.page);

    const users = new UsersView(window.workbench);
    await users.open();
    expect(await users.rowFor(DESKTOP_ADMIN.email)).to.deep.include({ name: DESKTOP_ADMIN.name, profile: 'Administrator' });
}

/** "Vouch: Add a Device" on the first desktop: the link, as the operating system hands it to the app (`vouch://…`). */
export async function addDeviceSystemLink(first: DesktopWindow): Promise<string> {
    await first.workbench.runCommand('Vouch: Add a Device');
    const notice = first.workbench.notification('Open this link on the new device');
    await notice.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const link = /https?:\/\/\S+vouch-action=claim\S+/.exec(await notice.innerText())![0];
    const systemLink = toVouchSchemeLink(link)!;
    expect(systemLink.startsWith('vouch://')).to.equal(true);
    return systemLink;
}

/** The second desktop opened the link: both read their codes, the first confirms, the second connects as the same user. */
export async function greetSecondDesktop(first: DesktopWindow, second: DesktopWindow, organizationId: string): Promise<void> {
    const guest = new GreetingDialog(second.page, 'guest');
    await guest.waitForOpen();
    await guest.waitForText(`new device of ${DESKTOP_ADMIN.email}`);
    await first.workbench.clickNotificationAction('Your new device is waiting to be greeted', 'Greet');
    const host = new GreetingDialog(first.page, 'host');
    await host.waitForOpen();
    await guest.pick(await host.ownCode());
    await host.pick(await guest.ownCode());
    await guest.sendDetails(SECOND_DESKTOP);
    await host.confirmDevice();
    await host.waitForText('The new device is enrolled.');
    await host.close();

    await guest.waitForClosed();
    await second.workbench.waitForSessionStatus(`${organizationId}: connected`);
    await expectOnlyCiphertext(second.configDir, SECOND_DESKTOP.password);
    await expectNothingInPageStorage(second.page);
}

/** First run, alone: the app runs a server of its own on this computer, and the person creates its organization. */
export async function tryAloneFromFirstRun(window: DesktopWindow): Promise<void> {
    const question = firstRunQuestion(window.page);
    await question.waitForOpen();
    await question.root.locator('.dialogControl button.vouch-desktop-try-locally').click({ timeout: UI_TIMEOUT });
    await question.waitForClosed();

    const create = new CreateOrganizationDialog(window.page);
    await create.waitForOpen();
    await create.fill(DESKTOP_ADMIN);
    await create.accept();
    await create.waitForClosed();
    await window.workbench.waitForSessionStatus('MyOrganization: connected');

    const settings = JSON.parse(fs.readFileSync(path.join(window.configDir, 'settings.json'), 'utf8'));
    expect(settings['vouch.server.url']).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(path.join(window.configDir, 'vouch', 'trial', 'vouch.sqlite'))).to.equal(true);
    await expectOnlyCiphertext(window.configDir, DESKTOP_ADMIN.password);
}

/** The window loads again (as at the next start): the device is read back from its file and opens with its password. */
export async function reloadAndUnlock(window: DesktopWindow, organizationId: string, password: string): Promise<void> {
    await window.workbench.reload();
    const unlock = new UnlockDialog(window.page);
    await unlock.waitForOpen();
    await unlock.unlockWith(password);
    await unlock.waitForClosed();
    await window.workbench.waitForSessionStatus(`${organizationId}: connected`);
}

/**
 * The first desktop creates a workspace and opens it, makes a folder and a file in the
 * Explorer and types in it; the second desktop of the same user opens the same workspace from
 * its Workspaces view and reads the file. Each keeps the workspace's cache in its page's
 * IndexedDB, in ciphertext only.
 */
export async function workspaceOnTwoDesktops(first: DesktopWindow, second: DesktopWindow): Promise<void> {
    const workspace = 'Desk Plans';
    const text = 'Written on the first desktop';
    await first.workbench.runCommand('Vouch: Create Workspace');
    await new NameDialog(first.page).enter(workspace);
    // Created, then opened: the Explorer shows it under its name.
    const firstFiles = new Explorer(first.page);
    await firstFiles.waitForRoot(workspace);
    // Nothing selected in the Explorer: the new folder goes to the workspace's root.
    await firstFiles.newFolder(first.workbench, 'plans');
    await firstFiles.select('plans');
    const editor = await firstFiles.newFile(first.workbench, 'draft.txt');
    await editor.appendAndSave(text);

    await new WorkspacesView(second.workbench).openWorkspace(workspace);
    const secondFiles = new Explorer(second.page);
    await secondFiles.expand('plans');
    await secondFiles.open('draft.txt');
    await new EditorPage(second.page, 'draft.txt').waitForText(text);


    for (const window of [first, second]) {
        await expectWorkspaceCacheWithout(window.page, [text, 'draft.txt', 'plans', workspace]);
        await expectNothingInPageStorage(window.page);
    }
}
