/**
 * Re-encryption of a large workspace, for `npm run bench` (one line in run.ts calls
 * `runReencryptionBench`), on SQLite and MariaDB:
 * - the whole run through the real client library (`reencryptWorkspace`: claim, rotation, pages
 *   of manifests opened under the old key and sealed under the new one, batches, finish) against
 *   the server in a child process;
 * - beside it, the two limits of the same run: the client's crypto alone (open + seal of the same
 *   manifests, in this process) and the database's batches alone (the repository's pending reads
 *   and batch transactions over the same rows, in this process, no network, no crypto).
 * Setup (not measured): the organization and the workspace through a server in this process, the
 * manifests sealed here and inserted in chunks of 500 rows.
 */
import { CancellationTokenSource } from '@theia/core/lib/common/cancellation';
import { EntryId, Manifest, newEntryId, resealManifest, sealManifest, WorkspaceId } from '@vouch/protocol';
import { loadServerConfig, VouchServer } from '@vouch/server';
import { Database } from '@vouch/server/lib/persistence/database';
import { WorkspaceEntity, WorkspaceManifestEntity } from '@vouch/server/lib/persistence/entities';
import { TypeormReencryptionRepository } from '@vouch/server/lib/persistence/typeorm-reencryption-repository';
import { expectOk, sendSigned, signRevocations, SocketPool, TestOrganization } from '@vouch/server/lib/testing/socket-harness';
import { TestWorkspaceClient } from '@vouch/server/lib/testing/workspace-fixtures';
import { reencryptWorkspace } from '@vouch/workspaces';
import { identityOf, keysOf, SocketWorkspaceConnection } from '../integration/reencryption-client';
import { createBenchDatabase, DatabaseKind } from './bench-database';
import { count, ResultRow, write } from './report';
import { startServerProcess } from './server-process';
import { nowMs } from './stats';

const MANIFESTS = Number(process.env.VOUCH_BENCH_REENCRYPT_MANIFESTS ?? 100_000);
const TARGET_PER_SECOND = 10_000;
const TARGET_SHARE_OF_LIMIT = 0.5;
const MAX_RUN_MS = 300_000;
const INSERT_CHUNK = 500;
const BATCH = 500;

interface Prepared {
    readonly org: TestOrganization;
    readonly pool: SocketPool;
    readonly workspaceId: WorkspaceId;
    readonly keys: Uint8Array[];
    readonly mia: Parameters<TestOrganization['connect']>[0];
    readonly blobs: { entryId: EntryId; blob: string }[];
}

/** The organization, Mia (Owner), Ron (Reader, then revoked) and a workspace of MANIFESTS file manifests under key 0. */
async function prepare(config: import('@vouch/server').DatabaseConfig): Promise<Prepared> {
    const server = await VouchServer.start({ config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: config, publicUrl: 'http://127.0.0.1:1' }) });
    const pool = new SocketPool();
    try {
        const url = `http://127.0.0.1:${server.address}`;
        const org = await TestOrganization.bootstrap(server, url, pool);
        const admin = await org.connect(org.admin);
        const mia = await org.createUser(admin, org.admin, 'Mia', 'mia@example.com', 'MEMBER');
        const ron = await org.createUser(admin, org.admin, 'Ron', 'ron@example.com', 'MEMBER');
        const client = new TestWorkspaceClient(await org.connect(mia), mia);
        const { workspaceId, keys } = await client.create('Large');
        await expectOk(client.share(workspaceId, ron, 'READER', keys));
        const manager = (server as unknown as { services: { database: Database } }).services.database.manager;
        const blobs: { entryId: EntryId; blob: string }[] = [];
        for (let offset = 0; offset < MANIFESTS; offset += INSERT_CHUNK) {
            const rows = Array.from({ length: Math.min(INSERT_CHUNK, MANIFESTS - offset) }, (_, i) => {
                const entryId = newEntryId();
                const manifest: Manifest = { kind: 'file', size: offset + i, blocks: [{ id: newEntryId(), key: 'A'.repeat(43), size: offset + i }], updated: Date.now(), updatedBy: mia.deviceId };
                const blob = sealManifest(keys[0], { workspaceId, entryId, keyIndex: 0 }, manifest);
                blobs.push({ entryId, blob });
                return { organizationId: org.organizationId, workspaceId, entryId, version: 1, keyIndex: 0, blob, change: 2, updatedOn: Date.now(), updatedBy: mia.deviceId };
            });
            await manager.insert(WorkspaceManifestEntity, rows);
        }
        await manager.update(WorkspaceEntity, { organizationId: org.organizationId, workspaceId }, { lastChange: 2 });
        await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [ron.userId], at) })));
        return { org, pool, workspaceId, keys, mia, blobs };
    } finally {
        pool.closeAll();
        await server.close();
    }
}

/** The client's crypto alone, over the same manifests: opened under key 0 and sealed under key 1, as the library does. */
function cryptoOnly(prepared: Prepared, newKey: Uint8Array): number {
    const started = nowMs();
    for (const { entryId, blob } of prepared.blobs) {
        if (!resealManifest(prepared.keys[0], { workspaceId: prepared.workspaceId, entryId, keyIndex: 0 }, newKey, { workspaceId: prepared.workspaceId, entryId, keyIndex: 1 }, blob)) {
            throw new Error(`manifest ${entryId} does not open`);
        }
    }
    return prepared.blobs.length / ((nowMs() - started) / 1000);
}

