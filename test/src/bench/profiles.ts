/**
 * Profiles and revocation, for `npm run bench` (one line in run.ts calls `runProfilesBench`):
 * - a bulk profile change of 1,000 users (signing included) against 1,000 single changes of
 *   the same users in the same run, on SQLite and MariaDB;
 * - revocation reach across two instances sharing MariaDB and Redis: from the acknowledged
 *   `users.revoke` to the last of the user's sockets (on both instances) closed.
 * Servers run in this process (two instances need Redis, which the child-process harness does
 * not start); every loop is bounded in count and time.
 */
import { Socket } from 'socket.io-client';
import {
    Certificate, DEVICE_NAMESPACE, linkCertificates, LogHead, portableEd25519, positionAfter, Reply, sendAtLogPosition, SignatureScheme, signCertificate,
    SignedCertificate, Unlinked, UserProfile, UsersPage, VOUCH_SOCKET_PATH, ANONYMOUS_NAMESPACE
} from '@vouch/protocol';
import { loadServerConfig, VouchServer } from '@vouch/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { io } from 'socket.io-client';
import { createBenchDatabase, DatabaseKind } from './bench-database';
import { count, ms, ResultRow, write } from './report';
import { SeededOrganization } from './seed';
import { cachedEd25519, fastSignedHandshake } from './signing-keys';
import { nowMs, percentile } from './stats';

const BULK_USERS = 1_000;
const BULK_TARGET_MS = 1_000;
const BULK_SPEEDUP_TARGET = 5;
const REACH_P99_TARGET_MS = 50;
/** Revocation trials: each revokes a fresh user with sockets on both instances. */
const REACH_TRIALS = 100;
const REACH_SOCKETS_PER_INSTANCE = 2;
const REACH_MAX_MS = 30_000;
const REDIS_URL = process.env.VOUCH_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(30_000).emitWithAck(event, payload);
}

