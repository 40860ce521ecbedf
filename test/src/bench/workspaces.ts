/**
 * Workspaces, for `npm run bench` (run.ts calls `runWorkspacesBench`; `node test/lib/bench/workspaces.js`
 * runs it alone): upload and download of 10,000 files of 1 KiB and of one 256 MiB file through the
 * real engine (@vouch/workspaces) and a real server in a child process, on SQLite and MariaDB,
 * each beside three limits measured in the same run:
 * - crypto only: the client's sealing and opening of the same blocks and manifests, nothing sent;
 * - socket only: the same block messages (small blocks ten per request, as the engine sends them)
 *   to a bare Socket.IO server that acknowledges them;
 * - database only: the same block and manifest rows through the server's repository, no socket.
 * The target: each transfer at ≥ 50 % of the slowest of the three. Also the block ciphers measured
 * in Chromium (block-cipher-browser.ts), and the manifest count and
 * sealed bytes of a 100,000-file workspace (for the re-encryption, which re-seals manifests).
 * Every loop is bounded in count; a missed target is reported, not thrown.
 */
import {
    BLOCK_SIZE, BLOCKS_PER_BATCH, DEVICE_NAMESPACE, EntryId, FileManifest, FolderManifest, Manifest, MANIFESTS_PER_BATCH, newBlockKey, newEntryId, newWorkspaceKey,
    openManifest, ROOT_ENTRY_ID, sealManifest, toBase64Url, VOUCH_SOCKET_PATH, webCryptoAesGcmBlockCipher
} from '@vouch/protocol';
import { TypeormWorkspacesRepository } from '@vouch/server/lib/persistence/typeorm-workspaces-repository';
import { openServices } from '@vouch/server/lib/services';
import { createWorkspaceEngine, MemoryWorkspaceLocalStore, WorkspaceEngine, WorkspaceFiles } from '@vouch/workspaces';
import { Socket, io } from 'socket.io-client';
import { SocketWorkspaceConnection, testIdentity } from '../integration/socket-workspace-connection';
import { BenchDatabase, createBenchDatabase, DatabaseKind } from './bench-database';
import { cipherRows, measureBlockCiphersInBrowser } from './block-cipher-browser';
import { count, loadLine, machineLine, ResultRow, table, write } from './report';
import { SeededOrganization } from './seed';
import { killAllServers, startServerProcess } from './server-process';
import { nowMs } from './stats';

const SMALL_FILES = Number(process.env.VOUCH_BENCH_SMALL_FILES ?? 10_000);
const SMALL_SIZE = 1024;
const FOLDERS = 100;
const LARGE_SIZE = Number(process.env.VOUCH_BENCH_LARGE_MIB ?? 256) * 1024 * 1024;
const CONCURRENCY = Number(process.env.VOUCH_BENCH_CONCURRENCY ?? 32);
const TARGET_SHARE = 0.5;
const MANIFEST_COUNT_FILES = 100_000;

interface Rate {
    readonly ms: number;
    readonly bytes: number;
    readonly items: number;
}