/** The database's side alone, over the same rows: pending pages and batch transactions to one more key index, in this process. */
async function databaseOnly(config: import('@vouch/server').DatabaseConfig, prepared: Prepared, fromKeyIndex: number): Promise<number> {
    const db = await Database.open(config, false);
    try {
        const repository = new TypeormReencryptionRepository(db);
        const { organizationId } = prepared.org;
        const now = Date.now();
        const device = { userId: prepared.mia.userId, deviceId: prepared.mia.deviceId };
        const keyIndex = fromKeyIndex + 1;
        if (!await repository.claim(organizationId, prepared.workspaceId, device, now, now + MAX_RUN_MS)) {
            throw new Error('the database-only pass could not claim the run');
        }
        await db.withTransaction(() => repository.rotated(organizationId, prepared.workspaceId, keyIndex));
        const started = nowMs();
        let moved = 0;
        let after = '';
        for (let page = 0; page < MANIFESTS / BATCH + 10; page++) {
            const rows = await repository.pending(organizationId, prepared.workspaceId, keyIndex, after, BATCH);
            if (rows.length === 0) {
                break;
            }
            const result = await repository.reencrypt(organizationId, prepared.workspaceId, device.deviceId, keyIndex,
                rows.map(row => ({ entryId: row.entryId, version: row.version, fromKeyIndex: row.keyIndex, blob: row.blob })), now + MAX_RUN_MS);
            if (typeof result !== 'object' || 'stale' in result) {
                throw new Error(`the database-only pass was refused: ${JSON.stringify(result)}`);
            }
            moved += rows.length;
            after = rows[rows.length - 1].entryId;
        }
        return moved / ((nowMs() - started) / 1000);
    } finally {
        await db.close();
    }
}

async function benchOne(kind: DatabaseKind): Promise<ResultRow> {
    const database = await createBenchDatabase(kind);
    const label = `${kind === 'sqlite' ? 'SQLite' : 'MariaDB'} ${count(MANIFESTS)}`;
    try {
        const setupStarted = nowMs();
        const prepared = await prepare(database.config);
        write(`re-encryption: ${count(MANIFESTS)} manifests sealed and stored in ${((nowMs() - setupStarted) / 1000).toFixed(1)} s (setup, not measured)`);
        const server = await startServerProcess({ kind: 'vouch', database: database.config });
        let rate: number;
        let done: number;
        let keys: Uint8Array[];
        try {
            const socket = await prepared.org.connect(prepared.mia, server.url);
            const source = new CancellationTokenSource();
            const timer = setTimeout(() => source.cancel(), MAX_RUN_MS);
            const started = nowMs();
            let phase = '';
            let reported = 0;
            const result = await reencryptWorkspace(new SocketWorkspaceConnection(socket), identityOf(prepared.mia, prepared.org.boot.rootVerifyKey), prepared.workspaceId,
                {
                    batchSize: BATCH, token: source.token,
                    onProgress: step => {
                        if (step.phase !== phase || step.done >= reported + 20_000) {
                            phase = step.phase;
                            reported = step.done;
                            write(`  ${step.phase} ${count(step.done)} / ${count(step.total)} at ${((nowMs() - started) / 1000).toFixed(1)} s`);
                        }
                    }
                });
            const elapsed = (nowMs() - started) / 1000;
            clearTimeout(timer);
            done = result.kind === 'done' ? result.manifests : result.kind === 'cancelled' ? result.done : 0;
            rate = done / elapsed;
            write(`re-encryption through the client library: ${result.kind}, ${count(done)} manifests in ${elapsed.toFixed(1)} s`);
            keys = await keysOf(socket, prepared.mia, prepared.workspaceId);
            socket.close();
        } finally {
            prepared.pool.closeAll();
            await server.stop();
        }
        const crypto = cryptoOnly(prepared, keys[1]);
        const databaseRate = await databaseOnly(database.config, prepared, 1);
        const limit = Math.min(crypto, databaseRate);
        write(`re-encryption limits of the same run: crypto only ${count(crypto)}/s (one thread), database batches only ${count(databaseRate)}/s`);
        const meets = rate >= TARGET_PER_SECOND && rate >= TARGET_SHARE_OF_LIMIT * limit;
        return {
            scenario: 're-encrypt a workspace (client library)', database: label,
            result: `${count(rate)} manifests/s (${Math.round((rate / limit) * 100)} % of the limit)`,
            target: `≥ ${count(TARGET_PER_SECOND)}/s and ≥ ${TARGET_SHARE_OF_LIMIT * 100} % of the limit`,
            limit: `crypto only ${count(crypto)}/s, database batches only ${count(databaseRate)}/s`,
            verdict: done < MANIFESTS + 1 ? 'FAILED' : meets ? 'MET' : 'MISSED',
            bound: `${count(MANIFESTS)} manifests or ${MAX_RUN_MS / 1000} s`
        };
    } finally {
        await database.drop();
    }
}

export async function runReencryptionBench(kinds: readonly DatabaseKind[]): Promise<ResultRow[]> {
    const rows: ResultRow[] = [];
    for (const kind of kinds) {
        write(`\n== re-encryption on ${kind}`);
        rows.push(await benchOne(kind));
    }
    return rows;
}
