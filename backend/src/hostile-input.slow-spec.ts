import { expect } from 'chai';
import fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { io, Socket } from 'socket.io-client';
import { z } from 'zod';
import { ANONYMOUS_NAMESPACE, anonymousRequestSchemas, API_ERROR_CODES, deviceRequestSchemas, LogHead, Reply, VOUCH_SOCKET_PATH } from '@vouch/protocol';
import { ServerLogger } from './common/server-logger';
import { loadServerConfig } from './config';
import { VouchServer } from './server';
import { ANONYMOUS_CONNECTION_LIMITS } from './transport/connection-limits';
import { arbitraryOf, mutated } from './testing/schema-arbitraries';
import { expectOk, request, SocketPool, TEST_DATABASES, TestDatabase, TestOrganization } from './testing/socket-harness';

/**
 * Every request of both namespaces gets generated payloads: of the schema's shape (they reach
 * the handlers' rules), mutated the way an attacker sends them, and some sent twice at once (a
 * double click, a replay: the races a flow allows). The server must answer each with a reply —
 * ok or a typed error, never INTERNAL_ERROR — log no error, and keep serving.
 */

/** Payloads per request: 10,000 on SQLite by default (VOUCH_FUZZ_RUNS), a tenth on MariaDB. */
const RUNS = Number(process.env.VOUCH_FUZZ_RUNS ?? 10_000);
const IN_FLIGHT = 64;

class RecordingLogger implements ServerLogger {
    readonly errors: string[] = [];
    info(): void { /* quiet */ }
    warn(): void { /* unknown events are warned about, by design */ }
    error(message: string, error?: unknown): void { this.errors.push(`${message} ${error instanceof Error ? error.stack : String(error ?? '')}`.slice(0, 2000)); }
}

const gc = (): void => {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
};

interface Tally {
    readonly codes: Map<string, number>;
    readonly unanswered: string[];
    readonly untyped: string[];
}

function record(tally: Tally, event: string, what: string, reply: Reply<unknown> | Error): void {
    if (reply instanceof Error) {
        tally.unanswered.push(`${event} (${what}): ${reply.message}`);
        return;
    }
    const code = reply.ok ? 'ok' : reply.error?.code;
    if (!reply.ok && (!(API_ERROR_CODES as readonly string[]).includes(code) || typeof reply.error.message !== 'string' || code === 'INTERNAL_ERROR')) {
        tally.untyped.push(`${event} (${what}): ${JSON.stringify(reply).slice(0, 300)}`);
    }
    tally.codes.set(`${event} ${code}`, (tally.codes.get(`${event} ${code}`) ?? 0) + 1);
}

/** The payloads of one request: shaped, mutated, and shaped ones sent twice at once. */
function payloadsOf(schema: z.ZodType, runs: number, seed: number): { what: string; payload: unknown; twice: boolean }[] {
    const shaped = arbitraryOf(schema);
    const plan = fc.oneof(
        { weight: 6, arbitrary: fc.tuple(shaped, fc.nat(4)).map(([payload, roll]) => ({ what: 'shaped', payload, twice: roll === 0 })) },
        { weight: 4, arbitrary: mutated(shaped).map(({ mutation, payload }) => ({ what: mutation, payload, twice: false })) }
    );
    return fc.sample(plan, { numRuns: runs, seed });
}

function hostileSuite(kind: string, open: () => Promise<TestDatabase>, runs: number): void {
    describe(`Hostile input on every request of both namespaces (${runs.toLocaleString('en')} generated payloads each), on ${kind}`, function () {
        this.timeout(1_200_000);
        const pool = new SocketPool();
        const logger = new RecordingLogger();
        let database: TestDatabase;
        let server: VouchServer;
        let url: string;
        let organization: TestOrganization;
        let dataDir: string;

        before(async () => {
            database = await open();
            dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-hostile-'));
            const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:1', dataDir });
            server = await VouchServer.start({ config, logger });
            url = `http://127.0.0.1:${server.address}`;
            organization = await TestOrganization.bootstrap(server, url, pool);
        });
        after(async () => {
            pool.closeAll();
            await server?.close();
            await database?.drop();
            fs.rmSync(dataDir, { recursive: true, force: true });
        });

        /** Sends every schema's payloads, `inFlight` at a time, each window on `socketFor()`. */
        async function send(socketFor: () => Socket, schemas: Record<string, z.ZodType>, inFlight: number, tally: Tally): Promise<void> {
            let seed = 1;
            for (const [event, schema] of Object.entries(schemas)) {
                const payloads = payloadsOf(schema, runs, seed++);
                for (let start = 0; start < payloads.length; start += inFlight) {
                    const socket = socketFor();
                    await Promise.all(payloads.slice(start, start + inFlight).flatMap(({ what, payload, twice }) =>
                        Array.from({ length: twice ? 2 : 1 }, () => request(socket, event, payload).then(
                            reply => record(tally, event, what, reply),
                            error => record(tally, event, what, error as Error)))));
                }
            }
        }

        it('answers each with ok or a typed error, never INTERNAL_ERROR, logs no error, pollutes no prototype, keeps serving and gives its memory back', async () => {
            const admin = await organization.connect(organization.admin);
            const headBefore = await expectOk(request<LogHead>(admin, 'certificates.head', {}));
            gc();
            const heapBefore = process.memoryUsage().heapUsed;
            const tally: Tally = { codes: new Map(), unanswered: [], untyped: [] };

            // Anonymous: a fresh connection per burst (its rate would refuse more), as a flood from many clients comes.
            // Not kept in the pool: the memory measured below is the server's, not thousands of closed clients'.
            let anonymous: Socket | undefined;
            await send(() => {
                anonymous?.close();
                anonymous = io(`${url}${ANONYMOUS_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
                return anonymous;
            }, anonymousRequestSchemas as unknown as Record<string, z.ZodType>, ANONYMOUS_CONNECTION_LIMITS.burst / 2, tally);
            anonymous?.close();

            // Device namespace: the organization's Administrator may send every request.
            await send(() => admin, deviceRequestSchemas as unknown as Record<string, z.ZodType>, IN_FLIGHT, tally);

            expect(tally.unanswered.slice(0, 10), `${tally.unanswered.length} unanswered`).to.deep.equal([]);
            expect(tally.untyped.slice(0, 10), `${tally.untyped.length} untyped or internal errors`).to.deep.equal([]);
            expect(logger.errors.slice(0, 5)).to.deep.equal([]);
            expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
            expect(Object.prototype.toString.call([])).to.equal('[object Array]');
            // Generated certificates carry no valid signature: the log did not move.
            expect(await expectOk(request<LogHead>(admin, 'certificates.head', {}))).to.deep.equal(headBefore);
            // Still serving, new connections too.
            const again = await organization.connect(organization.admin);
            expect((await expectOk(request<{ users: unknown[] }>(again, 'users.list', {}))).users).to.have.length(1);
            gc();
            const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
            expect(grownMb, 'heap growth after the flood, MB').to.be.below(32);
            // Most generated payloads reached the rules of their handler, not only the schema check.
            const reachedRules = [...tally.codes].filter(([key]) => !key.endsWith(' BAD_PAYLOAD') && !key.endsWith(' RATE_LIMITED')).reduce((sum, [, count]) => sum + count, 0);
            expect(reachedRules, JSON.stringify([...tally.codes].slice(0, 40))).to.be.above(0);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    hostileSuite(kind, open, kind === 'SQLite' ? RUNS : Math.ceil(RUNS / 10));
}
