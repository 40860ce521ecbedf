import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { toBase64Url, WorkspaceId } from '@vouch/protocol';
import { DatabaseConfig } from '@vouch/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import {
    errorCode, expectOk, sendSigned, signRevocations, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization
} from '@vouch/server/lib/testing/socket-harness';
import { TestWorkspaceClient } from '@vouch/server/lib/testing/workspace-fixtures';
import { reencryptWorkspace } from '@vouch/workspaces';
import { RunnerArguments } from './reencryption-runner-main';
import { addManifests, allManifests, identityOf, keysOf, openAll, openedBy, SocketWorkspaceConnection, summaryOf } from './reencryption-client';

const SERVER_BIN = path.resolve(__dirname, '..', '..', '..', 'backend', 'bin', 'vouch-server.js');
const KILLS = 20;
const MANIFESTS = 3000;
const BATCH = 50;
const START_TIMEOUT_MS = 30_000;
const RUNNER_MAIN = path.join(__dirname, 'reencryption-runner-main.js');

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}

function databaseUrl(config: DatabaseConfig): string {
    return config.kind === 'sqlite' ? `sqlite:${config.path}` : config.url;
}

/** `vouch-server serve` in a process of its own, on loopback: what an operator runs, and what a crash kills. */
async function spawnServer(database: DatabaseConfig, port: number, dataDir: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [SERVER_BIN, 'serve'], {
        env: { ...process.env, PORT: String(port), VOUCH_HOST: '127.0.0.1', VOUCH_DB_URL: databaseUrl(database), VOUCH_DATA_DIR: dataDir, VOUCH_PUBLIC_URL: `http://127.0.0.1:${port}` },
        stdio: ['ignore', 'pipe', 'pipe']
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms: ${output}`)), START_TIMEOUT_MS);
        const read = (chunk: Buffer) => {
            output += chunk.toString();
            if (output.includes('listening on')) {
                clearTimeout(timer);
                resolve();
            }
        };
        child.stdout!.on('data', read);
        child.stderr!.on('data', read);
        child.once('exit', code => { clearTimeout(timer); reject(new Error(`the server exited with ${code}: ${output}`)); });
    });
    child.stdout!.resume();
    child.stderr!.resume();
    return child;
}

/** The client in a process of its own; resolves with its lines of progress as they come (`onLine`) and its exit. */
function spawnRunner(args: RunnerArguments, onLine: (line: string) => void): ChildProcess {
    const child = spawn(process.execPath, [RUNNER_MAIN, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        lines.forEach(onLine);
    });
    child.stderr!.resume();
    return child;
}

function killed(child: ChildProcess): Promise<void> {
    return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise(resolve => child.once('exit', () => resolve()));
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Re-encryption through ${KILLS} crashes (SIGKILL) of the server, then of the client, on ${kind}`, function () {
        this.timeout(600_000);
        const pool = new SocketPool();
        const children = new Set<ChildProcess>();
        let database: TestDatabase;
        let dataDir: string;

        before(async () => {
            database = await open();
            dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-reencrypt-'));
        });
        after(async () => {
            pool.closeAll();
            for (const child of children) {
                child.kill('SIGKILL');
                await killed(child);
            }
            await database?.drop();
            fs.rmSync(dataDir, { recursive: true, force: true });
        });

        it('resumes after each crash where the server\'s progress stands: no manifest lost, none undecryptable, counts exact, none left for the revoked keys', async () => {
            // The workspace is set up by a server in this process, then closed: only the crash loop runs in child processes.
            const setup = await startServer(database.config);
            const org = await TestOrganization.bootstrap(setup.server, setup.url, pool);
            const admin = await org.connect(org.admin);
            const person = (label: string) => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, 'MEMBER');
            const [mia, olga, ron] = [await person('Mia'), await person('Olga'), await person('Ron')];
            const miaClient = new TestWorkspaceClient(await org.connect(mia), mia);
            const { workspaceId, keys } = await miaClient.create('Crashes');
            for (const [who, role] of [[olga, 'OWNER'], [ron, 'READER']] as const) {
                expect(errorCode(await miaClient.share(workspaceId, who, role, keys))).to.equal('ok');
            }
            await addManifests(miaClient.socket, workspaceId, keys, MANIFESTS, mia.deviceId);
            const ronKeys = await keysOf(await org.connect(ron), ron, workspaceId);
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [ron.userId], at) })));
            pool.closeAll();
            await setup.server.close();

            const port = await freePort();
            const url = `http://127.0.0.1:${port}`;
            const start = async () => {
                const child = await spawnServer(database.config, port, dataDir);
                children.add(child);
                child.once('exit', () => children.delete(child));
                return child;
            };
            const check = async (who: TestDevice, workspace: WorkspaceId) => {
                const socket = await org.connect(who, url);
                const rows = await allManifests(socket, workspace);
                expect(rows, 'no manifest lost').to.have.length(MANIFESTS + 1);
                expect(openAll(rows, await keysOf(socket, who, workspace), workspace).size, 'none undecryptable').to.equal(MANIFESTS + 1);
                const run = (await summaryOf(socket, workspace))?.reencryption?.run;
                if (run?.keyIndex !== undefined) {
                    expect({ done: run.done, total: run.total }, 'the progress counts what is stored').to.deep.equal({ done: rows.filter(row => row.keyIndex === run.keyIndex).length, total: MANIFESTS + 1 });
                }
                socket.close();
                return rows;
            };

            let kills = 0;
            let finished = false;
            let random = 0x2545f491;
            const nextRandom = (below: number) => {
                random = (random * 1103515245 + 12345) % 2 ** 31;
                return random % below;
            };
            let child = await start();
            while (kills < KILLS && !finished) {
                const socket = await org.connect(mia, url);
                // Killed after 1 to 3 steps of the run, and 0 to 14 ms later: before, inside or after a batch's transaction.
                const steps = 1 + nextRandom(3);
                const lag = nextRandom(15);
                let seen = 0;
                const outcome = await reencryptWorkspace(new SocketWorkspaceConnection(socket), identityOf(mia, org.boot.rootVerifyKey), workspaceId, {
                    batchSize: BATCH,
                    onProgress: () => {
                        if (++seen === steps) {
                            setTimeout(() => child.kill('SIGKILL'), lag);
                        }
                    }
                }).then(result => result.kind, () => 'interrupted');
                child.kill('SIGKILL');
                await killed(child);
                socket.close();
                kills++;
                finished = outcome === 'done';
                child = await start();
                await check(olga, workspaceId);
            }
            expect(kills, 'crashes').to.be.at.least(KILLS);
            expect(finished, 'the crashes came before the end of the run').to.equal(false);

            const socket = await org.connect(mia, url);
            const result = await reencryptWorkspace(new SocketWorkspaceConnection(socket), identityOf(mia, org.boot.rootVerifyKey), workspaceId, { batchSize: BATCH });
            expect(result).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: MANIFESTS + 1, stillNeeded: false });
            const rows = await check(olga, workspaceId);
            expect(new Set(rows.map(row => row.keyIndex))).to.deep.equal(new Set([1]));
            expect(openAll(rows, await keysOf(socket, mia, workspaceId), workspaceId).size).to.equal(MANIFESTS + 1);
            expect(openedBy(rows, ronKeys, workspaceId), 'the revoked user\'s keys open nothing').to.equal(0);
            expect((await summaryOf(socket, workspaceId))?.reencryption).to.deep.equal({ needed: false });
            child.kill('SIGTERM');
            await killed(child);
        });

        it('resumes after each crash of the client (SIGKILL) half way, from the Owner\'s next run: counts exact, nothing lost, nothing left for the revoked keys', async () => {
            const { server, url } = await startServer(database.config);
            try {
                const org = await TestOrganization.bootstrap(server, url, pool);
                const admin = await org.connect(org.admin);
                const person = (label: string) => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, 'MEMBER');
                const [mia, olga, ron] = [await person('Mia'), await person('Olga'), await person('Ron')];
                const miaClient = new TestWorkspaceClient(await org.connect(mia), mia);
                const { workspaceId, keys } = await miaClient.create('Client crashes');
                for (const [who, role] of [[olga, 'CONTRIBUTOR'], [ron, 'READER']] as const) {
                    expect(errorCode(await miaClient.share(workspaceId, who, role, keys))).to.equal('ok');
                }
                await addManifests(miaClient.socket, workspaceId, keys, MANIFESTS, mia.deviceId);
                const ronKeys = await keysOf(await org.connect(ron), ron, workspaceId);
                await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [ron.userId], at) })));
                const args: RunnerArguments = {
                    url, organizationId: org.organizationId, rootVerifyKey: org.boot.rootVerifyKey, workspaceId, batchSize: BATCH,
                    device: {
                        userId: mia.userId, deviceId: mia.deviceId, email: mia.email, label: mia.label,
                        signingKey: [toBase64Url(mia.signingKey.secretKey), toBase64Url(mia.signingKey.verifyKey)],
                        userKey: [toBase64Url(mia.userKey!.privateKey), toBase64Url(mia.userKey!.publicKey)]
                    }
                };
                const olgaSocket = await org.connect(olga);
                let random = 0x1f2e3d4c;
                const nextRandom = (below: number) => {
                    random = (random * 1103515245 + 12345) % 2 ** 31;
                    return random % below;
                };
                let kills = 0;
                let result: string | undefined;
                while (kills < KILLS && result === undefined) {
                    const steps = 1 + nextRandom(3);
                    const lag = nextRandom(15);
                    let seen = 0;
                    const child = spawnRunner(args, line => {
                        if (line.startsWith('result ')) {
                            result = line;
                        } else if (line.startsWith('progress ') && ++seen === steps) {
                            setTimeout(() => child.kill('SIGKILL'), lag);
                        }
                    });
                    children.add(child);
                    await killed(child);
                    children.delete(child);
                    kills++;
                    // The server may still be committing the dead client's last batch: read until nothing moved during the read.
                    const runNow = async () => JSON.stringify((await summaryOf(olgaSocket, workspaceId))?.reencryption?.run ?? null);
                    let rows = await allManifests(olgaSocket, workspaceId);
                    for (let reads = 0, before = ''; reads < 20 && before !== await runNow(); reads++) {
                        before = await runNow();
                        rows = await allManifests(olgaSocket, workspaceId);
                    }
                    expect(rows, 'no manifest lost').to.have.length(MANIFESTS + 1);
                    expect(openAll(rows, await keysOf(olgaSocket, olga, workspaceId), workspaceId).size, 'none undecryptable').to.equal(MANIFESTS + 1);
                    const run = JSON.parse(await runNow()) as { keyIndex?: number; done: number; total: number } | null;
                    if (run?.keyIndex !== undefined) {
                        expect({ done: run.done, total: run.total }).to.deep.equal({ done: rows.filter(row => row.keyIndex === run.keyIndex).length, total: MANIFESTS + 1 });
                    }
                }
                expect(result, 'the crashes came before the end of the run').to.equal(undefined);
                const socket = await org.connect(mia);
                expect(await reencryptWorkspace(new SocketWorkspaceConnection(socket), identityOf(mia, org.boot.rootVerifyKey), workspaceId, { batchSize: BATCH }))
                    .to.deep.equal({ kind: 'done', keyIndex: 1, manifests: MANIFESTS + 1, stillNeeded: false });
                const rows = await allManifests(olgaSocket, workspaceId);
                expect(openAll(rows, await keysOf(olgaSocket, olga, workspaceId), workspaceId).size).to.equal(MANIFESTS + 1);
                expect(new Set(rows.map(row => row.keyIndex))).to.deep.equal(new Set([1]));
                expect(openedBy(rows, ronKeys, workspaceId)).to.equal(0);
            } finally {
                pool.closeAll();
                await server.close();
            }
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
