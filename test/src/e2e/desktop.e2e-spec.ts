import { expect } from 'chai';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { toVouchSchemeLink } from '@vouch/protocol';
import { openDevice, parseStoredDevice } from '@vouch/core/lib/common/device-file';
import { launchChromium } from './support/chromium';
import {
    DESKTOP_CHROMIUM_ARGS, DesktopBackend, openDesktopWindow, openUrlFromSystem, OrganizationServer, startDesktopBackend, startOrganizationServer
} from './support/desktop-app';
import { GreetingDialog } from './support/greeting';
import { CreateOrganizationDialog, DialogPage, UI_TIMEOUT, UsersView, Workbench } from './support/workbench';

/**
 * The desktop app as a new user meets it, against a separate organization server: its bundled
 * backend runs under Node (as Electron's main process forks it), its bundled frontend loads from
 * a file with the bundle's own preload, in Chromium (no Electron binary can be had here;
 * `npm run test:electron` runs the app in Electron where there is one). The first run asks for
 * the server; a bootstrap link answers it; a second desktop receives the Add a Device link from
 * the operating system as `vouch://…` and is greeted; each keeps its device in a file of its
 * config folder that holds only ciphertext, and nothing in the page's storage.
 */
describe('the desktop app against a separate organization server', function () {
    this.timeout(180_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'Alice desktop', password: 'correct horse battery' };
    let server: OrganizationServer | undefined;
    const backends: DesktopBackend[] = [];
    let browser: Browser | undefined;
    let first: { page: Page; workbench: Workbench; backend: DesktopBackend };

    before(async () => {
        server = await startOrganizationServer('Desk');
        browser = await launchChromium(DESKTOP_CHROMIUM_ARGS);
    });

    after(async () => {
        await browser?.close().catch(() => undefined);
        for (const backend of backends) {
            await backend.process.stop();
        }
        await server?.process.stop();
    });

    async function desktop(): Promise<{ page: Page; workbench: Workbench; backend: DesktopBackend }> {
        const backend = await startDesktopBackend();
        backends.push(backend);
        const window = await openDesktopWindow(browser!, backend);
        return { ...window, backend };
    }

    function deviceFile(backend: DesktopBackend): string {
        return path.join(backend.configDir, 'vouch', 'vouch.devices.json');
    }

    /** The device file holds the sealed device only: no private key, no password, in clear. */
    async function expectOnlyCiphertext(backend: DesktopBackend, password: string): Promise<void> {
        const text = fs.readFileSync(deviceFile(backend), 'utf8');
        const stored = parseStoredDevice(JSON.parse(text).records.current);
        expect(stored.ok, text).to.equal(true);
        const opened = await openDevice(stored.ok ? stored.value : undefined!, password);
        expect(opened.ok).to.equal(true);
        const keys = opened.ok ? opened.value : undefined!;
        for (const secret of [keys.deviceSigningKey, keys.userPrivateKey, password]) {
            expect(text).to.not.include(secret);
        }
        expect(fs.statSync(deviceFile(backend)).mode & 0o777).to.equal(0o600);
    }

    async function pageStorageNames(page: Page): Promise<string[]> {
        return page.evaluate(async () => (await indexedDB.databases()).map(database => database.name ?? ''));
    }

    it('asks for the server on first run; a bootstrap link answers it and creates the organization; the device lands in a file', async () => {
        first = await desktop();
        const question = new DialogPage(first.page, 'vouch-desktop-server-dialog');
        await question.waitForOpen();
        await question.root.locator('#vouch-desktop-server').fill('not an address!');
        await question.waitForError('This is not a server address');
        await question.root.locator('#vouch-desktop-server').fill(server!.bootstrapLink);
        await question.accept();
        await question.waitForClosed();

        const create = new CreateOrganizationDialog(first.page);
        await create.waitForOpen();
        await create.fill(admin);
        await create.accept();
        await create.waitForClosed();
        await first.workbench.waitForSessionStatus('Desk: connected');

        const settings = JSON.parse(fs.readFileSync(path.join(first.backend.configDir, 'settings.json'), 'utf8'));
        expect(settings['vouch.server.url']).to.equal(server!.url);
        await expectOnlyCiphertext(first.backend, admin.password);
        expect(await pageStorageNames(first.page)).to.not.include.members(['vouch']);

        const users = new UsersView(first.workbench);
        await users.open();
        expect(await users.rowFor(admin.email)).to.deep.include({ name: admin.name, profile: 'Administrator' });
    });

    it('greets a second desktop of the same user, which receives the link from the system as vouch://', async () => {
        await first.workbench.runCommand('Vouch: Add a Device');
        const notice = first.workbench.notification('Open this link on the new device');
        await notice.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const link = /https?:\/\/\S+vouch-action=claim\S+/.exec(await notice.innerText())![0];
        const systemLink = toVouchSchemeLink(link)!;
        expect(systemLink.startsWith('vouch://')).to.equal(true);

        const second = await desktop();
        const question = new DialogPage(second.page, 'vouch-desktop-server-dialog');
        await question.waitForOpen();
        expect(await openUrlFromSystem(second.page, systemLink)).to.equal(true);
        // The link named the server: the question is answered.
        await question.waitForClosed();

        const guest = new GreetingDialog(second.page, 'guest');
        await guest.waitForOpen();
        await guest.waitForText('new device of alice@example.com');
        await first.workbench.clickNotificationAction('Your new device is waiting to be greeted', 'Greet');
        const host = new GreetingDialog(first.page, 'host');
        await host.waitForOpen();
        const hostCode = await host.ownCode();
        await guest.pick(hostCode);
        await host.pick(await guest.ownCode());
        await guest.sendDetails({ deviceLabel: 'Alice second desktop', password: 'second desktop pw' });
        await host.confirmDevice();
        await host.waitForText('The new device is enrolled.');
        await host.close();

        await guest.waitForClosed();
        await second.workbench.waitForSessionStatus('Desk: connected');
        await expectOnlyCiphertext(second.backend, 'second desktop pw');
        expect(await pageStorageNames(second.page)).to.not.include.members(['vouch']);
    });
});
