import * as http from 'http';
import { ILogger } from '@theia/core';
import { Deferred } from '@theia/core/lib/common/promise-util';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { AddressInfo } from 'net';
import * as express from '@theia/core/shared/express';
import { loadServerConfig, ServerConfig, ServerLogger, VouchServer } from '@vouch/server';
import { theiaServerLogger } from './theia-server-logger';

/**
 * Runs the organization server inside the Theia backend, on Theia's own HTTP server (the
 * server takes its own Socket.IO path). Its data goes where VOUCH_DATA_DIR says.
 */
@injectable()
export class EmbeddedVouchServer implements BackendApplicationContribution {
    @inject(ILogger) @named('vouch-server') protected readonly logger: ILogger;

    protected readonly started = new Deferred<VouchServer>();
    protected server?: VouchServer;

    /** The running server; rejects when it could not start. */
    get running(): Promise<VouchServer> {
        return this.started.promise;
    }

    /** Identity providers send the browser back to `/vouch/join/…` (join requests): the organization server answers those. */
    configure(app: express.Application): void {
        app.use((request, response, next) => {
            if (!request.path.startsWith('/vouch/join/') || !this.server?.handleHttp(request, response)) {
                next();
            }
        });
    }

    async onStart(httpServer: http.Server): Promise<void> {
        try {
            const config = loadServerConfig(process.env, this.configOverrides(httpServer));
            this.server = await VouchServer.start({ config, httpServer, logger: this.serverLogger(), createInitialOrganization: true });
            this.started.resolve(this.server);
        } catch (error) {
            this.logger.error('The organization server did not start', error);
            this.started.reject(error);
            // Theia keeps serving the workbench; the frontend reports the server as not running.
            this.started.promise.catch(() => undefined);
        }
    }

    /** Without PORT, links must still point at the port Theia actually listens on. */
    protected configOverrides(httpServer: http.Server): Partial<ServerConfig> {
        const address = httpServer.address() as AddressInfo | string | null;
        if (process.env.PORT || !address || typeof address === 'string') {
            return {};
        }
        return { port: address.port };
    }

    protected serverLogger(): ServerLogger {
        return theiaServerLogger(this.logger);
    }

    async onStop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        await server?.close();
    }
}
