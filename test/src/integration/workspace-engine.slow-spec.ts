import { expect } from 'chai';
import { utf8Decode, utf8Encode, WorkspaceId } from '@vouch/protocol';
import { VouchServer } from '@vouch/server/lib/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization } from '@vouch/server/lib/testing/socket-harness';
import { createWorkspaceEngine, FileChange, MemoryWorkspaceLocalStore, WorkspaceEngine, WorkspaceError, WorkspaceFiles } from '@vouch/workspaces';
import { SocketWorkspaceConnection, testIdentity } from './socket-workspace-connection';

/** Resolves with the first batch of changes that satisfies `test`, or rejects after `ms`. */
function changeSeen(files: WorkspaceFiles, test: (changes: readonly FileChange[]) => boolean, ms = 1000): Promise<readonly FileChange[]> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { listener.dispose(); reject(new Error(`no such change within ${ms} ms`)); }, ms);
        const listener = files.onDidChangeFiles(changes => {
            if (test(changes)) {
                clearTimeout(timer);
                listener.dispose();
                resolve(changes);
            }
        });
    });
}

async function refusal(work: Promise<unknown>): Promise<string> {
    try {
        await work;
        return 'done';
    } catch (error) {
        return error instanceof WorkspaceError ? `${error.code}: ${error.message}` : `not a WorkspaceError: ${String(error)}`;
    }
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`The workspace engine against a real server on ${kind}`, function () {
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

        /** A member's client: a real socket, the engine over it, a store that outlives it when given. */
        async function member(org: TestOrganization, device: TestDevice, store = new MemoryWorkspaceLocalStore()) {
            const connection = new SocketWorkspaceConnection(url, org.organizationId, device);
            await connection.connect();
            const engine = createWorkspaceEngine({ connection, identity: testIdentity(device, org.boot.rootVerifyKey), store });
            toClose.push({ close: () => { engine.dispose(); connection.close(); } });
            await engine.refresh();
            return { connection, engine, store, device };
        }

        async function cast() {
            const org = await TestOrganization.bootstrap(server, url, pool);
            const admin = await org.connect(org.admin);
            const people = {
                mia: await org.createUser(admin, org.admin, 'Mia Member', 'mia@example.com', 'MEMBER'),
                max: await org.createUser(admin, org.admin, 'Max Member', 'max@example.com', 'MEMBER'),
                eve: await org.createUser(admin, org.admin, 'Eve External', 'eve@example.com', 'EXTERNAL'),
                ron: await org.createUser(admin, org.admin, 'Ron Member', 'ron@example.com', 'MEMBER')
            };
            return { org, admin, people };
        }

        async function shared(engine: WorkspaceEngine, workspaceId: WorkspaceId, other: WorkspaceEngine): Promise<void> {
            for (let i = 0; i < 50 && !other.workspaces.some(info => info.workspaceId === workspaceId); i++) {
                await other.refresh();
            }
            expect(other.workspaces.map(info => info.workspaceId)).to.include(workspaceId);
            void engine;
        }

        it('creates a workspace, shares it, and another member opens it, writes, and the first sees it pushed within a second', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Quarterly plans');
            expect(mia.engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({ name: 'Quarterly plans', role: 'OWNER', keyIndex: 0 });
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]);
            await shared(mia.engine, workspaceId, max.engine);
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)!.members.map(one => one.role).sort()).to.deep.equal(['CONTRIBUTOR', 'OWNER']);

            const miaFiles = await mia.engine.open(workspaceId);
            const maxFiles = await max.engine.open(workspaceId);
            expect(await maxFiles.readdir('/')).to.deep.equal([]);
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)!.name).to.equal('Quarterly plans');

            const folderSeen = changeSeen(miaFiles, changes => changes.some(change => change.path === '/Drafts/plan.txt'));
            await maxFiles.mkdir('/Drafts');
            await maxFiles.writeFile('/Drafts/plan.txt', utf8Encode('The plan for Q1: ship workspaces.'), { create: true, overwrite: false });
            await maxFiles.flush();
            await folderSeen;
            expect(await miaFiles.readdir('/')).to.deep.equal([['Drafts', 'folder']]);
            expect(utf8Decode(await miaFiles.readFile('/Drafts/plan.txt'))).to.equal('The plan for Q1: ship workspaces.');
            expect(await miaFiles.files()).to.deep.equal(['/Drafts/plan.txt']);

            // And back: Mia edits, Max sees the new text.
            const editSeen = changeSeen(maxFiles, changes => changes.some(change => change.path === '/Drafts/plan.txt' && change.type === 'updated'));
            await miaFiles.writeFile('/Drafts/plan.txt', utf8Encode('The plan for Q1: ship workspaces, then sync.'), { create: false, overwrite: true });
            await miaFiles.flush();
            await editSeen;
            expect(utf8Decode(await maxFiles.readFile('/Drafts/plan.txt'))).to.equal('The plan for Q1: ship workspaces, then sync.');
            expect((await maxFiles.stat('/Drafts/plan.txt'))).to.deep.include({ type: 'file', size: 44 });
            expect(await refusal(maxFiles.writeFile('/Drafts/plan.txt', utf8Encode('x'), { create: true, overwrite: false }))).to.match(/^FileExists/);
            expect(await refusal(maxFiles.readFile('/nothing.txt'))).to.match(/^FileNotFound/);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