function mib(bytes: number): string {
    return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 1)} MiB`;
}

function perSecond(rate: Rate): number {
    return rate.items * 1000 / rate.ms;
}

function describe(rate: Rate, unit: 'files' | 'MiB'): string {
    return unit === 'files'
        ? `${count(perSecond(rate))} files/s (${(rate.ms / 1000).toFixed(2)} s)`
        : `${(rate.bytes / 2 ** 20 * 1000 / rate.ms).toFixed(1)} MiB/s (${(rate.ms / 1000).toFixed(2)} s)`;
}

/** Runs `work(i)` for i < total with at most `concurrency` in flight. */
async function pool(total: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, async () => {
        while (next < total) {
            await work(next++);
        }
    }));
}

async function timed(items: number, bytes: number, work: () => Promise<void>): Promise<Rate> {
    const start = nowMs();
    await work();
    return { ms: nowMs() - start, bytes, items };
}

function smallPath(i: number): string {
    return `/folder-${String(i % FOLDERS).padStart(3, '0')}/file-${String(i).padStart(5, '0')}.txt`;
}

function fileManifest(size: number, blocks: number): FileManifest {
    return {
        kind: 'file', size, updated: Date.now(), updatedBy: 'd'.repeat(32),
        blocks: Array.from({ length: blocks }, () => ({ id: newEntryId(), key: toBase64Url(newBlockKey()), size: Math.min(size, BLOCK_SIZE) }))
    };
}

/** The client's crypto for the same work: each block sealed and opened under its own key (the engine's cipher), each file manifest sealed and opened. */
async function cryptoOnly(files: number, size: number): Promise<{ up: Rate; down: Rate }> {
    const workspaceId = newEntryId();
    const key = newWorkspaceKey();
    const cipher = webCryptoAesGcmBlockCipher;
    const data = new Uint8Array(Math.min(size, BLOCK_SIZE)).map((_, i) => i % 251);
    const blocksPerFile = Math.ceil(size / BLOCK_SIZE);
    const sealed: { blockId: EntryId; key: Uint8Array; box: Uint8Array }[] = [];
    const manifests: { entryId: EntryId; blob: string }[] = [];
    const up = nowMs();
    for (let f = 0; f < files; f++) {
        for (let b = 0; b < blocksPerFile; b++) {
            const blockId = newEntryId();
            const blockKey = newBlockKey();
            const box = await cipher.seal(blockKey, workspaceId, blockId, data);
            if (sealed.length < 64) {
                sealed.push({ blockId, key: blockKey, box });
            }
        }
        const entryId = newEntryId();
        const blob = sealManifest(key, { workspaceId, entryId, keyIndex: 0 }, fileManifest(size, blocksPerFile));
        if (manifests.length < 64) {
            manifests.push({ entryId, blob });
        }
    }
    const upMs = nowMs() - up;
    const down = nowMs();
    for (let f = 0; f < files; f++) {
        for (let b = 0; b < blocksPerFile; b++) {
            const one = sealed[(f * blocksPerFile + b) % sealed.length];
            if (!await cipher.open(one.key, workspaceId, one.blockId, one.box)) {
                throw new Error('a block did not open');
            }
        }
        const manifest = manifests[f % manifests.length];
        if (!openManifest(key, { workspaceId, entryId: manifest.entryId, keyIndex: 0 }, manifest.blob)) {
            throw new Error('a manifest did not open');
        }
    }
    return { up: { ms: upMs, bytes: files * size, items: files }, down: { ms: nowMs() - down, bytes: files * size, items: files } };
}

/** The same block messages to a bare Socket.IO server: what the transport alone reaches here. */
async function socketOnly(files: number, size: number): Promise<{ up: Rate; down: Rate }> {
    const bare = await startServerProcess({ kind: 'bare' });
    const socket: Socket = io(`${bare.url}${DEVICE_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
        await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
        const blocksPerFile = Math.ceil(size / BLOCK_SIZE);
        const blockBytes = Math.min(size, BLOCK_SIZE) + 40;
        const data = new Uint8Array(blockBytes);
        const workspaceId = newEntryId();
        const blocks = files * blocksPerFile;
        const concurrency = blocksPerFile > 1 ? 4 : CONCURRENCY;
        const up = await timed(files, files * size, () => blocksPerFile > 1
            ? pool(blocks, concurrency, async () => {
                await socket.timeout(30_000).emitWithAck('workspaces.putBlock', { workspaceId, blockId: newEntryId(), data });
            })
            // Small blocks go ten per request, as the engine sends them.
            : pool(Math.ceil(blocks / BLOCKS_PER_BATCH), Math.ceil(CONCURRENCY / BLOCKS_PER_BATCH), async () => {
                await socket.timeout(30_000).emitWithAck('workspaces.putBlocks', { workspaceId, blocks: Array.from({ length: BLOCKS_PER_BATCH }, () => ({ blockId: newEntryId(), data })) });
            }));
        const down = await timed(files, files * size, () => pool(blocks, concurrency, async () => {
            await socket.timeout(30_000).emitWithAck('workspaces.getBlock', { workspaceId, blockId: newEntryId(), size: blockBytes });
        }));
        return { up, down };
    } finally {
        socket.close();
        await bare.stop();
    }
}

