import { expect } from 'chai';
import { CancellationTokenSource } from '@theia/core/lib/common/cancellation';
import {
    BLOCK_SIZE, chainDigest, decodeCertificate, linkCertificates, newWorkspaceKey, ok, openKeyList, ROOT_ENTRY_ID, sealKeyList, signCertificate, utf8Decode, utf8Encode,
    WorkspaceId, workspaceKeyDigest, WorkspaceKeyCertificate, WorkspaceRoles, workspaceTopic
} from '@vouch/protocol';
import { nodeEd25519 } from '@vouch/server/lib/crypto/node-ed25519';
import { VouchServices } from '@vouch/server/lib/services';
import { loadServerConfig } from '@vouch/server/lib/config';
import { VouchServer } from '@vouch/server/lib/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import {
    expectOk, freshMariaDb, nextTimestamp, REDIS_URL, request, sendSigned, signRevocations, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization
} from '@vouch/server/lib/testing/socket-harness';
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

function services(server: VouchServer): VouchServices {
    return (server as unknown as { services: VouchServices }).services;
}

function database_query(server: VouchServer, sql: string, parameters: unknown[]): Promise<unknown[]> {
    return services(server).database.manager.query(sql, parameters);
}

/**
 * Rotates a workspace's key through the server's own log writer, as the re-encryption will: the
 * Owner signs the next key's certificate, each member's key list is sealed anew. Nobody is told,
 * so a member's next write comes under the old key.
 */
