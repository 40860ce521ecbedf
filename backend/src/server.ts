import * as http from 'http';
import { AddressInfo } from 'net';
import { buildBootstrapLink } from '@vouch/protocol';
import { ServerLogger, silentLogger } from './common/server-logger';
import { ServerConfig } from './config';
import { EventBus, LocalEventBus } from './common/event-bus';
import { openServices, ServicesOptions, VouchServices } from './services';
import { SocketServer } from './transport/socket-server';
import { joinHttpHandler } from './transport/join-http';
import { createMailTransport } from './transport/mail-transport';
import { connectRedis, RedisConnection } from './transport/redis-connection';
import { RedisEventBus } from './transport/redis-event-bus';

export interface VouchServerOptions {
    readonly config: ServerConfig;
    /** Attach to this server (Theia's); otherwise the server listens on config.host:config.port. */
    readonly httpServer?: http.Server;
    readonly logger?: ServerLogger;
    /** Create `config.initialOrganization` when the database has no organization yet. */
    readonly createInitialOrganization?: boolean;
    /** Server time in ms; tests move it. */
    readonly clock?: () => number;
    /** Tests shorten the greeting's grace period for a side to come back, its lifetime and its sweep. */
    readonly greeting?: ServicesOptions['greeting'];
    /** Tests shorten how long a re-encryption run stays its runner's without a sign of life. */
    readonly reencryptionLeaseMs?: number;
}

export interface PendingBootstrapLink {
    readonly organizationId: string;
    readonly bootstrapLink: string;
}

/** The organization server: database, domain services and Socket.IO API, wired in one place. */
export class VouchServer {
    protected constructor(
        readonly config: ServerConfig,
        protected readonly services: VouchServices,
        protected readonly sockets: SocketServer,
        protected readonly redis: RedisConnection | undefined,
        protected readonly mailer: { close(): void },
        protected readonly httpServer: http.Server,
        protected readonly ownsHttpServer: boolean,
        protected readonly clock: () => number,
        protected readonly logger: ServerLogger
    ) { }

    /**
     * Wires everything in order: the HTTP listener, Redis, the event bus (first, so every service
     * gets it), the Socket.IO server (services read presence from its rooms), the services, then
     * the handlers and the events the bus carries to the sockets.
     */
    static async start(options: VouchServerOptions): Promise<VouchServer> {
        const { config } = options;
        const logger = options.logger ?? silentLogger;
        const clock = options.clock ?? Date.now;
        let httpServer = options.httpServer;
        const ownsHttpServer = !httpServer;
        let started: VouchServer | undefined;
        let redis: RedisConnection | undefined;
        let bus: EventBus | undefined;
        let sockets: SocketServer | undefined;
        let services: VouchServices | undefined;
        const mailer = createMailTransport({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, logger });
        try {
            if (!httpServer) {
                httpServer = http.createServer();
                // Socket.IO takes its own path before this listener sees it; the join sign-in routes are ours; anything else is not.
                httpServer.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
                    if (!started?.handleHttp(request, response)) {
                        response.writeHead(404).end();
                    }
                });
                await listen(httpServer, config.port, config.host);
            }
            const boundHttpServer = httpServer;
            // Redis first: if it is unreachable, start fails before anything is attached to the HTTP server.
            redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : undefined;
            bus = redis ? await RedisEventBus.create(redis, logger) : new LocalEventBus(logger);
            sockets = SocketServer.create({ httpServer, publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, redis });
            services = await openServices(config.database, {
                joinRequests: config.joinRequests, clock, bus, mailer, logger, presence: sockets.presence,
                publicUrl: () => publicUrlOf(config, boundHttpServer), greeting: options.greeting, reencryptionLeaseMs: options.reencryptionLeaseMs
            });
            sockets.serve(services, clock, logger);
            services.greetingLiveness.start();
            const server = new VouchServer(config, services, sockets, redis, mailer, httpServer, ownsHttpServer, clock, logger);
            started = server;
            if (options.createInitialOrganization) {
                await server.createInitialOrganization();
            }
            return server;
        } catch (error) {
            services?.greetingLiveness.stop();
            await sockets?.close();
            await services?.database.close();
            await bus?.close();
            await redis?.close();
            mailer.close();
            if (ownsHttpServer && httpServer?.listening) {
                await new Promise(resolve => httpServer!.close(resolve));
            }
            throw error;
        }
    }

    /**
     * Serves the organization server's HTTP routes (identity providers' callbacks under
     * `/vouch/join/`); false when the request is not for us. Standalone, the server's own HTTP
     * listener calls it; embedded, the host (Theia) routes `/vouch/join/` here.
     */
    handleHttp(request: http.IncomingMessage, response: http.ServerResponse): boolean {
        this.joinHttp ??= joinHttpHandler(this.services.joinRequests, this.services.joinSignIns, () => this.publicUrl, this.clock, this.logger);
        return this.joinHttp(request, response);
    }

    protected joinHttp?: (request: http.IncomingMessage, response: http.ServerResponse) => boolean;

    /** The port actually bound (useful with port 0), or undefined before the HTTP server listens. */
    get address(): number | undefined {
        const address = this.httpServer.address();
        return address && typeof address === 'object' ? (address as AddressInfo).port : undefined;
    }

    /** The configured public URL; a default one naming port 0 gets the port actually bound. */
    get publicUrl(): string {
        return publicUrlOf(this.config, this.httpServer);
    }

    async pendingBootstraps(): Promise<PendingBootstrapLink[]> {
        const pending = await this.services.organizations.pendingBootstraps();
        return pending.map(({ organizationId, token }) => ({
            organizationId, bootstrapLink: buildBootstrapLink(this.publicUrl, organizationId, token)
        }));
    }

    /** Creates an organization and returns its bootstrap link; throws if the name is invalid or taken. */
    async createOrganization(name: string): Promise<PendingBootstrapLink> {
        const outcome = await this.services.organizations.create(name, this.clock());
        if (!outcome.ok) {
            throw new Error(outcome.error.message);
        }
        return { organizationId: outcome.value.organizationId, bootstrapLink: buildBootstrapLink(this.publicUrl, outcome.value.organizationId, outcome.value.bootstrapToken) };
    }

    async close(): Promise<void> {
        // Sockets closed by a shutdown are not sides leaving their greetings.
        this.services.greetingLiveness.stop();
        await this.sockets.close();
        await this.services.bus.close();
        await this.redis?.close();
        this.mailer.close();
        if (this.ownsHttpServer) {
            this.httpServer.closeAllConnections();
            await new Promise(resolve => this.httpServer.close(resolve));
        }
        await this.services.database.close();
    }

    protected async createInitialOrganization(): Promise<void> {
        if (await this.services.organizations.countOrganizations() === 0) {
            const outcome = await this.services.organizations.create(this.config.initialOrganization, this.clock());
            // Another instance starting at the same time may have created it: that is fine.
            if (!outcome.ok && outcome.error.code !== 'ORGANIZATION_ALREADY_EXISTS') {
                throw new Error(outcome.error.message);
            }
        }
        for (const pending of await this.pendingBootstraps()) {
            this.logger.info(`Organization "${pending.organizationId}" awaits its first administrator: ${pending.bootstrapLink}`);
        }
    }
}

function publicUrlOf(config: ServerConfig, httpServer: http.Server): string {
    const url = new URL(config.publicUrl);
    const address = httpServer.address();
    if (url.port === '0' && address && typeof address === 'object') {
        url.port = String((address as AddressInfo).port);
        return url.toString().replace(/\/$/, '');
    }
    return config.publicUrl;
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}
