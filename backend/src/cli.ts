import { parseArgs } from 'util';
import { buildBootstrapLink } from '@vouch/protocol';
import { ServerLogger } from './common/server-logger';
import { ConfigError, loadServerConfig, ServerConfig } from './config';
import { Database } from './persistence/database';
import { VouchServer } from './server';
import { openServices } from './services';

const USAGE = `Usage: vouch-server <command>

Commands:
  serve                        Start the organization server (creates $VOUCH_ORGANIZATION on first start)
  organization create <name>   Create an organization and print its bootstrap link
  migrate                      Run pending database migrations and exit

Environment:
  VOUCH_DB_URL       sqlite:<path> (relative to the data dir), sqlite::memory: or mysql://user:pass@host:port/db
  VOUCH_DATA_DIR     data folder (default ./.vouch)
  VOUCH_PUBLIC_URL   base URL of links (default http://127.0.0.1:$PORT)
  PORT, VOUCH_HOST   where to listen (default 3000 on 127.0.0.1)
  VOUCH_REDIS_URL    redis://host:port to share events between instances
  VOUCH_ORGANIZATION organization created on first start (default MyOrganization)
  VOUCH_ALLOWED_ORIGINS comma-separated extra browser origins allowed to connect
`;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error { }

const write = (stream: NodeJS.WriteStream) => (message: string) => { stream.write(`${message}\n`); };

export const cliLogger: ServerLogger = {
    info: write(process.stdout),
    warn: message => write(process.stderr)(`warning: ${message}`),
    error: (message, error) => write(process.stderr)(`error: ${message}${error ? `: ${error instanceof Error ? error.stack ?? error.message : String(error)}` : ''}`)
};

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { help: { type: 'boolean', short: 'h' } } });
    } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return EXIT_USAGE;
    }
    const [command, ...rest] = parsed.positionals;
    if (parsed.values.help || !command) {
        (parsed.values.help ? process.stdout : process.stderr).write(USAGE);
        return parsed.values.help ? EXIT_OK : EXIT_USAGE;
    }
    try {
        switch (command) {
            case 'serve':
                expectArgs(rest, 0);
                return await serve(loadServerConfig(env));
            case 'migrate':
                expectArgs(rest, 0);
                return await migrate(loadServerConfig(env));
            case 'organization':
                if (rest[0] !== 'create') {
                    throw new UsageError(`unknown organization command "${rest[0] ?? ''}"`);
                }
                expectArgs(rest, 2);
                return await createOrganization(loadServerConfig(env), rest[1]);
            default:
                throw new UsageError(`unknown command "${command}"`);
        }
    } catch (error) {
        if (error instanceof UsageError) {
            process.stderr.write(`${error.message}\n\n${USAGE}`);
            return EXIT_USAGE;
        }
        if (error instanceof ConfigError) {
            cliLogger.error(`invalid configuration: ${error.message}`);
            return EXIT_FAILURE;
        }
        cliLogger.error('failed', error);
        return EXIT_FAILURE;
    }
}

function expectArgs(rest: string[], count: number): void {
    if (rest.length !== count) {
        throw new UsageError(`expected ${count} argument(s), got ${rest.length}`);
    }
}

async function serve(config: ServerConfig): Promise<number> {
    const server = await VouchServer.start({ config, logger: cliLogger, createInitialOrganization: true });
    cliLogger.info(`Vouch organization server listening on ${config.host}:${server.address} (public URL ${config.publicUrl})`);
    await new Promise<void>(resolve => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
    });
    await server.close();
    return EXIT_OK;
}

async function migrate(config: ServerConfig): Promise<number> {
    const db = await Database.open(config.database, false);
    try {
        const applied = await db.dataSource.runMigrations({ transaction: 'all' });
        cliLogger.info(applied.length ? `Applied ${applied.map(migration => migration.name).join(', ')}` : 'The database is up to date');
    } finally {
        await db.close();
    }
    return EXIT_OK;
}

async function createOrganization(config: ServerConfig, name: string): Promise<number> {
    const services = await openServices(config.database);
    try {
        const outcome = await services.organizations.create(name, Date.now());
        if (!outcome.ok) {
            cliLogger.error(outcome.error.message);
            return EXIT_FAILURE;
        }
        process.stdout.write(`${buildBootstrapLink(config.publicUrl, outcome.value.organizationId, outcome.value.bootstrapToken)}\n`);
        return EXIT_OK;
    } finally {
        await services.database.close();
    }
}

/** Entry of bin/vouch-server.js. */
export function main(): void {
    runCli(process.argv.slice(2)).then(code => { process.exitCode = code; }, error => {
        cliLogger.error('failed', error);
        process.exitCode = EXIT_FAILURE;
    });
}

if (require.main === module) {
    main();
}
