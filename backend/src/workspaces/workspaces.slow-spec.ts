import { expect } from 'chai';
import { Socket } from 'socket.io-client';
import { CertificateTrustStore, fromBase64Url, Manifest, ManifestsPage, openKeyList, openManifest, portableEd25519, ROOT_ENTRY_ID, utf8Encode, WorkspaceChangedEvent, WorkspaceRoles } from '@vouch/protocol';
import { VouchServer } from '../server';
import { TestDevice } from '../testing/organization-fixtures';
import {
    errorCode, expectOk, request, sendSigned, signRevocations, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization
} from '../testing/socket-harness';
import { TestWorkspaceClient } from '../testing/workspace-fixtures';

function nextEvent<T>(socket: Socket, event: string, ms = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
        socket.once(event, (value: T) => {
            clearTimeout(timer);
            resolve(value);
        });
    });
}

function noEvent(socket: Socket, event: string, ms = 400): Promise<boolean> {
    return new Promise(resolve => {
        const heard = () => resolve(false);
        socket.once(event, heard);
        setTimeout(() => { socket.off(event, heard); resolve(true); }, ms);
    });
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Workspaces on ${kind}`, function () {
        this.timeout(60_000);
        const pool = new SocketPool();
        let database: TestDatabase;
        let server: VouchServer;
        let url: string;

        before(async () => {
            database = await open();
            ({ server, url } = await startServer(database.config));
        });
        afterEach(() => pool.closeAll());
        after(async () => {
            await server?.close();
            await database?.drop();
        });

        async function cast() {
            const org = await TestOrganization.bootstrap(server, url, pool);
            const admin = await org.connect(org.admin);
            const people = {
                mia: await org.createUser(admin, org.admin, 'Mia Member', 'mia@example.com', 'MEMBER'),
                max: await org.createUser(admin, org.admin, 'Max Member', 'max@example.com', 'MEMBER'),
                eve: await org.createUser(admin, org.admin, 'Eve External', 'eve@example.com', 'EXTERNAL'),
                ron: await org.createUser(admin, org.admin, 'Ron Member', 'ron@example.com', 'MEMBER')
            };
            const client = async (device: TestDevice) => new TestWorkspaceClient(await org.connect(device), device);
            return { org, admin, people, client };
        }

        it('a Member creates a workspace, shares it, and members write and read files the server holds only sealed', async () => {
            const { people, client } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Quarterly plans');
            expect(await mia.summary(workspaceId)).to.deep.include({ role: 'OWNER', keyIndex: 0, members: 1 });
            // The list carries the sealed root folder, so a workbench shows the name before opening the workspace.
            const listedRoot = (await mia.summary(workspaceId))!.root!;
            expect(openManifest(keys[listedRoot.keyIndex], { workspaceId, entryId: ROOT_ENTRY_ID, keyIndex: listedRoot.keyIndex }, listedRoot.blob)).to.deep.include({ name: 'Quarterly plans' });
            expect((await mia.keys(workspaceId)).map(key => Buffer.from(key).toString('hex'))).to.deep.equal(keys.map(key => Buffer.from(key).toString('hex')));
            expect(errorCode(await mia.share(workspaceId, people.max, 'CONTRIBUTOR', keys))).to.equal('ok');

            const max = await client(people.max);
            const maxKeys = await max.keys(workspaceId);
            const tree = await max.manifests(workspaceId, maxKeys);
            const root = tree.get(ROOT_ENTRY_ID)!;
            expect(root.manifest).to.deep.include({ kind: 'folder', name: 'Quarterly plans', children: {} });
            const changed = nextEvent<WorkspaceChangedEvent>(mia.socket, 'workspace.changed');
            const content = utf8Encode('The plan for Q1: ship workspaces.');
            const written = await expectOk(max.writeFile(workspaceId, maxKeys, { entryId: ROOT_ENTRY_ID, manifest: root.manifest as Manifest & { kind: 'folder' }, version: root.version }, 'plan.txt', content));
            expect((await changed).change).to.equal(written.change);

            const seen = await mia.manifests(workspaceId, keys);
            const folder = seen.get(ROOT_ENTRY_ID)!.manifest as Manifest & { kind: 'folder' };
            const file = seen.get(folder.children['plan.txt'])!.manifest as Manifest & { kind: 'file' };
            expect(Buffer.from(await mia.readFile(workspaceId, file)).toString()).to.equal('The plan for Q1: ship workspaces.');

            // The database holds no name, no content and no key, in clear, base64 or hex.
            const secrets = ['Quarterly plans', 'plan.txt', 'The plan for Q1'];
            const manager = (server as unknown as { services: { database: { manager: import('typeorm').EntityManager } } }).services.database.manager;
            const dump: string[] = [];
            for (const table of ['workspace', 'workspace_member', 'workspace_manifest', 'workspace_block', 'certificate']) {
                for (const row of await manager.query(`SELECT * FROM ${table}`) as Record<string, unknown>[]) {
                    dump.push(...Object.values(row).map(value => Buffer.isBuffer(value) ? value.toString('latin1') : String(value)));
                }
            }
            const forms = (text: string) => [text, Buffer.from(text).toString('base64'), Buffer.from(text).toString('base64url'), Buffer.from(text).toString('hex')];
            const keyForms = keys.flatMap(key => [Buffer.from(key).toString('base64url'), Buffer.from(key).toString('hex')]);
            const found = [...secrets.flatMap(forms), ...keyForms].filter(secret => dump.some(text => text.includes(secret)));
            expect(found).to.deep.equal([]);
        });

        it('keeps the role rules, each refusal saying why; a Reader reads but cannot write, a stranger sees nothing', async () => {
            const { admin, org, people, client } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Rules');
            expect(errorCode(await mia.share(workspaceId, people.max, 'MANAGER', keys))).to.equal('ok');
            const max = await client(people.max);
            const code = async (reply: Promise<{ ok: boolean; error?: { code: string; message: string } }>) => {
                const got = await reply;
                return got.ok ? 'ok' : `${got.error!.code}: ${got.error!.message}`;
            };
            // A Manager grants Contributor and Reader, not Owner or Manager; External users are at most Contributors.
            expect(await code(max.share(workspaceId, people.ron, 'OWNER', keys))).to.match(/^CERTIFICATE_AUTHOR_NOT_ALLOWED: Only Owners/);
            expect(await code(max.share(workspaceId, people.eve, 'MANAGER', keys))).to.match(/^CERTIFICATE_AUTHOR_NOT_ALLOWED: Only Owners/);
            expect(await code(mia.share(workspaceId, people.eve, 'MANAGER', keys))).to.match(/^CERTIFICATE_INCONSISTENT: External users can be at most Contributors/);
            expect(await code(max.share(workspaceId, people.eve, 'READER', keys))).to.equal('ok');
            // Nobody changes their own role; the last Owner cannot leave.
            expect(await code(max.share(workspaceId, people.max, 'OWNER'))).to.match(/Only Owners|Nobody changes their own role/);
            expect(await code(mia.share(workspaceId, people.mia, null))).to.match(/^CERTIFICATE_INCONSISTENT: At least one Owner/);
            // A revoked user gets no role.
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.ron.userId], at) })));
            expect(await code(mia.share(workspaceId, people.ron, 'READER', keys))).to.match(/revoked/);

            // The Reader reads, and cannot write even from a raw client.
            const eve = await client(people.eve);
            const eveKeys = await eve.keys(workspaceId);
            const root = (await eve.manifests(workspaceId, eveKeys)).get(ROOT_ENTRY_ID)!;
            expect((root.manifest as Manifest & { kind: 'folder' }).name).to.equal('Rules');
            expect(await code(request(eve.socket, 'workspaces.putBlock', { workspaceId, blockId: 'b'.repeat(32), data: new Uint8Array(16) }))).to.equal('NOT_ALLOWED: A reader may not change this workspace');
            expect(await code(request(eve.socket, 'workspaces.write', { workspaceId, entries: [{ entryId: ROOT_ENTRY_ID, expectedVersion: root.version, keyIndex: 0, blob: 'AAAA' }] })))
                .to.equal('NOT_ALLOWED: A reader may not change this workspace');
            // Someone outside the workspace (even an Administrator) is told it does not exist.
            const stranger = new TestWorkspaceClient(admin, org.admin);
            expect(errorCode(await request(admin, 'workspaces.manifests', { workspaceId }))).to.equal('WORKSPACE_NOT_FOUND');
            expect(errorCode(await request(admin, 'workspaces.roles', { workspaceId }))).to.equal('WORKSPACE_NOT_FOUND');
            expect(await stranger.summary(workspaceId)).to.equal(undefined);
            // External users create no workspace.
            expect(errorCode(await request(eve.socket, 'workspaces.create', { workspaceId: 'a'.repeat(32), certificates: ['x', 'y'], sealedKeys: 'x', root: { blob: 'x' } }))).to.equal('NOT_ALLOWED');

            // The workspace's log replays from the root key: members check the roles themselves.
            const roles = await expectOk(request<WorkspaceRoles>(mia.socket, 'workspaces.roles', { workspaceId }));
            expect(roles.members.map(member => member.role).sort()).to.deep.equal(['MANAGER', 'OWNER', 'READER']);
            const trust = new CertificateTrustStore(fromBase64Url(org.boot.rootVerifyKey)!, portableEd25519);
            expect(trust.addDeviceCertificates(roles.authorDevices).ok).to.equal(true);
            expect(roles.certificates.map(entry => trust.verify(entry.signed, 'workspace_role', 'x').ok || trust.verify(entry.signed, 'workspace_key', 'x').ok)).to.not.include(false);
        });

        it('refuses a write under an old key or over someone else\'s newer version, changing nothing; events reach members only', async () => {
            const { admin, people, client } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Conflicts');
            expect(errorCode(await mia.share(workspaceId, people.max, 'CONTRIBUTOR', keys))).to.equal('ok');
            const max = await client(people.max);
            const strangerHeard = noEvent(admin, 'workspace.changed');
            const root = (await mia.manifests(workspaceId, keys)).get(ROOT_ENTRY_ID)!;
            const folder = { entryId: ROOT_ENTRY_ID, manifest: root.manifest as Manifest & { kind: 'folder' }, version: root.version };
            await expectOk(max.writeFile(workspaceId, keys, folder, 'first.txt', utf8Encode('one')));
            // Mia still holds the root at its old version: her write is refused, naming the version to merge with.
            const conflict = await mia.writeFile(workspaceId, keys, folder, 'second.txt', utf8Encode('two'));
            expect(!conflict.ok && conflict.error).to.deep.include({ code: 'WORKSPACE_MANIFEST_CONFLICT', details: { entryId: ROOT_ENTRY_ID, version: 2 } });
            // A key index the workspace does not have now.
            const stale = await mia.writeFile(workspaceId, [...keys, keys[0]], folder, 'third.txt', utf8Encode('three'));
            expect(!stale.ok && stale.error).to.deep.include({ code: 'WORKSPACE_STALE_KEY', details: { keyIndex: 0 } });
            const after = await mia.manifests(workspaceId, keys);
            expect(Object.keys((after.get(ROOT_ENTRY_ID)!.manifest as Manifest & { kind: 'folder' }).children)).to.deep.equal(['first.txt']);
            expect(await strangerHeard, 'an Administrator outside the workspace hears none of its changes').to.equal(true);
        });

        it('pages manifests between writes, never inside one: a reader paging with any limit gets every manifest', async () => {
            const { people, client } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Pages');
            // Three writes of two manifests each (a file and the root folder), plus the root at creation.
            for (const name of ['a.txt', 'b.txt', 'c.txt']) {
                const root = (await mia.manifests(workspaceId, keys)).get(ROOT_ENTRY_ID)!;
                await expectOk(mia.writeFile(workspaceId, keys, { entryId: ROOT_ENTRY_ID, manifest: root.manifest as Manifest & { kind: 'folder' }, version: root.version }, name, utf8Encode(name)));
            }
            const all = await expectOk(request<ManifestsPage>(mia.socket, 'workspaces.manifests', { workspaceId, since: 0 }));
            for (const limit of [1, 2, 3]) {
                const seen = new Map<string, number>();
                let since = 0;
                for (let page = 0; page < 20; page++) {
                    const got = await expectOk(request<ManifestsPage>(mia.socket, 'workspaces.manifests', { workspaceId, since, limit }));
                    got.manifests.forEach(one => seen.set(one.entryId, one.version));
                    if (got.nextSince === undefined) {
                        break;
                    }
                    since = got.nextSince;
                }
                expect(Object.fromEntries(seen), `limit ${limit}`).to.deep.equal(Object.fromEntries(all.manifests.map(one => [one.entryId, one.version])));
            }
            expect(all.manifests).to.have.length(4);
        });

        it('stores up to ten blocks in one request for writers only, all or none', async () => {
            const { people, client } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Batches');
            expect(errorCode(await mia.share(workspaceId, people.max, 'READER', keys))).to.equal('ok');
            const blocks = Array.from({ length: 3 }, (_, i) => ({ blockId: String(i + 1).repeat(32), data: new Uint8Array(100 + i).fill(i + 1) }));
            expect(await expectOk(request(mia.socket, 'workspaces.putBlocks', { workspaceId, blocks }))).to.deep.equal({ count: 3 });
            for (const block of blocks) {
                const got = await expectOk(request<{ data: Uint8Array }>(mia.socket, 'workspaces.getBlock', { workspaceId, blockId: block.blockId }));
                expect(Buffer.from(got.data).equals(Buffer.from(block.data))).to.equal(true);
            }
            // Sent again (a retry after a lost reply): the same rows, no duplicate.
            await expectOk(request(mia.socket, 'workspaces.putBlocks', { workspaceId, blocks }));
            const manager = (server as unknown as { services: { database: { manager: import('typeorm').EntityManager } } }).services.database.manager;
            expect(await manager.query('SELECT block_id FROM workspace_block WHERE workspace_id = ?', [workspaceId])).to.have.length(3);
            const max = await client(people.max);
            const refused = await request(max.socket, 'workspaces.putBlocks', { workspaceId, blocks: [{ blockId: 'f'.repeat(32), data: new Uint8Array(8) }] });
            expect(!refused.ok && refused.error).to.deep.include({ code: 'NOT_ALLOWED', message: 'A reader may not change this workspace' });
            expect(errorCode(await request(mia.socket, 'workspaces.putBlocks', { workspaceId, blocks: [] }))).to.equal('BAD_PAYLOAD');
            const ten = Array.from({ length: 10 }, (_, i) => ({ blockId: (i + 16).toString(16).padStart(32, '0'), data: new Uint8Array(1) }));
            expect(errorCode(await request(mia.socket, 'workspaces.putBlocks', { workspaceId, blocks: ten.map(block => ({ ...block, blockId: 'not an id' })) }))).to.equal('BAD_PAYLOAD');
            expect(await manager.query('SELECT block_id FROM workspace_block WHERE workspace_id = ?', [workspaceId])).to.have.length(3);
        });

        it('a member removed from a workspace stops hearing it, and a granted one starts at once', async () => {
            const { people, client } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Rooms');
            const max = await client(people.max);
            const told = nextEvent<{ workspaceId: string }>(max.socket, 'workspaces.changed');
            expect(errorCode(await mia.share(workspaceId, people.max, 'READER', keys))).to.equal('ok');
            expect((await told).workspaceId).to.equal(workspaceId);
            expect(openKeyList(people.max.userKey!.privateKey, people.max.userKey!.publicKey, (await max.summary(workspaceId))!.sealedKeys, workspaceId, people.max.userId)).to.have.length(1);
            const root = (await mia.manifests(workspaceId, keys)).get(ROOT_ENTRY_ID)!;
            const heard = nextEvent<WorkspaceChangedEvent>(max.socket, 'workspace.changed');
            await expectOk(mia.writeFile(workspaceId, keys, { entryId: ROOT_ENTRY_ID, manifest: root.manifest as Manifest & { kind: 'folder' }, version: root.version }, 'a.txt', utf8Encode('a')));
            await heard;
            expect(errorCode(await mia.share(workspaceId, people.max, null))).to.equal('ok');
            const root2 = (await mia.manifests(workspaceId, keys)).get(ROOT_ENTRY_ID)!;
            const silent = noEvent(max.socket, 'workspace.changed');
            await expectOk(mia.writeFile(workspaceId, keys, { entryId: ROOT_ENTRY_ID, manifest: root2.manifest as Manifest & { kind: 'folder' }, version: root2.version }, 'b.txt', utf8Encode('b')));
            expect(await silent).to.equal(true);
            expect(errorCode(await request(max.socket, 'workspaces.manifests', { workspaceId }))).to.equal('WORKSPACE_NOT_FOUND');
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
