/**
 * `npm run bench`: connects per second and users.list latency against one server instance in
 * a child process, on SQLite and MariaDB. Bounded in count and time everywhere; exits non-zero
 * only on a crash (a missed target is reported, not thrown).
 */
import { newUserCertificates, TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { generateSigningKeyPair } from '@vouch/protocol';
import { nodeEd25519 } from '@vouch/server';
import { BenchDatabase, createBenchDatabase, DatabaseKind } from './bench-database';
import { ConnectBounds, ConnectResult, runConnects } from './connect-scenario';
import { count, latency, loadLine, machineLine, ms, ResultRow, table, write } from './report';
import { SeededOrganization } from './seed';
import { killAllServers, ServerProcess, startServerProcess } from './server-process';
import { LatencySummary } from './stats';
import { listCases, ListBounds, openDeviceSocket, runListCase, runRoundTripFloor, verifyFirstPage } from './users-list-scenario';
import { runGreetingBench } from './greeting';
import { runJoinRequestsBench } from './join-requests';
import { runProfilesBench } from './profiles';
import { runWorkspacesBench } from './workspaces';
import { runReencryptionBench } from './reencryption';

const CONNECTS_TARGET_PER_SECOND = 2_000;
const LIST_P95_TARGET_MS = 50;
const CONNECT_BOUNDS: ConnectBounds = { concurrency: 50, maxConnects: 3_000, maxMs: 15_000, warmup: 200 };
const LIST_BOUNDS: ListBounds = { maxRequests: 200, maxMs: 10_000, warmup: 10 };

const DATABASES = (process.env.VOUCH_BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseKind[];
const SIZES = (process.env.VOUCH_BENCH_USERS ?? '10000,100000').split(',').map(Number);

const rows: ResultRow[] = [];

function connectRow(database: string, result: ConnectResult, ceiling: ConnectResult): ResultRow {
    const failed = result.failures > 0 ? `, ${result.failures} failed (${result.firstFailure})` : '';
    return {
        scenario: 'authenticated connects', database,
        result: `${count(result.perSecond)}/s (${count(result.connects)} in ${(result.elapsedMs / 1000).toFixed(1)} s; ${latency(result.latency)})${failed}`,
        target: `≥ ${count(CONNECTS_TARGET_PER_SECOND)}/s`,
        limit: `bare Socket.IO ${count(ceiling.perSecond)}/s, ${latency(ceiling.latency)}`,
        verdict: result.failures > 0 ? 'FAILED' : result.perSecond >= CONNECTS_TARGET_PER_SECOND ? 'MET' : 'MISSED',
        bound: result.stoppedBy === 'count' ? `${count(CONNECT_BOUNDS.maxConnects)} connects` : `${CONNECT_BOUNDS.maxMs / 1000} s`
    };
}

function cpuLine(result: ConnectResult): string {
    return `CPU per connect: server ${ms(result.serverCpuMs)} (at most ${count(1000 / result.serverCpuMs)}/s on one core), client ${ms(result.clientCpuMs)}`;
}

async function measureCeiling(): Promise<ConnectResult> {
    // The same client work (new engine connection, challenge, Ed25519 signature, two namespaces)
    // against Socket.IO alone: what this machine and this client can reach at best.
    const signer = generateSigningKeyPair(nodeEd25519);
    const devices: TestDevice[] = Array.from({ length: 10 }, () => newUserCertificates(signer.secretKey, null, { timestamp: Date.now(), previous: null }).device);
    const bare = await startServerProcess({ kind: 'bare' });
    try {
        return await runConnects(bare, 'Bench', devices, CONNECT_BOUNDS);
    } finally {
        await bare.stop();
    }
}

async function benchDatabase(kind: DatabaseKind, ceiling: ConnectResult): Promise<void> {
    const database: BenchDatabase = await createBenchDatabase(kind);
    let organization: SeededOrganization | undefined;
    let server: ServerProcess | undefined;
    const label = kind === 'sqlite' ? 'SQLite' : 'MariaDB';
    write(`\n== ${database.description}`);
    try {
        organization = await SeededOrganization.bootstrap(database.config);
        for (const [i, size] of SIZES.entries()) {
            const seeded = await organization.growTo(size);
            write(`seeded ${count(seeded.added)} users to ${count(seeded.totalUsers)} in ${(seeded.elapsedMs / 1000).toFixed(1)} s ` +
                `(${seeded.workers} worker threads sign 4 Ed25519 certificates and make 1 device key per user with node:crypto; ` +
                `the backend's repository writes them, ≤ 500 rows per insert, one transaction per 500 users: ${(seeded.writeMs / 1000).toFixed(1)} s of writes)`);
            if (i === 0) {
                server = await startServerProcess({ kind: 'vouch', database: database.config });
                write(`server pid ${server.pid} on ${server.url}`);
                const connects = await runConnects(server, organization.organizationId, organization.devices, CONNECT_BOUNDS);
                rows.push(connectRow(label, connects, ceiling));
                write(`connects at ${count(organization.users)} users: ${rows[rows.length - 1].result}; ${cpuLine(connects)}`);
            }
            await measureList(server!, organization, label);
        }
    } finally {
        await server?.stop();
        await organization?.close();
        await database.drop();
    }
}

async function measureList(server: ServerProcess, organization: SeededOrganization, label: string): Promise<void> {
    const connection = await openDeviceSocket(server.url, organization.organizationId, organization.boot.admin);
    try {
        const verified = await verifyFirstPage(connection.socket, organization.boot.rootVerifyKey);
        write(`first page of ${verified} users verified against the root key (signatures and author chain)`);
        const floor: LatencySummary = await runRoundTripFloor(connection.socket, LIST_BOUNDS);
        for (const testCase of listCases(organization.users, organization.searchTargets)) {
            const result = await runListCase(connection.socket, testCase, LIST_BOUNDS);
            const row: ResultRow = {
                scenario: `users.list ${result.name}`, database: `${label} ${count(organization.users)}`,
                result: `${latency(result.latency)} (${result.latency.count} req, ${result.rowsPerPage.toFixed(result.rowsPerPage < 10 ? 1 : 0)} rows/page)`,
                target: `p95 ≤ ${LIST_P95_TARGET_MS} ms`,
                limit: `session.info ${latency(floor)}`,
                verdict: result.latency.p95 <= LIST_P95_TARGET_MS ? 'MET' : 'MISSED',
                bound: result.stoppedBy === 'count' ? `${LIST_BOUNDS.maxRequests} requests` : `${LIST_BOUNDS.maxMs / 1000} s`
            };
            rows.push(row);
            write(`${row.scenario} at ${row.database}: ${row.result}, max ${ms(result.latency.max)}`);
        }
    } finally {
        connection.close();
    }
}

async function main(): Promise<void> {
    const started = Date.now();
    write(`Vouch benchmarks — ${new Date(started).toISOString()}`);
    write(`Machine: ${machineLine()}`);
    write(`At start: ${loadLine()}`);
    write(`Connects: ${CONNECT_BOUNDS.concurrency} in flight, ${count(CONNECT_BOUNDS.maxConnects)} connects or ${CONNECT_BOUNDS.maxMs / 1000} s ` +
        `(after ${CONNECT_BOUNDS.warmup} warm-up); users.list: one at a time, ${LIST_BOUNDS.maxRequests} requests or ${LIST_BOUNDS.maxMs / 1000} s per case.`);
    write('Server: one instance in a child process on 127.0.0.1; client: socket.io-client in this process.');
    const ceiling = await measureCeiling();
    write(`ceiling, bare Socket.IO: ${count(ceiling.perSecond)} connects/s, ${latency(ceiling.latency)}; ${cpuLine(ceiling)}`);
    for (const kind of DATABASES) {
        await benchDatabase(kind, ceiling);
    }
    rows.push(...await runGreetingBench(DATABASES));
    rows.push(...await runJoinRequestsBench());
    rows.push(...await runProfilesBench(DATABASES));
    rows.push(...await runWorkspacesBench(DATABASES));
    rows.push(...await runReencryptionBench(DATABASES));
    write(`\nResults (${((Date.now() - started) / 1000).toFixed(0)} s; at the end: ${loadLine()})`);
    write(table(rows));
}

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
        killAllServers();
        process.exit(130);
    });
}

main().then(() => process.exit(0), error => {
    if (rows.length > 0) {
        write(table(rows));
    }
    process.stderr.write(`benchmark crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
