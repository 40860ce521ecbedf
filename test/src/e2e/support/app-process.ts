import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The built browser app (`npm run build -w @vouch/browser-app`). */
export const BROWSER_APP_DIR = path.resolve(__dirname, '../../../../browser-app');

export interface RunningApp {
    readonly url: string;
    readonly port: number;
    readonly dataDir: string;
    /** Everything the backend printed so far, for failure messages. */
    output(): string;
    /** Stops the backend but keeps its port and data, for `relaunch`. */
    halt(): Promise<void>;
    /** Starts the backend again on the same port with the same data. */
    relaunch(): Promise<void>;
    stop(): Promise<void>;
}

/** True when nothing listens on the port any more (the app left nothing behind). */
export async function portIsFree(port: number): Promise<boolean> {
    return new Promise<boolean>(resolve => {
        const server = net.createServer();
        server.once('error', () => resolve(false));
        server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
}

export async function freePort(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const address = server.address() as net.AddressInfo;
            server.close(() => resolve(address.port));
        });
    });
}

/** Printed by the embedded server once a fresh organization waits for its administrator. */
const FIRST_START_READY = /awaits its first administrator/;
/** On a restart the organization exists: Theia listening is enough, the client retries until the server answers. */
const RESTART_READY = /Theia app listening on/;

/**
 * Starts the browser app's backend on a free loopback port with fresh data and config folders,
 * in its own process group so `stop` ends it and anything it spawned.
 */
export async function startApp(options: {
    readyTimeoutMs?: number; /** Extra environment for the backend (e.g. VOUCH_SMTP_URL). */ env?: Record<string, string>;
    /** A port chosen beforehand (identity providers must know the app's address before it starts). */ port?: number;
    /** User preferences every browser of this app starts with (Theia's settings.json in the config folder). */ userSettings?: Record<string, unknown>;
} = {}): Promise<RunningApp> {
    const main = path.join(BROWSER_APP_DIR, 'lib', 'backend', 'main.js');
    if (!fs.existsSync(main)) {
        throw new Error(`${main} is missing: run "npx tsc -b extensions/core extensions/users && npm run build -w @vouch/browser-app" first`);
    }
    const port = options.port ?? await freePort();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-e2e-'));
    const dataDir = path.join(scratch, 'data');
    const configDir = path.join(scratch, 'theia-config');
    fs.mkdirSync(dataDir);
    fs.mkdirSync(configDir);
    if (options.userSettings) {
        fs.writeFileSync(path.join(configDir, 'settings.json'), JSON.stringify(options.userSettings, undefined, 2));
    }
    let output = '';
    let child: ChildProcess | undefined;

    const launch = async (expected: RegExp) => {
        const from = output.length;
        const started = spawn(process.execPath, [main, '--hostname', '127.0.0.1', '--port', String(port)], {
            cwd: BROWSER_APP_DIR,
            env: { ...process.env, PORT: String(port), VOUCH_DATA_DIR: dataDir, THEIA_CONFIG_DIR: configDir, VOUCH_PUBLIC_URL: '', ...options.env },
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe']
        });
        child = started;
        started.stdout!.on('data', chunk => output += chunk);
        started.stderr!.on('data', chunk => output += chunk);
        await waitFor(() => expected.test(output.slice(from)) || started.exitCode !== null, options.readyTimeoutMs ?? 30_000);
        if (started.exitCode !== null) {
            throw new Error(`The app exited with code ${started.exitCode}`);
        }
    };

    const app: RunningApp = {
        url: `http://127.0.0.1:${port}`,
        port,
        dataDir,
        output: () => output,
        halt: async () => {
            if (child) {
                await stopProcessGroup(child);
            }
        },
        relaunch: async () => {
            if (child) {
                await stopProcessGroup(child);
            }
            await launch(RESTART_READY);
        },
        stop: async () => {
            if (child) {
                await stopProcessGroup(child);
            }
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    };
    try {
        await launch(FIRST_START_READY);
    } catch (error) {
        await app.stop();
        throw new Error(`The app did not start: ${error instanceof Error ? error.message : error}\n${output}`);
    }
    return app;
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
        return;
    }
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
    signalGroup(child.pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
        process.kill(-pid, signal);
    } catch {
        // Already gone.
    }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms`);
        }
        await new Promise(resolve => setTimeout(resolve, 100));
    }
}
