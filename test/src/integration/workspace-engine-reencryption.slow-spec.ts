import { expect } from 'chai';
import { utf8Decode, utf8Encode, WorkspaceId } from '@vouch/protocol';
import { VouchServer } from '@vouch/server/lib/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { expectOk, sendSigned, signRevocations, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization } from '@vouch/server/lib/testing/socket-harness';
import {
    createWorkspaceEngine, MemoryWorkspaceLocalStore, reencryptWorkspace, SyncState, WorkspaceConnection, WorkspaceEngine, WorkspaceError, WorkspaceFiles
} from '@vouch/workspaces';
import { SocketWorkspaceConnection, testIdentity } from './socket-workspace-connection';

/** Resolves once the files' sync state satisfies `test` (now or at a later change), or rejects after `ms`. */
function stateReached(files: WorkspaceFiles, test: (state: SyncState) => boolean, ms = 10_000): Promise<SyncState> {
    if (test(files.state)) {
        return Promise.resolve(files.state);
    }
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { listener.dispose(); reject(new Error(`sync state still ${JSON.stringify(files.state)} after ${ms} ms`)); }, ms);
        const listener = files.onDidChangeState(state => {
            if (test(state)) {
                clearTimeout(timer);
                listener.dispose();
                resolve(state);
            }
        });
    });
}

/** Resolves once the file exists and reads as `text` for this member (pushed changes fetched), or rejects after `ms`. */
async function textSeen(files: WorkspaceFiles, path: string, text: string, ms = 10_000): Promise<void> {
    const seen = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => { listener.dispose(); reject(new Error(`${path} not seen within ${ms} ms`)); }, ms);
        const check = () => files.readFile(path).then(bytes => {
            if (utf8Decode(bytes) === text) {
                clearTimeout(timer);
                listener.dispose();
                resolve();
            }
        }, () => undefined);
        const listener = files.onDidChangeFiles(changes => changes.some(change => change.path === path) && check());
        check();
    });
    return seen;
}

async function refusal(work: Promise<unknown>): Promise<string> {
    try {
        await work;
        return 'done';
    } catch (error) {
        return error instanceof WorkspaceError ? `${error.code}: ${error.message}` : `not a WorkspaceError: ${String(error)}`;
    }
}