async function connect(url: string, organizationId: string, device: TestDevice): Promise<Socket> {
    const anonymous = io(`${url}${ANONYMOUS_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false });
    const challenge = await request<{ challenge: string }>(anonymous, 'auth.challenge', {});
    anonymous.close();
    if (!challenge.ok) { throw new Error(JSON.stringify(challenge)); }
    const socket = io(`${url}${DEVICE_NAMESPACE}`, {
        path: VOUCH_SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false,
        auth: fastSignedHandshake(organizationId, device, challenge.value.challenge)
    });
    await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
    });
    return socket;
}

/** Signs and sends one batch after the log's head, as the workbench does; signs again after a writer that came first (bounded). */
async function signAndSend<T>(socket: Socket, event: string, admin: TestDevice, scheme: SignatureScheme,
    make: (timestamp: number) => Unlinked<Certificate>[]): Promise<{ reply: Reply<T>; signMs: number }> {
    let signMs = 0;
    const head = await request<LogHead>(socket, 'certificates.head', {});
    if (!head.ok) { throw new Error(JSON.stringify(head)); }
    const first = positionAfter({ digest: head.value.digest ?? null, timestamp: head.value.timestamp }, Date.now());
    const reply = await sendAtLogPosition(first, position => {
        const start = nowMs();
        const certificates: SignedCertificate[] = linkCertificates(make(position.timestamp), position.previous).map(content => signCertificate(content, admin.signingKey.secretKey, scheme));
        signMs += nowMs() - start;
        return request<T>(socket, event, { certificates });
    }, 3);
    return { reply, signMs };
}

const updates = (admin: TestDevice, userIds: readonly string[], newProfile: UserProfile) => (timestamp: number): Unlinked<Certificate>[] =>
    userIds.map(userId => ({ kind: 'user_update', version: 1, author: admin.deviceId, timestamp, userId, newProfile }));

async function membersOf(socket: Socket, wanted: number): Promise<string[]> {
    const members: string[] = [];
    for (let offset: number | undefined = 0, pages = 0; offset !== undefined && members.length < wanted && pages < 100; pages++) {
        const page: Reply<UsersPage> = await request<UsersPage>(socket, 'users.list', { offset, limit: 200, includeRevoked: false });
        if (!page.ok) { throw new Error(JSON.stringify(page)); }
        members.push(...page.value.users.filter(user => user.profile === 'MEMBER').map(user => user.userId));
        offset = page.value.nextOffset;
    }
    return members.slice(0, wanted);
}

async function benchBulk(kind: DatabaseKind): Promise<ResultRow[]> {
    const database = await createBenchDatabase(kind);
    const label = kind === 'sqlite' ? 'SQLite' : 'MariaDB';
    let organization: SeededOrganization | undefined;
    let server: VouchServer | undefined;
    try {
        organization = await SeededOrganization.bootstrap(database.config);
        await organization.growTo(BULK_USERS * 1.3);
        server = await VouchServer.start({ config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:1' }) });
        const url = `http://127.0.0.1:${server.address}`;
        const admin = organization.boot.admin;
        const socket = await connect(url, organization.organizationId, admin);
        const userIds = await membersOf(socket, BULK_USERS);
        if (userIds.length < BULK_USERS) { throw new Error(`only ${userIds.length} members seeded`); }

        // The browser signs with the portable implementation: measure that signing cost too.
        const portableStart = nowMs();
        linkCertificates(updates(admin, userIds, 'ADMINISTRATOR')(Date.now()), null).forEach(content => signCertificate(content, admin.signingKey.secretKey, portableEd25519));
        const portableSignMs = nowMs() - portableStart;

        const bulkStart = nowMs();
        const bulk = await signAndSend<{ changed: number }>(socket, 'users.changeProfiles', admin, cachedEd25519, updates(admin, userIds, 'ADMINISTRATOR'));
        const bulkMs = nowMs() - bulkStart;
        if (!bulk.reply.ok || bulk.reply.value.changed !== BULK_USERS) { throw new Error(`bulk change: ${JSON.stringify(bulk.reply).slice(0, 300)}`); }

        const singleStart = nowMs();
        let singleSignMs = 0;
        for (const userId of userIds) {
            const single = await signAndSend(socket, 'users.changeProfiles', admin, cachedEd25519, updates(admin, [userId], 'MEMBER'));
            singleSignMs += single.signMs;
            if (!single.reply.ok) { throw new Error(`single change: ${JSON.stringify(single.reply)}`); }
        }
        const singleMs = nowMs() - singleStart;
        socket.close();
        const speedup = singleMs / bulkMs;
        write(`${label}: bulk change of ${count(BULK_USERS)} profiles ${ms(bulkMs)} (signing ${ms(bulk.signMs)} node:crypto; the browser's portable Ed25519 signs them in ${ms(portableSignMs)}); ` +
            `${count(BULK_USERS)} single changes ${ms(singleMs)} (signing ${ms(singleSignMs)}): ${speedup.toFixed(1)}×`);
        return [{
            scenario: `bulk profile change ×${count(BULK_USERS)}`, database: label,
            result: `${ms(bulkMs)} (signing ${ms(bulk.signMs)}; browser signing ${ms(portableSignMs)})`,
            target: `≤ ${ms(BULK_TARGET_MS)}`, limit: `1 user at a time: ${ms(singleMs / BULK_USERS)}`,
            verdict: bulkMs <= BULK_TARGET_MS ? 'MET' : 'MISSED', bound: `${count(BULK_USERS)} users`
        }, {
            scenario: `bulk vs ${count(BULK_USERS)} single changes`, database: label,
            result: `${speedup.toFixed(1)}× faster (${ms(singleMs)} single)`,
            target: `≥ ${BULK_SPEEDUP_TARGET}×`, limit: '-',
            verdict: speedup >= BULK_SPEEDUP_TARGET ? 'MET' : 'MISSED', bound: `${count(BULK_USERS)} requests`
        }];
    } finally {
        await server?.close();
        await organization?.close();
        await database.drop();
    }
}

