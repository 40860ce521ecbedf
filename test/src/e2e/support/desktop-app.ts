import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from './app-process';

import { UI_TIMEOUT, Workbench } from './workbench';

/** The desktop app's bundle (`npm run build -w @vouch/electron-app`). */
export const ELECTRON_APP_DIR = path.resolve(__dirname, '../../../../electron-app');
const BACKEND_DIR = path.resolve(__dirname, '../../../../backend');

/** A process of our own, in its own process group, with what it printed. */
export class ChildServer {
    protected text = '';

    constructor(protected readonly child: ChildProcess, readonly scratch: string) {
        child.stdout!.on('data', chunk => this.text += chunk);
        child.stderr!.on('data', chunk => this.text += chunk);
    }

    output(): string {
        return this.text;
    }

    async waitForOutput(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
        const deadline = Date.now() + timeoutMs;
        for (; ;) {
            const found = pattern.exec(this.text);
            if (found) {
                return found;
            }
            if (this.child.exitCode !== null) {
                throw new Error(`exited with code ${this.child.exitCode} before printing ${pattern}:\n${this.text}`);
            }
            if (Date.now() > deadline) {
                throw new Error(`timed out waiting for ${pattern}:\n${this.text}`);
            }
            await new Promise(resolve => setTimeout(resolve, 100));
        }
    }

    async stop(): Promise<void> {
        const child = this.child;
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
            const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
            signalGroup(child.pid, 'SIGTERM');
            const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 5_000);
            await exited;
            clearTimeout(timer);
        }
        fs.rmSync(this.scratch, { recursive: true, force: true });
    }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // Already gone.
    }
}

function startChild(script: string, args: string[], cwd: string, env: Record<string, string>, scratch: string): ChildServer {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ChildServer(child, scratch);
}

/** A separate organization server (`vouch-server serve`) on SQLite, with one organization waiting for its first Administrator. */
export interface OrganizationServer {
    readonly url: string;
    readonly bootstrapLink: string;
    readonly process: ChildServer;
}

export async function startOrganizationServer(organization: string): Promise<OrganizationServer> {
    const port = await freePort();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-desktop-server-'));
    const server = startChild(path.join(BACKEND_DIR, 'bin', 'vouch-server.js'), ['serve'], scratch, {
        PORT: String(port), VOUCH_HOST: '127.0.0.1', VOUCH_DATA_DIR: scratch, VOUCH_ORGANIZATION: organization, VOUCH_PUBLIC_URL: ''
    }, scratch);
    try {
        const [, link] = await server.waitForOutput(/awaits its first administrator: (\S+)/);
        return { url: `http://127.0.0.1:${port}`, bootstrapLink: link, process: server };
    } catch (error) {
        await server.stop();
        throw error;
    }
}

/** The desktop app's backend (`lib/backend/main.js`), run by Node as Electron's main process would fork it, with a config folder of its own. */
export interface DesktopBackend {
    readonly port: number;
    /** The user's config folder (THEIA_CONFIG_DIR): settings, and Vouch's files under `vouch/`. */
    readonly configDir: string;
    /** What Electron's main process loads in its window: the bundled frontend from a file, told the backend's port. */
    readonly frontendUrl: string;
    readonly process: ChildServer;
}

export async function startDesktopBackend(): Promise<DesktopBackend> {
    const main = path.join(ELECTRON_APP_DIR, 'lib', 'backend', 'main.js');
    if (!fs.existsSync(main)) {
        throw new Error(`${main} is missing: run "npm run build -w @vouch/electron-app" first`);
    }
    const port = await freePort();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-desktop-'));
    const configDir = path.join(scratch, 'config');
    fs.mkdirSync(configDir);
    const backend = startChild(main, ['--hostname', '127.0.0.1', '--port', String(port)], ELECTRON_APP_DIR, { THEIA_CONFIG_DIR: configDir }, scratch);
    try {
        await backend.waitForOutput(/Theia app listening on/);
    } catch (error) {
        await backend.stop();
        throw error;
    }
    const frontendUrl = `${pathToFileURL(path.join(ELECTRON_APP_DIR, 'lib', 'frontend', 'index.html')).href}?port=${port}`;
    return { port, configDir, frontendUrl, process: backend };
}

