import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { _electron as electron, ElectronApplication } from 'playwright-core';
import { ELECTRON_APP_DIR, OrganizationServer, startOrganizationServer } from '../e2e/support/desktop-app';
import { addDeviceSystemLink, bootstrapFromFirstRun, DESKTOP_ADMIN, DesktopWindow, greetSecondDesktop, reloadAndUnlock, tryAloneFromFirstRun, workspaceOnTwoDesktops } from '../e2e/support/desktop-scenarios';
import { UI_TIMEOUT, Workbench } from '../e2e/support/workbench';
import { findElectronBinary } from './electron-binary';

/**
 * The desktop scenarios of the end-to-end suite, in Electron itself (Playwright's Electron
 * launcher, as Theia's own suite drives its Electron example): the whole app, its main process
 * forking the backend, its window loading the frontend with the preload; the second desktop is
 * started by the link as the operating system does it (`--open-url vouch://…`).
 */
describe('the desktop app in Electron against a separate organization server', function () {
    this.timeout(240_000);

    let server: OrganizationServer | undefined;
    const apps: ElectronApplication[] = [];
    const scratches: string[] = [];
    let first: DesktopWindow;
    let second: DesktopWindow;

    before(async () => {
        server = await startOrganizationServer('Desk');
    });

    after(async () => {
        for (const app of apps) {
            await app.close().catch(() => undefined);
        }
        await server?.process.stop();
        for (const scratch of scratches) {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });

    /** One desktop: its own config folder and Electron profile, so two run side by side (the app is single-instance per profile). */
    async function launch(extraArgs: string[] = []): Promise<DesktopWindow> {
        const found = findElectronBinary();
        if ('missing' in found) {
            throw new Error(found.missing);
        }
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-electron-'));
        scratches.push(scratch);
        const configDir = path.join(scratch, 'config');
        fs.mkdirSync(configDir);
        const app = await electron.launch({
            executablePath: found.path,
            args: [ELECTRON_APP_DIR, '--no-sandbox', `--user-data-dir=${path.join(scratch, 'profile')}`, ...extraArgs],
            cwd: ELECTRON_APP_DIR,
            env: { ...process.env, THEIA_CONFIG_DIR: configDir } as Record<string, string>,
            timeout: UI_TIMEOUT * 3
        });
        apps.push(app);
        const page = await app.firstWindow({ timeout: UI_TIMEOUT * 3 });
        const workbench = new Workbench(page);
        await workbench.waitForShell();
        return { page, workbench, configDir };
    }

    it('asks for the server on first run and keeps it, takes the bootstrap link and creates the organization; the device lands in a file and opens again after a reload', async () => {
        first = await launch();
        await bootstrapFromFirstRun(first, server!, 'Desk');
        await reloadAndUnlock(first, 'Desk', DESKTOP_ADMIN.password);
    });

    it('greets a second desktop of the same user, started by the system with the vouch:// link', async () => {
        const systemLink = await addDeviceSystemLink(first);
        second = await launch(['--open-url', systemLink]);
        await greetSecondDesktop(first, second, 'Desk');
    });

    it('opens a workspace: the first desktop creates it and writes a file in a folder, the second opens it and reads the file', async () => {
        await workspaceOnTwoDesktops(first, second);
    });

    it('offers a one-person trial on a server of its own on this computer', async () => {
        await tryAloneFromFirstRun(await launch());
    });
});