async function benchRevocationReach(): Promise<ResultRow> {
    const database = await createBenchDatabase('mariadb');
    let organization: SeededOrganization | undefined;
    const servers: VouchServer[] = [];
    const open: Socket[] = [];
    try {
        organization = await SeededOrganization.bootstrap(database.config);
        await organization.growTo(REACH_TRIALS * 1.5);
        for (let i = 0; i < 2; i++) {
            servers.push(await VouchServer.start({
                config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, redisUrl: REDIS_URL, publicUrl: 'http://127.0.0.1:1' })
            }));
        }
        const [a, b] = servers.map(server => `http://127.0.0.1:${server.address}`);
        const admin = organization.boot.admin;
        const adminSocket = await connect(a, organization.organizationId, admin);
        open.push(adminSocket);
        const memberIds = new Set(await membersOf(adminSocket, REACH_TRIALS * 2));
        const targets = organization.devices.filter(device => memberIds.has(device.userId)).slice(0, REACH_TRIALS);
        const reach: number[] = [];
        const deadline = nowMs() + REACH_MAX_MS;
        for (const target of targets) {
            if (nowMs() > deadline) { break; }
            const sockets: Socket[] = [];
            for (const url of [a, b]) {
                for (let i = 0; i < REACH_SOCKETS_PER_INSTANCE; i++) {
                    sockets.push(await connect(url, organization.organizationId, target));
                }
            }
            open.push(...sockets);
            const closed = sockets.map(socket => new Promise<number>(resolve => socket.once('disconnect', () => resolve(nowMs()))));
            const sent = await signAndSend(adminSocket, 'users.revoke', admin, cachedEd25519,
                timestamp => [{ kind: 'revoked_user', version: 1, author: admin.deviceId, timestamp, userId: target.userId }]);
            const acknowledged = nowMs();
            if (!sent.reply.ok) { throw new Error(`revoke: ${JSON.stringify(sent.reply)}`); }
            const last = Math.max(...await Promise.race([
                Promise.all(closed),
                new Promise<number[]>((_, reject) => setTimeout(() => reject(new Error('sockets still open 5 s after revocation')), 5_000))
            ]));
            reach.push(Math.max(0, last - acknowledged));
        }
        const sorted = [...reach].sort((x, y) => x - y);
        const p99 = percentile(sorted, 99);
        write(`revocation reach over ${reach.length} revocations, ${REACH_SOCKETS_PER_INSTANCE} sockets on each of 2 instances (MariaDB + Redis): ` +
            `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(p99)}, max ${ms(sorted[sorted.length - 1])} from acknowledged revoke to last socket closed`);
        return {
            scenario: 'revocation reach, 2 instances', database: 'MariaDB + Redis',
            result: `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(p99)} (${reach.length} revocations × ${2 * REACH_SOCKETS_PER_INSTANCE} sockets)`,
            target: `p99 ≤ ${ms(REACH_P99_TARGET_MS)}`, limit: '-',
            verdict: p99 <= REACH_P99_TARGET_MS ? 'MET' : 'MISSED',
            bound: reach.length < targets.length ? `${REACH_MAX_MS / 1000} s` : `${count(reach.length)} revocations`
        };
    } finally {
        open.forEach(socket => socket.close());
        await Promise.all(servers.map(server => server.close()));
        await organization?.close();
        await database.drop();
    }
}

/** The profiles scenarios; rows for run.ts's final table. */
export async function runProfilesBench(databases: readonly DatabaseKind[] = ['sqlite', 'mariadb']): Promise<ResultRow[]> {
    write('\n== Profiles and revocation (servers in this process)');
    const rows: ResultRow[] = [];
    for (const kind of databases) {
        rows.push(...await benchBulk(kind));
    }
    if (databases.includes('mariadb')) {
        rows.push(await benchRevocationReach());
    }
    return rows;
}

if (require.main === module) {
    runProfilesBench().then(rows => {
        rows.forEach(row => write(`${row.scenario} | ${row.database} | ${row.result} | ${row.target} | ${row.verdict}`));
        process.exit(0);
    }, error => {
        process.stderr.write(`profiles benchmark crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
    });
}