/**
 * What Electron's main process answers the preload over IPC, for a window in Chromium: the
 * bundle's real preload runs on top of it (`require('electron')` gives this), so the workbench
 * gets Theia's real `electronTheiaCore`. Window chrome (menus, zoom, title bar) is answered as
 * a plain window; `OpenUrl` is how the operating system hands the app a `vouch://` link.
 */
function mainProcessStandIn(): void {
    type Listener = (event: unknown, ...args: unknown[]) => void;
    const listeners = new Map<string, Listener[]>();
    const replies = new Map<string, (value: unknown) => void>();
    const sender = {
        send(channel: string, value: unknown): void {
            replies.get(channel)?.(value);
            replies.delete(channel);
        }
    };
    const syncAnswers: Record<string, unknown> = {
        WebContentMetadata: 1, GetSecurityToken: '', IsMaximized: false, IsFullScreenable: true, IsFullScreen: false, ReadClipboard: ''
    };
    const invokeAnswers: Record<string, unknown> = { GetTitleStyleAtStartup: 'custom', GetZoomLevel: 0, OpenPopup: 1 };
    const ipcRenderer = {
        on(channel: string, listener: Listener) {
            listeners.set(channel, [...listeners.get(channel) ?? [], listener]);
            return ipcRenderer;
        },
        off(channel: string, listener: Listener) {
            listeners.set(channel, (listeners.get(channel) ?? []).filter(known => known !== listener));
            return ipcRenderer;
        },
        removeListener(channel: string, listener: Listener) {
            return ipcRenderer.off(channel, listener);
        },
        send(): void {
            // Window chrome the main process would apply; nothing to answer.
        },
        sendSync(channel: string): unknown {
            return syncAnswers[channel];
        },
        async invoke(channel: string): Promise<unknown> {
            return invokeAnswers[channel];
        }
    };
    const electron = {
        ipcRenderer,
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => Object.assign(window, { [key]: api }) },
        webUtils: { getPathForFile: () => '' }
    };
    let replyCount = 0;
    Object.assign(window, {
        vouchElectronStandIn: {
            require(name: string): unknown {
                if (name === 'electron') {
                    return electron;
                }
                throw new Error(`The preload asked for ${name}`);
            },
            /** As Electron's main process does for an address the operating system hands over: the window's answer, true when taken. */
            openUrl(url: string): Promise<unknown> {
                const replyChannel = `openUrl${replyCount++}`;
                const answered = new Promise(resolve => replies.set(replyChannel, resolve));
                for (const listener of listeners.get('OpenUrl') ?? []) {
                    listener({ sender }, url, replyChannel);
                }
                return answered;
            }
        }
    });
}

/** A desktop window: a Chromium profile of its own, running the bundle's preload, on the backend's frontend. */
export async function openDesktopWindow(browser: Browser, backend: DesktopBackend): Promise<{ context: BrowserContext; page: Page; workbench: Workbench }> {
    const preload = fs.readFileSync(path.join(ELECTRON_APP_DIR, 'lib', 'frontend', 'preload.js'), 'utf8');
    const context = await browser.newContext();
    await context.addInitScript({
        content: `if (window.top === window) {\n(${mainProcessStandIn.toString()})();\n` +
            `(function (require, process) {\n${preload}\n})(window.vouchElectronStandIn.require, { env: {}, platform: 'linux' });\n}`
    });
    // Electron lets a window loaded from a file reach its own backend on localhost (Theia's
    // Socket.IO starts with HTTP long-polling); Chromium applies CORS to a file:// page. Only
    // the answers of this window's own backend get the header Electron makes unnecessary.
    await context.route(`http://localhost:${backend.port}/**`, async route => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'access-control-allow-origin': '*' } });
    });
    const page = await context.newPage();
    const workbench = new Workbench(page);
    await page.goto(backend.frontendUrl, { timeout: UI_TIMEOUT });
    await workbench.waitForShell();
    return { context, page, workbench };
}

/** Hands a link to the window as the operating system does with a `vouch://` address; true when the window took it. */
export async function openUrlFromSystem(page: Page, url: string): Promise<boolean> {
    return page.evaluate(address => (window as unknown as { vouchElectronStandIn: { openUrl(url: string): Promise<boolean> } }).vouchElectronStandIn.openUrl(address), url);
}

export const DESKTOP_CHROMIUM_ARGS = ['--allow-file-access-from-files'];