/** The same rows through the server's repository (blocks, then manifests in batches of 500), no socket. */
async function databaseOnly(database: BenchDatabase, files: number, size: number): Promise<{ up: Rate; down: Rate }> {
    const services = await openServices(database.config);
    try {
        const repository = new TypeormWorkspacesRepository(services.database);
        const workspaceId = newEntryId();
        const organizationId = 'Bench';
        const key = newWorkspaceKey();
        await services.database.withTransaction(() => repository.create({ organizationId, workspaceId, createdOn: Date.now(), createdBy: 'u'.repeat(32), keyIndex: 0, lastChange: 1 },
            { userId: 'u'.repeat(32), role: 'OWNER', sealedKeys: 'x' }, { blob: 'x', updatedBy: 'd'.repeat(32), now: Date.now() }));
        const blocksPerFile = Math.ceil(size / BLOCK_SIZE);
        const data = new Uint8Array(Math.min(size, BLOCK_SIZE) + 40).map((_, i) => i % 251);
        const blob = sealManifest(key, { workspaceId, entryId: ROOT_ENTRY_ID, keyIndex: 0 }, fileManifest(size, blocksPerFile));
        const ids = Array.from({ length: files * blocksPerFile }, () => newEntryId());
        const entryIds = Array.from({ length: files }, () => newEntryId());
        const concurrency = blocksPerFile > 1 ? 4 : CONCURRENCY;
        const up = await timed(files, files * size, async () => {
            if (blocksPerFile > 1) {
                await pool(ids.length, concurrency, async i => repository.putBlock(organizationId, workspaceId, ids[i], data));
            } else {
                // Small blocks go ten per request, as the engine sends them.
                await pool(Math.ceil(ids.length / BLOCKS_PER_BATCH), Math.ceil(CONCURRENCY / BLOCKS_PER_BATCH), async batch =>
                    repository.putBlocks(organizationId, workspaceId, ids.slice(batch * BLOCKS_PER_BATCH, (batch + 1) * BLOCKS_PER_BATCH).map(blockId => ({ blockId, data }))));
            }
            for (let offset = 0; offset < entryIds.length; offset += MANIFESTS_PER_BATCH) {
                const batch = entryIds.slice(offset, offset + MANIFESTS_PER_BATCH).map(entryId => ({ entryId, expectedVersion: 0, keyIndex: 0, blob }));
                const written = await repository.writeManifests(organizationId, workspaceId, batch, 'd'.repeat(32), Date.now());
                if ('conflict' in written) {
                    throw new Error('a manifest conflicted');
                }
            }
        });
        const down = await timed(files, files * size, async () => {
            for (let since = 1; ;) {
                const page = await repository.manifestsSince(organizationId, workspaceId, since, MANIFESTS_PER_BATCH);
                if (page.length === 0) {
                    break;
                }
                since = page[page.length - 1].change;
            }
            await pool(ids.length, concurrency, async i => {
                if (!await repository.getBlock(organizationId, workspaceId, ids[i])) {
                    throw new Error('a block is missing');
                }
            });
        });
        return { up, down };
    } finally {
        await services.database.close();
    }
}

