import { promises as fs } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { ILogger } from '@theia/core';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { loadServerConfig, ServerLogger, VouchServer } from '@vouch/server';
import { theiaServerLogger } from '../node/theia-server-logger';
import { DesktopTrialServerError, DesktopTrialServerService, TrialServer } from '../common/desktop-trial-protocol';

const SETTINGS_FILE = 'trial-server.json';
const LOOPBACK = '127.0.0.1';

/**
 * The organization server of the desktop app's one-person trial, in `vouch/trial/` of the user's
 * config folder: `trial-server.json` (its port) and the SQLite database. Once asked for, it
 * starts with the app, on the same port.
 */
@injectable()
export class DesktopTrialServer implements BackendApplicationContribution, DesktopTrialServerService {
    @inject(EnvVariablesServer) protected readonly environment: EnvVariablesServer;
    @inject(ILogger) @named('vouch-server') protected readonly logger: ILogger;

    protected running?: Promise<VouchServer>;

    protected async folder(): Promise<string> {
        return path.join(FileUri.fsPath(await this.environment.getConfigDirUri()), 'vouch', 'trial');
    }

    /** A trial asked for earlier comes back with the app. */
    async onStart(): Promise<void> {
        const port = await this.rememberedPort();
        if (port !== undefined) {
            this.startOn(port).catch(error => this.logger.error('The trial organization server did not start', error));
        }
    }

    async start(): Promise<TrialServer> {
        const server = await (this.running ?? this.startOn(await this.rememberedPort() ?? await freeLoopbackPort(), true));
        const [pending] = await server.pendingBootstraps();
        return { serverUrl: server.config.publicUrl, bootstrapLink: pending?.bootstrapLink };
    }

    protected startOn(port: number, remember = false): Promise<VouchServer> {
        const starting = (async () => {
            const folder = await this.folder();
            await fs.mkdir(folder, { recursive: true, mode: 0o700 });
            // Nothing from the environment: the trial is this computer's alone, whatever the shell says.
            const config = loadServerConfig({}, {
                host: LOOPBACK, port, dataDir: folder, database: { kind: 'sqlite', path: path.join(folder, 'vouch.sqlite') },
                publicUrl: `http://${LOOPBACK}:${port}`
            });
            try {
                const server = await VouchServer.start({ config, logger: this.serverLogger(), createInitialOrganization: true });
                if (remember) {
                    await fs.writeFile(path.join(folder, SETTINGS_FILE), JSON.stringify({ port }) + '\n', { mode: 0o600 });
                }
                return server;
            } catch (error) {
                throw DesktopTrialServerError.NotStarted(error instanceof Error ? error.message : String(error));
            }
        })();
        this.running = starting;
        starting.catch(() => this.running === starting && (this.running = undefined));
        return starting;
    }

    protected async rememberedPort(): Promise<number | undefined> {
        try {
            const { port } = JSON.parse(await fs.readFile(path.join(await this.folder(), SETTINGS_FILE), 'utf8')) as { port?: unknown };
            return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
        } catch {
            return undefined;
        }
    }

    protected serverLogger(): ServerLogger {
        return theiaServerLogger(this.logger);
    }

    async onStop(): Promise<void> {
        const running = this.running;
        this.running = undefined;
        await (await running?.catch(() => undefined))?.close();
    }
}

function freeLoopbackPort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, LOOPBACK, () => {
            const { port } = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}