async function rotateKey(server: VouchServer, org: TestOrganization, owner: TestDevice, workspaceId: WorkspaceId, members: TestDevice[]): Promise<void> {
    const socket = await org.connect(owner);
    const roles = await expectOk(request<WorkspaceRoles>(socket, 'workspaces.roles', { workspaceId }));
    const summary = await expectOk(request<{ workspaces: { workspaceId: string; sealedKeys: string }[] }>(socket, 'workspaces.list', {}));
    const keys = openKeyList(owner.userKey!.privateKey, owner.userKey!.publicKey, summary.workspaces.find(one => one.workspaceId === workspaceId)!.sealedKeys,
        workspaceId, owner.userId)!;
    const next = [...keys, newWorkspaceKey()];
    const last = decodeCertificate(roles.certificates[roles.certificates.length - 1].signed);
    if (!last.ok) { throw new Error('undecodable'); }
    const [content] = linkCertificates<WorkspaceKeyCertificate>([{
        kind: 'workspace_key', version: 1, author: owner.deviceId, timestamp: Math.max(nextTimestamp(), last.value.content.timestamp + 1), workspaceId,
        keyIndex: keys.length, keyDigest: workspaceKeyDigest(workspaceId, keys.length, next[keys.length])
    }], chainDigest(last.value.content));
    const signed = signCertificate(content, owner.signingKey.secretKey, nodeEd25519);
    const appended = await services(server).log.append(org.organizationId, workspaceTopic(workspaceId), async () => ok({
        entries: [{ content, signed, redacted: signed }],
        store: async () => {
            const manager = services(server).database.manager;
            await manager.query('UPDATE workspace SET key_index = ? WHERE workspace_id = ?', [keys.length, workspaceId]);
            for (const one of members) {
                await manager.query('UPDATE workspace_member SET sealed_keys = ? WHERE workspace_id = ? AND user_id = ?',
                    [sealKeyList(one.userKey!.publicKey, next, workspaceId, one.userId), workspaceId, one.userId]);
            }
            return ok(undefined);
        }
    }));
    expect(appended.ok).to.equal(true);
    socket.close();
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

        it('keeps every role rule, each refusal saying why; a Reader reads but cannot write, even from a raw client', async () => {
            const { org, admin, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const eve = await member(org, people.eve);
            const workspaceId = await mia.engine.create('Rules');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'MANAGER' }]);
            await shared(mia.engine, workspaceId, max.engine);
            // Only Owners grant Owner and Manager; External users are at most Contributors.
            expect(await refusal(max.engine.share(workspaceId, [{ userId: people.ron.userId, role: 'OWNER' }]))).to.equal(
                'NoPermissions: Only Owners grant, change or remove the roles Owner and Manager');
            expect(await refusal(max.engine.share(workspaceId, [{ userId: people.eve.userId, role: 'MANAGER' }]))).to.match(/^NoPermissions: Only Owners grant/);
            expect(await refusal(mia.engine.share(workspaceId, [{ userId: people.eve.userId, role: 'MANAGER' }]))).to.equal(
                'NoPermissions: External users can be at most Contributors');
            // Managers grant Readers and Contributors.
            await max.engine.share(workspaceId, [{ userId: people.eve.userId, role: 'READER' }]);
            // Nobody changes their own role; the last Owner neither leaves nor is demoted.
            expect(await refusal(max.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]))).to.equal('NoPermissions: Nobody changes their own role');
            expect(await refusal(mia.engine.leave(workspaceId))).to.equal('NoPermissions: At least one Owner must remain in the workspace');
            // A revoked user gets no role.
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.ron.userId], at) })));
            expect(await refusal(mia.engine.share(workspaceId, [{ userId: people.ron.userId, role: 'READER' }]))).to.equal('NoPermissions: A revoked user cannot be given a role');
            // External users create no workspace.
            expect(await refusal(eve.engine.create('Mine'))).to.equal('NoPermissions: External users cannot create workspaces');

            // The Reader sees the workspace read-only and every write is refused before anything is sent.
            await shared(mia.engine, workspaceId, eve.engine);
            expect(eve.engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({ role: 'READER', name: 'Rules' });
            const miaFiles = await mia.engine.open(workspaceId);
            await miaFiles.writeFile('/readme.md', utf8Encode('# Rules'), { create: true, overwrite: false });
            await miaFiles.flush();
            const eveFiles = await eve.engine.open(workspaceId);
            expect(eveFiles.readonly).to.equal(true);
            expect(utf8Decode(await eveFiles.readFile('/readme.md'))).to.equal('# Rules');
            for (const write of [
                eveFiles.writeFile('/readme.md', utf8Encode('mine now'), { create: true, overwrite: true }),
                eveFiles.mkdir('/mine'), eveFiles.delete('/readme.md', { recursive: false }), eveFiles.rename('/readme.md', '/x.md', { overwrite: false })
            ]) {
                expect(await refusal(write)).to.equal('NoPermissions: Readers of a workspace cannot change it');
            }
            // The server refuses the Reader's write itself, whatever its client does.
            const raw = await eve.connection.request('workspaces.write', { workspaceId, entries: [{ entryId: ROOT_ENTRY_ID, expectedVersion: 1, keyIndex: 0, blob: 'AAAA' }] });
            expect(!raw.ok && raw.error).to.deep.include({ code: 'NOT_ALLOWED', message: 'A reader may not change this workspace' });
            const rawBlock = await eve.connection.request('workspaces.putBlock', { workspaceId, blockId: 'b'.repeat(32), data: new Uint8Array(16) });
            expect(!rawBlock.ok && rawBlock.error.code).to.equal('NOT_ALLOWED');
            expect(utf8Decode(await miaFiles.readFile('/readme.md'))).to.equal('# Rules');

            // A Manager removes a Reader; the Reader's workbench loses the workspace; a member leaves.
            await max.engine.share(workspaceId, [{ userId: people.eve.userId, role: null }]);
            for (let i = 0; i < 50 && eve.engine.workspaces.some(info => info.workspaceId === workspaceId); i++) {
                await eve.engine.refresh();
            }
            expect(eve.engine.workspaces.map(info => info.workspaceId)).to.not.include(workspaceId);
            await max.engine.leave(workspaceId);
            expect(max.engine.workspaces.map(info => info.workspaceId)).to.not.include(workspaceId);
            await mia.engine.refresh();
            expect(mia.engine.workspaces.find(info => info.workspaceId === workspaceId)!.members.map(one => one.userId)).to.deep.equal([people.mia.userId]);
        });

        it('a connection dropped mid-upload loses no edit and stores no block twice; offline edits sync on reconnection', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Uploads');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]);
            await shared(mia.engine, workspaceId, max.engine);
            const miaFiles = await mia.engine.open(workspaceId);
            const maxFiles = await max.engine.open(workspaceId);

            // Three blocks; the connection drops just after the second one left.
            const content = new Uint8Array(BLOCK_SIZE * 2 + 1000).map((_, i) => (i * 7) % 256);
            let blocksSent = 0;
            max.connection.beforeRequest = name => {
                if (name === 'workspaces.putBlock' && ++blocksSent === 2) {
                    setImmediate(() => max.connection.drop());
                }
            };
            const progress: number[] = [];
            await maxFiles.writeFile('/big.bin', content, { create: true, overwrite: false, onProgress: done => progress.push(done) });
            max.connection.beforeRequest = undefined;
            expect(progress[progress.length - 1]).to.equal(content.length);
            expect(max.connection.connected).to.equal(false);
            expect(maxFiles.state.kind).to.equal('offline');
            // Offline, more edits: kept, readable here.
            await maxFiles.mkdir('/offline');
            await maxFiles.writeFile('/offline/note.txt', utf8Encode('written offline'), { create: true, overwrite: false });
            expect(utf8Decode(await maxFiles.readFile('/offline/note.txt'))).to.equal('written offline');
            expect(await refusal(maxFiles.flush())).to.match(/^Unavailable: Not connected/);

            const seen = changeSeen(miaFiles, changes => changes.some(change => change.path === '/offline/note.txt'), 5000);
            await max.connection.connect();
            await maxFiles.flush();
            await seen;
            expect(maxFiles.state.kind).to.equal('synced');
            expect(Buffer.from(await miaFiles.readFile('/big.bin')).equals(Buffer.from(content))).to.equal(true);
            expect(utf8Decode(await miaFiles.readFile('/offline/note.txt'))).to.equal('written offline');
            const rows = await database_query(server, 'SELECT block_id FROM workspace_block WHERE workspace_id = ?', [workspaceId]);
            expect(rows.length, 'one row per block: three for big.bin, one for note.txt').to.equal(4);
        });

        it('edits made offline survive a reload of the client and sync once it connects', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const maxStore = new MemoryWorkspaceLocalStore();
            const max = await member(org, people.max, maxStore);
            const workspaceId = await mia.engine.create('Reloads');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]);
            await shared(mia.engine, workspaceId, max.engine);
            const miaFiles = await mia.engine.open(workspaceId);
            await miaFiles.writeFile('/shared.txt', utf8Encode('from Mia'), { create: true, overwrite: false });
            await miaFiles.flush();
            const maxFiles = await max.engine.open(workspaceId);
            expect(utf8Decode(await maxFiles.readFile('/shared.txt'))).to.equal('from Mia');
            max.connection.drop();
            await maxFiles.writeFile('/unsynced.txt', utf8Encode('not sent yet'), { create: true, overwrite: false });
            max.engine.dispose();
            max.connection.close();

            // The page comes back offline: the workspace opens from the store, with the unsent edit.
            const connection = new SocketWorkspaceConnection(url, org.organizationId, people.max);
            const engine = createWorkspaceEngine({ connection, identity: testIdentity(people.max, org.boot.rootVerifyKey), store: maxStore });
            toClose.push({ close: () => { engine.dispose(); connection.close(); } });
            // Listed from the store, with its name (the root the list carried, sealed).
            await engine.refresh();
            expect(engine.workspaces.find(info => info.workspaceId === workspaceId)).to.deep.include({
                name: 'Reloads', role: 'CONTRIBUTOR', sync: { kind: 'offline', pending: 0 }
            });
            const reopened = await engine.open(workspaceId);
            expect(reopened.state).to.deep.equal({ kind: 'offline', pending: 2 });
            expect(await reopened.readdir('/')).to.deep.equal([['shared.txt', 'file'], ['unsynced.txt', 'file']]);
            expect(utf8Decode(await reopened.readFile('/shared.txt'))).to.equal('from Mia');
            const seen = changeSeen(miaFiles, changes => changes.some(change => change.path === '/unsynced.txt'), 5000);
            await connection.connect();
            await seen;
            expect(utf8Decode(await miaFiles.readFile('/unsynced.txt'))).to.equal('not sent yet');
        });

        it('two members editing one file at once keep both versions: theirs under its name, the other as a named conflict copy', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Conflicts');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]);
            await shared(mia.engine, workspaceId, max.engine);
            const miaFiles = await mia.engine.open(workspaceId);
            await miaFiles.writeFile('/notes.txt', utf8Encode('first'), { create: true, overwrite: false });
            await miaFiles.flush();
            const maxFiles = await max.engine.open(workspaceId);
            expect(utf8Decode(await maxFiles.readFile('/notes.txt'))).to.equal('first');

            max.connection.drop();
            await maxFiles.writeFile('/notes.txt', utf8Encode('Max\'s version'), { create: false, overwrite: true });
            await maxFiles.writeFile('/todo.txt', utf8Encode('Max\'s list'), { create: true, overwrite: false });
            await miaFiles.writeFile('/notes.txt', utf8Encode('Mia\'s version'), { create: false, overwrite: true });
            await miaFiles.writeFile('/todo.txt', utf8Encode('Mia\'s list'), { create: true, overwrite: false });
            await miaFiles.flush();
            await max.connection.connect();
            await maxFiles.flush();
            for (let i = 0; i < 50 && (await miaFiles.readdir('/')).length < 4; i++) {
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            const names = (await miaFiles.readdir('/')).map(([name]) => name);
            expect(names).to.have.length(4);
            expect(names).to.include.members(['notes.txt', 'todo.txt']);
            const copies = names.filter(name => name.includes('(conflicting copy by Max Member '));
            expect(copies.map(name => name.replace(/\d{4}-\d\d-\d\d \d\d-\d\d/, 'DATE')).sort()).to.deep.equal([
                'notes (conflicting copy by Max Member DATE).txt', 'todo (conflicting copy by Max Member DATE).txt'
            ]);
            const read = async (files: WorkspaceFiles, name: string) => utf8Decode(await files.readFile(`/${name}`));
            expect(await read(miaFiles, 'notes.txt')).to.equal('Mia\'s version');
            expect(await read(miaFiles, copies.find(name => name.startsWith('notes'))!)).to.equal('Max\'s version');
            expect(await read(miaFiles, 'todo.txt')).to.equal('Mia\'s list');
            expect(await read(miaFiles, copies.find(name => name.startsWith('todo'))!)).to.equal('Max\'s list');
            expect((await maxFiles.readdir('/')).map(([name]) => name).sort()).to.deep.equal([...names].sort());
        });

        it('marks a workspace shared with a user revoked since its current key as needing re-encryption, from the certificates', async () => {
            const { org, admin, people } = await cast();
            const mia = await member(org, people.mia);
            const workspaceId = await mia.engine.create('Revocations');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'READER' }, { userId: people.ron.userId, role: 'CONTRIBUTOR' }]);
            const info = () => mia.engine.workspaces.find(one => one.workspaceId === workspaceId)!;
            expect(info().needsReencryption).to.equal(false);
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.max.userId], at) })));
            await mia.engine.refresh();
            expect(info().needsReencryption, 'a revoked member').to.equal(true);
            // Removing the revoked member does not undo it: the current key is still one they had.
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: null }]);
            expect(info().members.map(one => one.userId).sort()).to.deep.equal([people.mia.userId, people.ron.userId].sort());
            expect(info().needsReencryption, 'a revoked former member').to.equal(true);
        });

        it('a file edited offline while another member deleted its folder comes back at the root as a named conflict copy', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Deletes');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]);
            await shared(mia.engine, workspaceId, max.engine);
            const miaFiles = await mia.engine.open(workspaceId);
            await miaFiles.mkdir('/Drafts');
            await miaFiles.writeFile('/Drafts/plan.txt', utf8Encode('v1'), { create: true, overwrite: false });
            await miaFiles.flush();
            const maxFiles = await max.engine.open(workspaceId);
            expect(utf8Decode(await maxFiles.readFile('/Drafts/plan.txt'))).to.equal('v1');
            max.connection.drop();
            await maxFiles.writeFile('/Drafts/plan.txt', utf8Encode('Max\'s edit, made offline'), { create: false, overwrite: true });
            await miaFiles.delete('/Drafts', { recursive: true });
            await miaFiles.flush();
            await max.connection.connect();
            await maxFiles.flush();
            const names = (await maxFiles.readdir('/')).map(([name]) => name);
            expect(names.map(name => name.replace(/\d{4}-\d\d-\d\d \d\d-\d\d/, 'DATE'))).to.deep.equal(['plan (conflicting copy by Max Member DATE).txt']);
            expect(utf8Decode(await maxFiles.readFile(`/${names[0]}`))).to.equal('Max\'s edit, made offline');
            for (let i = 0; i < 50 && (await miaFiles.readdir('/')).length === 0; i++) {
                await new Promise(resolve => setTimeout(resolve, 50));
            }
            expect((await miaFiles.readdir('/')).map(([name]) => name)).to.deep.equal(names);
            // A delete made here is meant: nothing comes back.
            await maxFiles.delete(`/${names[0]}`, { recursive: false });
            await maxFiles.flush();
            expect(await maxFiles.readdir('/')).to.deep.equal([]);
        });

        it('a write under a key the workspace replaced is refused; the writer fetches the new key, checks it against the log, and writes again', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Rotations');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'CONTRIBUTOR' }]);
            await shared(mia.engine, workspaceId, max.engine);
            const maxFiles = await max.engine.open(workspaceId);
            await maxFiles.writeFile('/before.txt', utf8Encode('under key 0'), { create: true, overwrite: false });
            await maxFiles.flush();

            // A rotation as the re-encryption will make it: a key certificate signed by the Owner on the workspace's log, key lists sealed anew, not announced.
            await rotateKey(server, org, people.mia, workspaceId, [people.mia, people.max]);
            const writes: string[] = [];
            max.connection.beforeRequest = name => writes.push(name);
            await maxFiles.writeFile('/after.txt', utf8Encode('under key 1'), { create: true, overwrite: false });
            await maxFiles.flush();
            max.connection.beforeRequest = undefined;
            expect(writes.filter(name => name === 'workspaces.write'), 'refused once as stale, then accepted').to.have.length(2);
            const stored = await database_query(server, 'SELECT key_index FROM workspace_manifest WHERE workspace_id = ? AND entry_id = ?', [workspaceId, ROOT_ENTRY_ID]);
            expect(Number((stored[0] as { key_index: number }).key_index)).to.equal(1);
            const miaFiles = await mia.engine.open(workspaceId);
            expect(utf8Decode(await miaFiles.readFile('/after.txt'))).to.equal('under key 1');
            expect(utf8Decode(await miaFiles.readFile('/before.txt'))).to.equal('under key 0');
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)!.keyIndex).to.equal(1);
        });

        it('leaves the server only ciphertext: no workspace, folder or file name nor content in any table or the log, in clear, base64, base64url or hex', async () => {
            // A server of its own, whose log this test reads.
            const logged: string[] = [];
            const logger = {
                info: (message: string) => logged.push(message),
                warn: (message: string) => logged.push(message),
                error: (message: string, error?: unknown) => logged.push(message, error instanceof Error ? `${error.message}\n${error.stack}` : String(error))
            };
            const own = await VouchServer.start({ config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:1' }), logger });
            const ownUrl = `http://127.0.0.1:${own.address}`;
            try {
                const org = await TestOrganization.bootstrap(own, ownUrl, pool);
                const admin = await org.connect(org.admin);
                const miaDevice = await org.createUser(admin, org.admin, 'Mia Member', 'mia@example.com', 'MEMBER');
                const maxDevice = await org.createUser(admin, org.admin, 'Max Member', 'max@example.com', 'MEMBER');
                const client = async (device: TestDevice) => {
                    const connection = new SocketWorkspaceConnection(ownUrl, org.organizationId, device);
                    await connection.connect();
                    const store = new MemoryWorkspaceLocalStore();
                    const engine = createWorkspaceEngine({ connection, identity: testIdentity(device, org.boot.rootVerifyKey), store });
                    toClose.push({ close: () => { engine.dispose(); connection.close(); } });
                    await engine.refresh();
                    return { engine, store, connection };
                };
                const mia = await client(miaDevice);
                const max = await client(maxDevice);
                const secrets = {
                    workspace: 'Nightingale Acquisition', renamed: 'Nightingale Closing', folder: 'Due diligence', subfolder: 'Board minutes',
                    file: 'target-valuation.txt', moved: 'final-offer.txt', content: 'We offer 42 dollars per share for Globex Corporation',
                    edit: 'Revised: 45 dollars per share, closing in March', big: 'Confidential appendix of the merger agreement. '
                };
                const workspaceId = await mia.engine.create(secrets.workspace);
                await mia.engine.share(workspaceId, [{ userId: maxDevice.userId, role: 'CONTRIBUTOR' }]);
                const miaFiles = await mia.engine.open(workspaceId);
                await miaFiles.mkdir(`/${secrets.folder}`);
                await miaFiles.mkdir(`/${secrets.folder}/${secrets.subfolder}`);
                await miaFiles.writeFile(`/${secrets.folder}/${secrets.file}`, utf8Encode(secrets.content), { create: true, overwrite: false });
                // A file of several blocks, written as chunks.
                const bigText = secrets.big.repeat(Math.ceil((BLOCK_SIZE + 5000) / secrets.big.length));
                const bigBytes = utf8Encode(bigText);
                await miaFiles.writeFile(`/${secrets.folder}/appendix.txt`, { size: bigBytes.length, chunks: (async function* () { yield bigBytes.subarray(0, 1000); yield bigBytes.subarray(1000); })() },
                    { create: true, overwrite: false });
                await miaFiles.flush();
                for (let i = 0; i < 50 && !max.engine.workspaces.some(info => info.workspaceId === workspaceId); i++) {
                    await max.engine.refresh();
                }
                const maxFiles = await max.engine.open(workspaceId);
                await maxFiles.writeFile(`/${secrets.folder}/${secrets.file}`, utf8Encode(secrets.edit), { create: false, overwrite: true });
                await maxFiles.rename(`/${secrets.folder}/${secrets.file}`, `/${secrets.folder}/${secrets.subfolder}/${secrets.moved}`, { overwrite: false });
                await maxFiles.flush();
                await mia.engine.rename(workspaceId, secrets.renamed);
                expect(utf8Decode(await miaFiles.readFile(`/${secrets.folder}/${secrets.subfolder}/${secrets.moved}`))).to.equal(secrets.edit);
                expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)!.name).to.match(/^Nightingale/);

                const manager = services(own).database.manager;
                const tables = database.config.kind === 'sqlite'
                    ? (await manager.query(`SELECT name FROM sqlite_master WHERE type = 'table'`) as { name: string }[]).map(row => row.name)
                    : (await manager.query('SHOW TABLES') as Record<string, string>[]).map(row => Object.values(row)[0]);
                expect(tables).to.include.members(['workspace', 'workspace_manifest', 'workspace_block', 'certificate']);
                const dump: string[] = [...logged];
                for (const table of tables) {
                    for (const row of await manager.query(`SELECT * FROM ${database.config.kind === 'sqlite' ? `"${table}"` : `\`${table}\``}`) as Record<string, unknown>[]) {
                        dump.push(...Object.values(row).map(value => Buffer.isBuffer(value) ? value.toString('latin1') : String(value)));
                    }
                }
                // What the clients keep locally is sealed too.
                for (const store of [mia.store, max.store]) {
                    for (const area of ['manifests', 'blocks', 'pending'] as const) {
                        for (const key of await store.keys(area, '')) {
                            dump.push(key, Buffer.from((await store.get(area, key))!).toString('latin1'));
                        }
                    }
                }
                const forms = (text: string) => [text, Buffer.from(text).toString('base64'), Buffer.from(text).toString('base64url'), Buffer.from(text).toString('hex')];
                const words = [...Object.values(secrets).map(text => text.trim()), 'Nightingale', 'Globex', 'appendix.txt', 'merger agreement'];
                const found = words.flatMap(forms).filter(form => dump.some(text => text.includes(form)));
                expect(found).to.deep.equal([]);
                // The scan does see what is stored in clear: the organization's id, and the blocks' bytes.
                expect(dump.some(text => text.includes(org.organizationId)), 'the scan reads the tables').to.equal(true);
                expect(dump.join('\n').length, 'the scan saw the stored data').to.be.greaterThan(BLOCK_SIZE);
            } finally {
                await own.close();
            }
        });

        it('a large file goes up and down block by block with progress; a cancelled upload changes nothing', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Large files');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'READER' }]);
            await shared(mia.engine, workspaceId, max.engine);
            const miaFiles = await mia.engine.open(workspaceId);
            const size = BLOCK_SIZE * 4 + 123;
            const byteAt = (i: number) => (i * 31 + 7) % 256;
            // Written from chunks that are not block-sized, read back as a stream.
            async function* chunks() {
                for (let offset = 0; offset < size; offset += 100_000) {
                    yield new Uint8Array(Math.min(100_000, size - offset)).map((_, i) => byteAt(offset + i));
                }
            }
            const up: number[] = [];
            await miaFiles.writeFile('/video.bin', { size, chunks: chunks() }, { create: true, overwrite: false, onProgress: done => up.push(done) });
            await miaFiles.flush();
            // Once at the start, then once per block as it is stored (a few go at once: in the order they finish).
            expect(up).to.have.length(6);
            expect(up[0]).to.equal(0);
            expect(up[5]).to.equal(size);
            expect(up.every((done, i) => i === 0 || done > up[i - 1])).to.equal(true);

            const maxFiles = await max.engine.open(workspaceId);
            expect(await maxFiles.stat('/video.bin')).to.deep.include({ type: 'file', size });
            const down: number[] = [];
            let offset = 0;
            let wrong = 0;
            for await (const block of maxFiles.readFileStream('/video.bin', { onProgress: done => down.push(done) })) {
                expect(block.length).to.be.at.most(BLOCK_SIZE);
                block.forEach((byte, i) => { wrong += byte === byteAt(offset + i) ? 0 : 1; });
                offset += block.length;
            }
            expect({ offset, wrong }).to.deep.equal({ offset: size, wrong: 0 });
            expect(down).to.deep.equal([0, BLOCK_SIZE, BLOCK_SIZE * 2, BLOCK_SIZE * 3, BLOCK_SIZE * 4, size]);

            // Cancelled after the second block: refused as cancelled, and no file appears.
            const source = new CancellationTokenSource();
            const cancelled = await refusal(miaFiles.writeFile('/cancelled.bin', { size, chunks: chunks() }, {
                create: true, overwrite: false, token: source.token, onProgress: done => { if (done >= BLOCK_SIZE * 2) { source.cancel(); } }
            }));
            expect(cancelled).to.equal('Cancelled: Cancelled');
            await miaFiles.flush();
            expect((await miaFiles.readdir('/')).map(([name]) => name)).to.deep.equal(['video.bin']);
            const reading = new CancellationTokenSource();
            reading.cancel();
            expect(await refusal(maxFiles.readFile('/video.bin', { token: reading.token }))).to.equal('Cancelled: Cancelled');
        });

        it('believes roles and keys from the signed log, not from the server: a role or key list changed in the database is not taken', async () => {
            const { org, people } = await cast();
            const mia = await member(org, people.mia);
            const max = await member(org, people.max);
            const workspaceId = await mia.engine.create('Tampered');
            await mia.engine.share(workspaceId, [{ userId: people.max.userId, role: 'READER' }]);
            await shared(mia.engine, workspaceId, max.engine);
            // A compromised server makes Max an Owner in its tables: no certificate says so.
            await database_query(server, 'UPDATE workspace_member SET role = ? WHERE workspace_id = ? AND user_id = ?', ['OWNER', workspaceId, people.max.userId]);
            await max.engine.refresh();
            await mia.engine.refresh();
            expect(max.engine.workspaces.find(info => info.workspaceId === workspaceId)!.role).to.equal('READER');
            expect((await max.engine.open(workspaceId)).readonly).to.equal(true);
            expect(mia.engine.workspaces.find(info => info.workspaceId === workspaceId)!.members.find(one => one.userId === people.max.userId)!.role).to.equal('READER');
            expect(await refusal(max.engine.share(workspaceId, [{ userId: people.ron.userId, role: 'READER' }]))).to.equal('NoPermissions: Only Owners and Managers share a workspace');

            // It hands Mia a key of its own making, sealed to her: no certificate names that key, so the workspace is not used with it.
            const forged = sealKeyList(people.mia.userKey!.publicKey, [newWorkspaceKey()], workspaceId, people.mia.userId);
            await database_query(server, 'UPDATE workspace_member SET sealed_keys = ? WHERE workspace_id = ? AND user_id = ?', [forged, workspaceId, people.mia.userId]);
            const fresh = await member(org, people.mia);
            expect(fresh.engine.workspaces.map(info => info.workspaceId)).to.not.include(workspaceId);
            expect(await refusal(fresh.engine.open(workspaceId))).to.match(/^FileNotFound/);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}

describe('The workspace engine across two server instances (MariaDB and Redis)', function () {
    this.timeout(120_000);
    const pool = new SocketPool();
    let database: TestDatabase;
    const servers: VouchServer[] = [];
    const urls: string[] = [];
    const toClose: { close(): void }[] = [];

    before(async () => {
        database = await freshMariaDb();
        for (let i = 0; i < 2; i++) {
            const started = await startServer(database.config, REDIS_URL);
            servers.push(started.server);
            urls.push(started.url);
        }
    });
    after(async () => {
        toClose.splice(0).forEach(one => one.close());
        pool.closeAll();
        for (const server of servers) {
            await server.close();
        }
        await database?.drop();
    });

    it('a member on one instance sees another\'s edits made on the other within a second', async () => {
        const org = await TestOrganization.bootstrap(servers[0], urls[0], pool);
        const admin = await org.connect(org.admin);
        const miaDevice = await org.createUser(admin, org.admin, 'Mia Member', 'mia@example.com', 'MEMBER');
        const maxDevice = await org.createUser(admin, org.admin, 'Max Member', 'max@example.com', 'MEMBER');
        const client = async (device: TestDevice, url: string) => {
            const connection = new SocketWorkspaceConnection(url, org.organizationId, device);
            await connection.connect();
            const engine = createWorkspaceEngine({ connection, identity: testIdentity(device, org.boot.rootVerifyKey), store: new MemoryWorkspaceLocalStore() });
            toClose.push({ close: () => { engine.dispose(); connection.close(); } });
            await engine.refresh();
            return engine;
        };
        const mia = await client(miaDevice, urls[0]);
        const max = await client(maxDevice, urls[1]);
        const workspaceId = await mia.create('Two instances');
        const listed = new Promise<void>(resolve => max.onDidChangeWorkspaces(infos => { if (infos.some(info => info.workspaceId === workspaceId)) { resolve(); } }));
        await mia.share(workspaceId, [{ userId: maxDevice.userId, role: 'CONTRIBUTOR' }]);
        await listed;
        const miaFiles = await mia.open(workspaceId);
        const maxFiles = await max.open(workspaceId);
        const seen = changeSeen(miaFiles, changes => changes.some(change => change.path === '/from-b.txt'));
        await maxFiles.writeFile('/from-b.txt', utf8Encode('written on instance B'), { create: true, overwrite: false });
        await maxFiles.flush();
        await seen;
        expect(utf8Decode(await miaFiles.readFile('/from-b.txt'))).to.equal('written on instance B');
    });
});