/** Reads the process's resident memory every 50 ms while `work` runs: its peak above the start. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
    const start = process.memoryUsage().rss;
    let peak = start;
    const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
    try {
        const value = await work();
        peak = Math.max(peak, process.memoryUsage().rss);
        return { value, peakMiB: (peak - start) / 2 ** 20 };
    } finally {
        clearInterval(timer);
    }
}

interface EngineRun {
    readonly smallUp: Rate;
    readonly smallDown: Rate;
    readonly largeUp: Rate;
    readonly largeDown: Rate;
    readonly largeUpPeakMiB: number;
    readonly largeDownPeakMiB: number;
}

async function engineRuns(url: string, organization: SeededOrganization, serverCpuMs: () => Promise<number>): Promise<EngineRun> {
    const device = organization.boot.admin;
    const clients: { engine: WorkspaceEngine; connection: SocketWorkspaceConnection }[] = [];
    const client = async () => {
        const connection = new SocketWorkspaceConnection(url, organization.organizationId, device);
        await connection.connect();
        const engine = createWorkspaceEngine({ connection, identity: testIdentity(device, organization.boot.rootVerifyKey), store: new MemoryWorkspaceLocalStore() });
        clients.push({ engine, connection });
        await engine.refresh();
        return engine;
    };
    try {
        const writer = await client();
        const workspaceId = await writer.create('Benchmark');
        const files: WorkspaceFiles = await writer.open(workspaceId);
        for (let folder = 0; folder < FOLDERS; folder++) {
            await files.mkdir(`/folder-${String(folder).padStart(3, '0')}`);
        }
        await files.flush();
        const content = new Uint8Array(SMALL_SIZE).map((_, i) => i % 251);
        const serverBefore = await serverCpuMs();
        const clientBefore = process.cpuUsage();
        const smallUp = await timed(SMALL_FILES, SMALL_FILES * SMALL_SIZE, async () => {
            await pool(SMALL_FILES, CONCURRENCY, i => files.writeFile(smallPath(i), content, { create: true, overwrite: false }));
            await files.flush();
        });
        const clientCpu = process.cpuUsage(clientBefore);
        write(`small upload CPU per file: client ${((clientCpu.user + clientCpu.system) / 1000 / SMALL_FILES).toFixed(2)} ms, server ${((await serverCpuMs() - serverBefore) / SMALL_FILES).toFixed(2)} ms`);
        const chunk = new Uint8Array(1024 * 1024).map((_, i) => (i * 13) % 256);
        const large = await peakMemory(() => timed(1, LARGE_SIZE, async () => {
            await files.writeFile('/large.bin', {
                size: LARGE_SIZE, chunks: (async function* () {
                    for (let offset = 0; offset < LARGE_SIZE; offset += chunk.length) {
                        yield chunk.subarray(0, Math.min(chunk.length, LARGE_SIZE - offset));
                    }
                })()
            }, { create: true, overwrite: false });
            await files.flush();
        }));

        // Another client with nothing cached: every manifest and block comes from the server.
        const reader = await client();
        const readerFiles = await reader.open(workspaceId);
        const smallDown = await timed(SMALL_FILES, SMALL_FILES * SMALL_SIZE, async () => {
            await pool(SMALL_FILES, CONCURRENCY, async i => {
                const got = await readerFiles.readFile(smallPath(i));
                if (got.length !== SMALL_SIZE) {
                    throw new Error(`${smallPath(i)} came back with ${got.length} bytes`);
                }
            });
        });
        const largeDown = await peakMemory(() => timed(1, LARGE_SIZE, async () => {
            let bytes = 0;
            for await (const block of readerFiles.readFileStream('/large.bin')) {
                bytes += block.length;
            }
            if (bytes !== LARGE_SIZE) {
                throw new Error(`large.bin came back with ${bytes} bytes`);
            }
        }));
        return { smallUp, smallDown, largeUp: large.value, largeDown: largeDown.value, largeUpPeakMiB: large.peakMiB, largeDownPeakMiB: largeDown.peakMiB };
    } finally {
        for (const { engine, connection } of clients) {
            engine.dispose();
            connection.close();
        }
    }
}

function row(scenario: string, database: string, transfer: Rate, limits: { crypto: Rate; socket: Rate; database: Rate }, unit: 'files' | 'MiB', note = ''): ResultRow {
    const slowest = Math.min(perSecond(limits.crypto), perSecond(limits.socket), perSecond(limits.database));
    const share = perSecond(transfer) / slowest;
    return {
        scenario, database,
        result: `${describe(transfer, unit)}, ${(share * 100).toFixed(0)} % of the slowest limit${note}`,
        target: `≥ ${TARGET_SHARE * 100} % of the slowest limit`,
        limit: `crypto ${describe(limits.crypto, unit)}; socket ${describe(limits.socket, unit)}; database ${describe(limits.database, unit)}`,
        verdict: share >= TARGET_SHARE ? 'MET' : 'MISSED',
        bound: unit === 'files' ? `${count(transfer.items)} files` : mib(transfer.bytes)
    };
}

/** How many manifests a workspace of 100,000 one-block files in folders of 100 holds, and their sealed bytes: what a re-encryption re-seals. */
function manifestCensus(): ResultRow {
    const workspaceId = newEntryId();
    const key = newWorkspaceKey();
    const folders = MANIFEST_COUNT_FILES / 100;
    let bytes = 0;
    let manifests = 0;
    const start = nowMs();
    const seal = (manifest: Manifest) => {
        bytes += sealManifest(key, { workspaceId, entryId: newEntryId(), keyIndex: 0 }, manifest).length;
        manifests++;
    };
    const root: FolderManifest = { kind: 'folder', name: 'A workspace', updated: Date.now(), updatedBy: 'd'.repeat(32), children: {} };
    for (let f = 0; f < folders; f++) {
        root.children[`folder-${String(f).padStart(4, '0')}`] = newEntryId();
        const folder: FolderManifest = { kind: 'folder', updated: Date.now(), updatedBy: 'd'.repeat(32), children: {} };
        for (let i = 0; i < 100; i++) {
            folder.children[`document-${String(f * 100 + i).padStart(6, '0')}.txt`] = newEntryId();
            seal(fileManifest(20_000, 1));
        }
        seal(folder);
    }
    seal(root);
    const elapsed = nowMs() - start;
    return {
        scenario: `manifests of a ${count(MANIFEST_COUNT_FILES)}-file workspace (folders of 100)`, database: '—',
        result: `${count(manifests)} manifests, ${mib(bytes)} sealed (sealing all: ${(elapsed / 1000).toFixed(1)} s, portable XChaCha20-Poly1305)`,
        target: 'for the re-encryption issue', limit: '—', verdict: 'MET', bound: `${count(MANIFEST_COUNT_FILES)} files`
    };
}