/** The runner's connection, held at its first batch until `release` (the run is then in maintenance: rotated, not finished). */
function heldAtFirstBatch(connection: SocketWorkspaceConnection): { connection: WorkspaceConnection; reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const released = new Promise<void>(resolve => { release = resolve; });
    const reachedPromise = new Promise<void>(resolve => { reached = resolve; });
    let held = false;
    return {
        reached: reachedPromise,
        release,
        connection: {
            get connected() { return connection.connected; },
            onWorkspaceChanged: connection.onWorkspaceChanged,
            onWorkspacesChanged: connection.onWorkspacesChanged,
            onWorkspaceMaintenance: connection.onWorkspaceMaintenance,
            onReencryptionNeeded: connection.onReencryptionNeeded,
            onDidChangeConnected: connection.onDidChangeConnected,
            request: async (name, payload) => {
                if (name === 'reencryption.batch' && !held) {
                    held = true;
                    reached();
                    await released;
                }
                return connection.request(name, payload);
            }
        }
    };
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`The workspace engine during a re-encryption, against a real server on ${kind}`, function () {
        this.timeout(120_000);
        const pool = new SocketPool();
        let database: TestDatabase;
        let server: VouchServer;
        let url: string;
        const toClose: { close(): void }[] = [];

        before(async () => {
            database = await open();
            ({ server, url } = await startServer(database.config));
        });
        afterEach(() => {
            toClose.splice(0).forEach(one => one.close());
            pool.closeAll();
        });
        after(async () => {
            await server?.close();
            await database?.drop();
        });

        async function member(org: TestOrganization, device: TestDevice) {
            const connection = new SocketWorkspaceConnection(url, org.organizationId, device);
            await connection.connect();
            const engine = createWorkspaceEngine({ connection, identity: testIdentity(device, org.boot.rootVerifyKey), store: new MemoryWorkspaceLocalStore() });
            toClose.push({ close: () => { engine.dispose(); connection.close(); } });
            await engine.refresh();
            return { connection, engine, device };
        }

        async function listed(engine: WorkspaceEngine, workspaceId: WorkspaceId): Promise<void> {
            for (let i = 0; i < 50 && !engine.workspaces.some(info => info.workspaceId === workspaceId); i++) {
                await engine.refresh();
            }
            expect(engine.workspaces.map(info => info.workspaceId)).to.include(workspaceId);
        }

        it('writes during a run are refused, kept and applied afterwards by themselves (pushed end, or on reconnection); reads are served throughout', async () => {
            const org = await TestOrganization.bootstrap(server, url, pool);
            const admin = await org.connect(org.admin);
            const person = (label: string) => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, 'MEMBER');
            const people = { mia: await person('Mia'), max: await person('Max'), olga: await person('Olga'), ron: await person('Ron') };
            const mia = await member(org, people.mia);
            const workspaceId = await mia.engine.create('Plans');
            await mia.engine.share(workspaceId, ['max', 'olga', 'ron'].map(who => ({ userId: people[who as 'max'].userId, role: 'CONTRIBUTOR' as const })));
            const miaFiles = await mia.engine.open(workspaceId);
            for (let i = 0; i < 12; i++) {
                await miaFiles.writeFile(`/note-${i}.txt`, utf8Encode(`note ${i}`), { create: true, overwrite: false });
            }
            await miaFiles.flush();
            const max = await member(org, people.max);
            const olga = await member(org, people.olga);
            await listed(max.engine, workspaceId);
            await listed(olga.engine, workspaceId);
            const maxFiles = await max.engine.open(workspaceId);
            const olgaFiles = await olga.engine.open(workspaceId);
            await textSeen(maxFiles, '/note-0.txt', 'note 0');

            // Ron is revoked: Mia's engine derives the need from the certificates it is told about.
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.ron.userId], at) })));
            for (let i = 0; i < 50 && !mia.engine.workspaces.find(info => info.workspaceId === workspaceId)?.needsReencryption; i++) {
                await new Promise<void>(resolve => { const listener = mia.engine.onDidChangeWorkspaces(() => { listener.dispose(); resolve(); }); });
            }
            expect(mia.engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({
                needsReencryption: true, reencrypting: false, mayReencrypt: true, revokedMembers: [{ userId: people.ron.userId, label: 'Ron' }]
            });
            await max.engine.refresh();
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId), 'a Contributor sees the need, and may not run it').to.deep.include({
                needsReencryption: true, mayReencrypt: false
            });

            const held = heldAtFirstBatch(mia.connection);
            const run = reencryptWorkspace(held.connection, testIdentity(people.mia, org.boot.rootVerifyKey), workspaceId, { batchSize: 4 });
            await held.reached;

            // Max writes during the run: the edit is kept and readable here, the workspace shows paused.
            await maxFiles.writeFile('/during.txt', utf8Encode('written during the run'), { create: true, overwrite: false });
            await stateReached(maxFiles, state => state.kind === 'paused' && state.reason === 're-encryption in progress');
            expect(await refusal(maxFiles.flush())).to.match(/^Unavailable: A re-encryption is in progress/);
            expect(utf8Decode(await maxFiles.readFile('/during.txt'))).to.equal('written during the run');
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({ reencrypting: true });
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)!.sync).to.deep.include({ kind: 'paused' });

            // Olga writes too, then loses her connection before the run ends: she catches up on reconnection.
            await olgaFiles.writeFile('/offline.txt', utf8Encode('written during the run, sent after reconnecting'), { create: true, overwrite: false });
            await stateReached(olgaFiles, state => state.kind === 'paused');
            olga.connection.drop();

            // Reads are served throughout: a member who opens the workspace now, with nothing cached, reads every file.
            const late = await member(org, people.max);
            const lateFiles = await late.engine.open(workspaceId);
            expect((await lateFiles.readdir('/')).length).to.equal(12);
            expect(utf8Decode(await lateFiles.readFile('/note-11.txt'))).to.equal('note 11');
            expect(await refusal(miaFiles.readFile('/during.txt')), 'nothing written during the run reached the server').to.match(/^FileNotFound/);

            held.release();
            expect(await run).to.deep.include({ kind: 'done', keyIndex: 1, stillNeeded: false });

            // The end is pushed: Max's edit goes out by itself, under the new key, and the Owner sees it.
            await stateReached(maxFiles, state => state.kind === 'synced');
            await textSeen(miaFiles, '/during.txt', 'written during the run');
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({ reencrypting: false, keyIndex: 1 });
            await mia.engine.refresh();
            expect(mia.engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({ needsReencryption: false, reencrypting: false, revokedMembers: [] });

            // Olga missed the end: her reconnection lists the workspace out of maintenance and her edit syncs.
            expect(olgaFiles.state.kind).to.equal('paused');
            await olga.connection.connect();
            await stateReached(olgaFiles, state => state.kind === 'synced');
            await textSeen(miaFiles, '/offline.txt', 'written during the run, sent after reconnecting');
            await textSeen(olgaFiles, '/during.txt', 'written during the run');

            // Writes after the run go straight through.
            await maxFiles.writeFile('/after.txt', utf8Encode('after'), { create: true, overwrite: false });
            await maxFiles.flush();
            await textSeen(miaFiles, '/after.txt', 'after');
        });
    });
}

for (const [kind, openDatabase] of TEST_DATABASES) {
    suite(kind, openDatabase);
}
