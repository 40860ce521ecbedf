import { expect } from 'chai';
import { Browser } from 'playwright-core';
import { launchChromium } from './support/chromium';
import {
    DESKTOP_CHROMIUM_ARGS, DesktopBackend, openDesktopWindow, openUrlFromSystem, OrganizationServer, startDesktopBackend, startOrganizationServer
} from './support/desktop-app';
import { addDeviceSystemLink, bootstrapFromFirstRun, DESKTOP_ADMIN, DesktopWindow, firstRunQuestion, greetSecondDesktop, reloadAndUnlock, tryAloneFromFirstRun, workspaceOnTwoDesktops } from './support/desktop-scenarios';

/**
 * The desktop app as a new user meets it, against a separate organization server: its bundled
 * backend runs under Node (as Electron's main process forks it), its bundled frontend loads from
 * a file with the bundle's own preload, in Chromium (no Electron binary can be had here;
 * `npm run test:electron` runs the same scenarios in Electron where there is one). The first
 * run asks for the server; a bootstrap link answers it; a second desktop receives the Add a
 * Device link from the operating system as `vouch://…` and is greeted; each keeps its device in
 * a file of its config folder that holds only ciphertext, and nothing in the page's storage.
 */
describe('the desktop app against a separate organization server', function () {
    this.timeout(180_000);

    let server: OrganizationServer | undefined;
    const backends: DesktopBackend[] = [];
    let browser: Browser | undefined;
    let first: DesktopWindow;
    let second: DesktopWindow;

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

    async function desktop(): Promise<DesktopWindow> {
        const backend = await startDesktopBackend();
        backends.push(backend);
        const window = await openDesktopWindow(browser!, backend);
        return { page: window.page, workbench: window.workbench, configDir: backend.configDir };
    }

    it('asks for the server on first run and keeps it, takes the bootstrap link and creates the organization; the device lands in a file and opens again after a reload', async () => {
        first = await desktop();
        await bootstrapFromFirstRun(first, server!, 'Desk');
        await reloadAndUnlock(first, 'Desk', DESKTOP_ADMIN.password);
    });

    it('greets a second desktop of the same user, which receives the link from the system as vouch://', async () => {
        const systemLink = await addDeviceSystemLink(first);
        second = await desktop();
        const question = firstRunQuestion(second.page);
        await question.waitForOpen();
        expect(await openUrlFromSystem(second.page, systemLink)).to.equal(true);
        // The link named the server: the question is answered.
        await question.waitForClosed();
        await greetSecondDesktop(first, second, 'Desk');
    });

    it('opens a workspace: the first desktop creates it and writes a file in a folder, the second opens it and reads the file', async () => {
        await workspaceOnTwoDesktops(first, second);
    });

    it('offers a one-person trial on a server of its own on this computer', async () => {
        await tryAloneFromFirstRun(await desktop());
    });
});