export async function runWorkspacesBench(databases: readonly DatabaseKind[]): Promise<ResultRow[]> {
    const rows: ResultRow[] = [];
    write(`\n== Workspaces: ${count(SMALL_FILES)} files of ${SMALL_SIZE} B in ${FOLDERS} folders (${CONCURRENCY} in flight), one file of ${mib(LARGE_SIZE)} ` +
        `(streamed in ${mib(BLOCK_SIZE)} blocks), through @vouch/workspaces and a server in a child process`);
    const cryptoSmall = await cryptoOnly(SMALL_FILES, SMALL_SIZE);
    const cryptoLarge = await cryptoOnly(1, LARGE_SIZE);
    write(`crypto only: small ${describe(cryptoSmall.up, 'files')} up, ${describe(cryptoSmall.down, 'files')} down; large ${describe(cryptoLarge.up, 'MiB')} up, ${describe(cryptoLarge.down, 'MiB')} down`);
    const socketSmall = await socketOnly(SMALL_FILES, SMALL_SIZE);
    const socketLarge = await socketOnly(1, LARGE_SIZE);
    write(`socket only: small ${describe(socketSmall.up, 'files')} up, ${describe(socketSmall.down, 'files')} down; large ${describe(socketLarge.up, 'MiB')} up, ${describe(socketLarge.down, 'MiB')} down`);
    for (const kind of databases) {
        const label = kind === 'sqlite' ? 'SQLite' : 'MariaDB';
        const database = await createBenchDatabase(kind);
        write(`\n-- ${database.description}`);
        try {
            const dbSmall = await databaseOnly(database, SMALL_FILES, SMALL_SIZE);
            const dbLarge = await databaseOnly(database, 1, LARGE_SIZE);
            write(`database only: small ${describe(dbSmall.up, 'files')} up, ${describe(dbSmall.down, 'files')} down; large ${describe(dbLarge.up, 'MiB')} up, ${describe(dbLarge.down, 'MiB')} down`);
            const organization = await SeededOrganization.bootstrap(database.config);
            await organization.close();
            const server = await startServerProcess({ kind: 'vouch', database: database.config });
            try {
                const run = await engineRuns(server.url, organization, () => server.cpuMs());
                rows.push(
                    row(`upload ${count(SMALL_FILES)} × 1 KiB`, label, run.smallUp, { crypto: cryptoSmall.up, socket: socketSmall.up, database: dbSmall.up }, 'files'),
                    row(`download ${count(SMALL_FILES)} × 1 KiB (fresh client)`, label, run.smallDown, { crypto: cryptoSmall.down, socket: socketSmall.down, database: dbSmall.down }, 'files'),
                    row(`upload 1 × ${mib(LARGE_SIZE)}`, label, run.largeUp, { crypto: cryptoLarge.up, socket: socketLarge.up, database: dbLarge.up }, 'MiB',
                        `; client memory peak +${run.largeUpPeakMiB.toFixed(0)} MiB`),
                    row(`download 1 × ${mib(LARGE_SIZE)} (streamed)`, label, run.largeDown, { crypto: cryptoLarge.down, socket: socketLarge.down, database: dbLarge.down }, 'MiB',
                        `; client memory peak +${run.largeDownPeakMiB.toFixed(0)} MiB`)
                );
                rows.slice(-4).forEach(one => write(`${one.scenario}: ${one.result} [${one.verdict}]`));
            } finally {
                await server.stop();
            }
        } finally {
            await database.drop();
        }
    }
    rows.push(...cipherRows(await measureBlockCiphersInBrowser()));
    rows.push(manifestCensus());
    write(`${rows[rows.length - 1].scenario}: ${rows[rows.length - 1].result}`);
    return rows;
}

if (require.main === module) {
    process.on('exit', killAllServers);
    const started = Date.now();
    write(`Vouch workspaces benchmark — ${new Date(started).toISOString()}`);
    write(`Machine: ${machineLine()}; at start: ${loadLine()}`);
    runWorkspacesBench((process.env.VOUCH_BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseKind[]).then(rows => {
        write(`\nResults (${((Date.now() - started) / 1000).toFixed(0)} s; at the end: ${loadLine()})`);
        write(table(rows));
        process.exit(0);
    }, error => {
        process.stderr.write(`benchmark crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
    });
}
