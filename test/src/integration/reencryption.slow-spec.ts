import { expect } from 'chai';
import { Socket } from 'socket.io-client';
import { CancellationTokenSource } from '@theia/core/lib/common/cancellation';
import { ReencryptionNeededEvent, WorkspaceId, WorkspaceMaintenanceEvent, WorkspaceRoles } from '@vouch/protocol';
import { loadServerConfig, VouchServer } from '@vouch/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import {
    errorCode, expectOk, REDIS_URL, request, sendSigned, signRevocations, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization
} from '@vouch/server/lib/testing/socket-harness';
import { TestWorkspaceClient } from '@vouch/server/lib/testing/workspace-fixtures';
import { reencryptWorkspace, ReencryptionProgress } from '@vouch/workspaces';
import { addManifests, allManifests, identityOf, keysOf, openAll, openedBy, SocketWorkspaceConnection, summaryOf } from './reencryption-client';

function nextEvent<T>(socket: Socket, event: string, ms = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
        socket.once(event, (value: T) => {
            clearTimeout(timer);
            resolve(value);
        });
    });
}

function noEvent(socket: Socket, event: string, ms = 500): Promise<boolean> {
    return new Promise(resolve => {
        const heard = () => resolve(false);
        socket.once(event, heard);
        setTimeout(() => { socket.off(event, heard); resolve(true); }, ms);
    });
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Re-encryption of workspaces after a revocation, on ${kind}`, function () {
        this.timeout(120_000);
        const pool = new SocketPool();
        const multiInstance = kind === 'MariaDB';
        let database: TestDatabase;
        let server: VouchServer;
        let other: VouchServer | undefined;
        let url: string;
        let otherUrl: string;

        before(async () => {
            database = await open();
            ({ server, url } = await startServer(database.config, multiInstance ? REDIS_URL : undefined));
            if (multiInstance) {
                ({ server: other, url: otherUrl } = await startServer(database.config, REDIS_URL));
            } else {
                otherUrl = url;
            }
        });
        afterEach(() => pool.closeAll());
        after(async () => {
            await other?.close();
            await server?.close();
            await database?.drop();
        });

        async function cast() {
            const org = await TestOrganization.bootstrap(server, url, pool);
            const admin = await org.connect(org.admin);
            const person = (label: string, profile: 'MEMBER' | 'EXTERNAL' = 'MEMBER') => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, profile);
            const people = { mia: await person('Mia'), olga: await person('Olga'), oscar: await person('Oscar'), max: await person('Max'), ron: await person('Ron') };
            const client = async (device: TestDevice, at = url) => new TestWorkspaceClient(await org.connect(device, at), device);
            const revoke = (...devices: TestDevice[]) => expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, devices.map(device => device.userId), at) })));
            const run = (socket: Socket, device: TestDevice, workspaceId: WorkspaceId, options: Parameters<typeof reencryptWorkspace>[3] = {}) =>
                reencryptWorkspace(new SocketWorkspaceConnection(socket), identityOf(device, org.boot.rootVerifyKey), workspaceId, { batchSize: 200, pollMs: 100, ...options });
            return { org, admin, people, client, revoke, run };
        }

        it('tells every Owner (on any instance, or when they next connect), re-encrypts every manifest for the members left and none for the revoked user; writes wait, reads go on', async () => {
            const { people, client, revoke, run, org } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Plans');
            for (const [who, role] of [[people.olga, 'OWNER'], [people.oscar, 'OWNER'], [people.max, 'CONTRIBUTOR'], [people.ron, 'READER']] as const) {
                expect(errorCode(await mia.share(workspaceId, who, role, keys))).to.equal('ok');
            }
            const ids = await addManifests(mia.socket, workspaceId, keys, 1100, people.mia.deviceId);
            const ron = await client(people.ron);
            const ronKeys = await keysOf(ron.socket, people.ron, workspaceId);
            const olga = await client(people.olga, otherUrl);
            const max = await client(people.max);

            const miaTold = nextEvent<ReencryptionNeededEvent>(mia.socket, 'workspaces.reencryptionNeeded');
            const olgaTold = nextEvent<ReencryptionNeededEvent>(olga.socket, 'workspaces.reencryptionNeeded');
            const maxSilent = noEvent(max.socket, 'workspaces.reencryptionNeeded');
            await revoke(people.ron);
            expect(await miaTold).to.deep.equal({ workspaceIds: [workspaceId], revokedUserIds: [people.ron.userId] });
            expect(await olgaTold, multiInstance ? 'an Owner on the other instance' : 'another Owner').to.deep.equal({ workspaceIds: [workspaceId], revokedUserIds: [people.ron.userId] });
            expect(await maxSilent, 'a Contributor is not asked to re-encrypt').to.equal(true);
            // Oscar was offline: the need is stored and his next list says it.
            const oscar = await client(people.oscar, otherUrl);
            expect((await summaryOf(oscar.socket, workspaceId))?.reencryption).to.deep.equal({ needed: true });

            // Before the run starts, writes still go through.
            expect(errorCode(await max.writeFile(workspaceId, keys, { entryId: '0'.repeat(32), manifest: { kind: 'folder', name: 'Plans', children: {}, updated: 1, updatedBy: 'x' }, version: 1 },
                'early.txt', new Uint8Array(3)))).to.equal('ok');

            const maxHearsMaintenance = nextEvent<WorkspaceMaintenanceEvent>(max.socket, 'workspace.maintenance', 20_000);
            const duringRun: string[] = [];
            let probed: Promise<void> | undefined;
            const progress: ReencryptionProgress[] = [];
            const result = await run(mia.socket, people.mia, workspaceId, {
                onProgress: step => {
                    progress.push(step);
                    if (step.phase === 'reencrypting' && step.done > 0 && !probed) {
                        // Half way: a write is refused with the reason, every manifest still reads.
                        probed = (async () => {
                            const refused = await request(max.socket, 'workspaces.write', { workspaceId, entries: [{ entryId: ids[0], expectedVersion: 1, keyIndex: 1, blob: 'AAAA' }] });
                            duringRun.push(errorCode(refused));
                            const maxKeys = await keysOf(max.socket, people.max, workspaceId);
                            const rows = await allManifests(max.socket, workspaceId);
                            openAll(rows, maxKeys, workspaceId);
                            duringRun.push(`read ${rows.length}, ${new Set(rows.map(row => row.keyIndex)).size} keys`);
                        })();
                    }
                }
            });
            await probed;
            expect(result).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 1102, stillNeeded: false });
            expect(duringRun).to.deep.equal(['WORKSPACE_REENCRYPTING', 'read 1102, 2 keys']);
            expect((await maxHearsMaintenance)).to.deep.equal({ workspaceId, maintenance: true, keyIndex: 1 });
            expect(progress[progress.length - 1]).to.deep.include({ phase: 'finishing', done: 1102, total: 1102 });

            // Every remaining member reads every manifest under the new key; the revoked user's keys open none.
            const rows = await allManifests(oscar.socket, workspaceId);
            expect(rows).to.have.length(1102);
            expect(new Set(rows.map(row => row.keyIndex))).to.deep.equal(new Set([1]));
            for (const [device, socket] of [[people.mia, mia.socket], [people.olga, olga.socket], [people.oscar, oscar.socket], [people.max, max.socket]] as const) {
                expect(openAll(rows, await keysOf(socket, device, workspaceId), workspaceId).size).to.equal(1102);
            }
            expect(openedBy(rows, ronKeys, workspaceId), 'the revoked user\'s keys open nothing').to.equal(0);
            const roles = await expectOk(request<WorkspaceRoles>(mia.socket, 'workspaces.roles', { workspaceId }));
            expect(roles.members.map(member => member.userId)).to.not.include(people.ron.userId);
            expect((await summaryOf(oscar.socket, workspaceId))?.reencryption).to.deep.equal({ needed: false });
            // Writes are accepted again, under the new key.
            const maxKeys = await keysOf(max.socket, people.max, workspaceId);
            expect(maxKeys).to.have.length(2);
            await addManifests(max.socket, workspaceId, maxKeys, 1, people.max.deviceId);
            expect(await org.refusal(people.ron)).to.equal('AUTH_USER_REVOKED');
        });

        it('"Re-encrypt All That Need It": every workspace the revocation exposed and this user may run, one after the other', async () => {
            const { people, client, revoke, org } = await cast();
            const mia = await client(people.mia);
            const olga = await client(people.olga);
            const first = await mia.create('First');
            const second = await mia.create('Second');
            const theirs = await olga.create('Olga\'s');
            for (const [owner, made] of [[mia, first], [mia, second], [olga, theirs]] as const) {
                expect(errorCode(await owner.share(made.workspaceId, people.ron, 'READER', made.keys))).to.equal('ok');
                await addManifests(owner.socket, made.workspaceId, made.keys, 300, 'd');
            }
            expect(errorCode(await olga.share(theirs.workspaceId, people.mia, 'MANAGER', theirs.keys))).to.equal('ok');
            await revoke(people.ron);
            const { reencryptNeeded } = await import('@vouch/workspaces');
            const results = await reencryptNeeded(new SocketWorkspaceConnection(mia.socket), identityOf(people.mia, org.boot.rootVerifyKey), { batchSize: 200, randomDelayMs: 50 });
            expect(results.get(first.workspaceId)).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 301, stillNeeded: false });
            expect(results.get(second.workspaceId)).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 301, stillNeeded: false });
            expect(results.get(theirs.workspaceId), 'a Manager while its Owner is active').to.deep.include({ code: 'NOT_ALLOWED' });
            expect((await summaryOf(olga.socket, theirs.workspaceId))?.reencryption).to.deep.equal({ needed: true });
        });

        it('two Owners at once: one run, the other waits and finds it done; a cancelled run resumes where it stopped', async () => {
            const { people, client, revoke, run } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Together');
            expect(errorCode(await mia.share(workspaceId, people.olga, 'OWNER', keys))).to.equal('ok');
            expect(errorCode(await mia.share(workspaceId, people.ron, 'CONTRIBUTOR', keys))).to.equal('ok');
            await addManifests(mia.socket, workspaceId, keys, 900, people.mia.deviceId);
            await revoke(people.ron);
            const olga = await client(people.olga, otherUrl);

            // Mia cancels after her first batch; Olga resumes from there.
            const source = new CancellationTokenSource();
            const cancelled = await run(mia.socket, people.mia, workspaceId, { onProgress: step => step.done > 0 && source.cancel(), token: source.token });
            expect(cancelled).to.deep.include({ kind: 'cancelled', total: 901 });
            const doneBefore = (cancelled as { done: number }).done;
            expect(doneBefore).to.be.greaterThan(0).and.lessThan(901);
            const paused = await summaryOf(olga.socket, workspaceId);
            expect(paused?.reencryption?.run).to.deep.include({ keyIndex: 1, done: doneBefore, total: 901 });

            const phases: string[] = [];
            const [first, second] = await Promise.all([
                run(olga.socket, people.olga, workspaceId, { onProgress: step => phases.push(`olga ${step.phase}`) }),
                run(mia.socket, people.mia, workspaceId, { onProgress: step => phases.push(`mia ${step.phase}`) })
            ]);
            const outcomes = [first.kind, second.kind].sort();
            expect(outcomes, phases.join(', ')).to.deep.equal(['done', 'notNeeded']);
            expect(phases.filter(phase => phase.endsWith('rotating')), 'nobody rotated again').to.deep.equal([]);
            const rows = await allManifests(mia.socket, workspaceId);
            expect(rows.every(row => row.keyIndex === 1)).to.equal(true);
            expect(openAll(rows, await keysOf(olga.socket, people.olga, workspaceId), workspaceId).size).to.equal(901);
            expect((await summaryOf(mia.socket, workspaceId))?.keyIndex).to.equal(1);
        });

        it('the running Owner revoked half way: another Owner takes over at once, then re-encrypts again for that revocation', async () => {
            const { people, client, revoke, run } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Takeover');
            expect(errorCode(await mia.share(workspaceId, people.olga, 'OWNER', keys))).to.equal('ok');
            expect(errorCode(await mia.share(workspaceId, people.ron, 'READER', keys))).to.equal('ok');
            await addManifests(mia.socket, workspaceId, keys, 700, people.mia.deviceId);
            const miaKeysBefore = await keysOf(mia.socket, people.mia, workspaceId);
            await revoke(people.ron);
            let revoking: Promise<unknown> | undefined;
            const miaRun = run(mia.socket, people.mia, workspaceId, { onProgress: step => { revoking ??= step.done > 0 ? revoke(people.mia) : undefined; } });
            await miaRun.then(() => expect.fail('a revoked runner cannot finish'), () => undefined);
            await revoking;
            const olga = await client(people.olga, otherUrl);
            const takenOver = await run(olga.socket, people.olga, workspaceId);
            expect(takenOver).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 701, stillNeeded: true });
            // Mia had key 1 too: a second run removes her and moves everything to key 2.
            const again = await run(olga.socket, people.olga, workspaceId);
            expect(again).to.deep.equal({ kind: 'done', keyIndex: 2, manifests: 701, stillNeeded: false });
            const rows = await allManifests(olga.socket, workspaceId);
            expect(openAll(rows, await keysOf(olga.socket, people.olga, workspaceId), workspaceId).size).to.equal(701);
            expect(openedBy(rows, miaKeysBefore, workspaceId)).to.equal(0);
            const roles = await expectOk(request<WorkspaceRoles>(olga.socket, 'workspaces.roles', { workspaceId }));
            expect(roles.members.map(member => member.userId)).to.deep.equal([people.olga.userId]);
        });

        it('the last Owner revoked: the highest role left is told, becomes Owner by a signed certificate and re-encrypts; nobody lower may; the Revoke dialog could tell beforehand', async () => {
            const { people, client, revoke, run, admin, org } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Succession');
            const shared = await new TestWorkspaceClient(admin, org.admin).create('Shared with the Administrator');
            expect(errorCode(await new TestWorkspaceClient(admin, org.admin).share(shared.workspaceId, people.mia, 'MANAGER', shared.keys))).to.equal('ok');
            expect(errorCode(await mia.share(workspaceId, people.max, 'MANAGER', keys))).to.equal('ok');
            expect(errorCode(await mia.share(workspaceId, people.olga, 'CONTRIBUTOR', keys))).to.equal('ok');
            await addManifests(mia.socket, workspaceId, keys, 30, people.mia.deviceId);
            const max = await client(people.max);
            const olga = await client(people.olga);
            // The Revoke dialog first asks what it will cause: two workspaces, the last Owner of one (ids only: the names are sealed).
            const impact = await expectOk(request<{ workspaces: { workspaceId: string; lastOwner: boolean }[] }>(admin, 'reencryption.impact', { userIds: [people.mia.userId] }));
            expect([...impact.workspaces].sort((a, b) => a.workspaceId.localeCompare(b.workspaceId)))
                .to.deep.equal([{ workspaceId: shared.workspaceId, lastOwner: false }, { workspaceId, lastOwner: true }].sort((a, b) => a.workspaceId.localeCompare(b.workspaceId)));
            expect(errorCode(await request(max.socket, 'reencryption.impact', { userIds: [people.mia.userId] })), 'Administrators only').to.equal('NOT_ALLOWED');
            const maxTold = nextEvent<ReencryptionNeededEvent>(max.socket, 'workspaces.reencryptionNeeded');
            await revoke(people.mia);
            expect((await maxTold).workspaceIds).to.deep.equal([workspaceId]);
            expect(errorCode(await request(olga.socket, 'reencryption.start', { workspaceId }))).to.equal('NOT_ALLOWED');
            // A Manager cannot simply make themself Owner outside a succession either.
            expect(errorCode(await max.share(workspaceId, people.max, 'OWNER'))).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
            const result = await run(max.socket, people.max, workspaceId);
            expect(result).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 31, stillNeeded: false });
            const roles = await expectOk(request<WorkspaceRoles>(max.socket, 'workspaces.roles', { workspaceId }));
            expect(roles.members.map(member => [member.userId, member.role]).sort()).to.deep.equal([[people.max.userId, 'OWNER'], [people.olga.userId, 'CONTRIBUTOR']].sort());
            expect(openAll(await allManifests(olga.socket, workspaceId), await keysOf(olga.socket, people.olga, workspaceId), workspaceId).size).to.equal(31);
        });

        it('an Owner gone quiet half way: another waits while the lease lasts, then takes the run over and finishes it', async () => {
            // A server of its own with a short lease, so the test does not wait for the default.
            const shortLease = await open();
            const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database: shortLease.config, publicUrl: 'http://127.0.0.1:1' });
            const quick = await VouchServer.start({ config, reencryptionLeaseMs: 3000 });
            try {
                const quickUrl = `http://127.0.0.1:${quick.address}`;
                const org = await TestOrganization.bootstrap(quick, quickUrl, pool);
                const admin = await org.connect(org.admin);
                const person = (label: string) => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, 'MEMBER');
                const [mia, olga, ron] = [await person('Mia'), await person('Olga'), await person('Ron')];
                const miaClient = new TestWorkspaceClient(await org.connect(mia), mia);
                const { workspaceId, keys } = await miaClient.create('Quiet');
                expect(errorCode(await miaClient.share(workspaceId, olga, 'OWNER', keys))).to.equal('ok');
                expect(errorCode(await miaClient.share(workspaceId, ron, 'READER', keys))).to.equal('ok');
                await addManifests(miaClient.socket, workspaceId, keys, 600, mia.deviceId);
                await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [ron.userId], at) })));
                const olgaSocket = await org.connect(olga);
                // Mia's device goes away after her first batch, without a word.
                const miaRun = reencryptWorkspace(new SocketWorkspaceConnection(miaClient.socket), identityOf(mia, org.boot.rootVerifyKey), workspaceId,
                    { batchSize: 100, onProgress: step => step.done > 0 && miaClient.socket.disconnect() });
                await miaRun.then(() => expect.fail('a device that went away cannot finish'), () => undefined);
                const refused = await request(olgaSocket, 'reencryption.start', { workspaceId });
                expect(!refused.ok && refused.error, 'the run is still Mia\'s for now').to.deep.include({ code: 'REENCRYPTION_RUNNING' });
                expect(!refused.ok && refused.error.details).to.deep.include({ runnerUserId: mia.userId, done: 100, total: 601 });
                const phases: string[] = [];
                const result = await reencryptWorkspace(new SocketWorkspaceConnection(olgaSocket), identityOf(olga, org.boot.rootVerifyKey), workspaceId,
                    { batchSize: 100, pollMs: 100, onProgress: step => phases.push(step.phase) });
                expect(phases, 'and never rotates again').to.not.include('rotating');
                expect(result).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 601, stillNeeded: false });
                expect(openAll(await allManifests(olgaSocket, workspaceId), await keysOf(olgaSocket, olga, workspaceId), workspaceId).size).to.equal(601);
            } finally {
                await quick.close();
                await shortLease.drop();
            }
        });

        it('re-encrypts large folders in batches that stay under the message limit', async () => {
            const { people, client, revoke, run } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Large folders');
            expect(errorCode(await mia.share(workspaceId, people.ron, 'READER', keys))).to.equal('ok');
            const { newEntryId, sealManifest } = await import('@vouch/protocol');
            // Twelve folders of 2,500 children each: ≈ 190 KB sealed apiece, more than 1 MB together.
            for (let i = 0; i < 12; i++) {
                const children = Object.fromEntries(Array.from({ length: 2500 }, (_, n) => [`file number ${n} of folder ${i}.txt`, newEntryId()]));
                const entryId = newEntryId();
                await expectOk(request(mia.socket, 'workspaces.write', {
                    workspaceId, entries: [{ entryId, expectedVersion: 0, keyIndex: 0, blob: sealManifest(keys[0], { workspaceId, entryId, keyIndex: 0 }, { kind: 'folder', children, updated: 1, updatedBy: 'd' }) }]
                }));
            }
            await revoke(people.ron);
            const sizes: number[] = [];
            const result = await run(mia.socket, people.mia, workspaceId, { batchSize: 500, onProgress: step => step.phase === 'reencrypting' && sizes.push(step.done) });
            expect(result).to.deep.equal({ kind: 'done', keyIndex: 1, manifests: 13, stillNeeded: false });
            expect(sizes.length, 'several batches').to.be.greaterThan(2);
            expect(openAll(await allManifests(mia.socket, workspaceId), await keysOf(mia.socket, people.mia, workspaceId), workspaceId).size).to.equal(13);
        });

        it('refuses a rotation whose key does not go to exactly the members left, a stale or repeated batch, and a finish with manifests left', async () => {
            const { people, client, revoke } = await cast();
            const mia = await client(people.mia);
            const { workspaceId, keys } = await mia.create('Rules');
            expect(errorCode(await mia.share(workspaceId, people.max, 'READER', keys))).to.equal('ok');
            expect(errorCode(await mia.share(workspaceId, people.ron, 'READER', keys))).to.equal('ok');
            await addManifests(mia.socket, workspaceId, keys, 3, people.mia.deviceId);
            expect(errorCode(await request(mia.socket, 'reencryption.start', { workspaceId }))).to.equal('REENCRYPTION_NOT_NEEDED');
            await revoke(people.ron);
            await expectOk(request(mia.socket, 'reencryption.start', { workspaceId }));
            const max = await client(people.max);
            expect(errorCode(await request(max.socket, 'reencryption.start', { workspaceId })), 'a Reader').to.equal('NOT_ALLOWED');
            expect(errorCode(await request(mia.socket, 'reencryption.batch', { workspaceId, entries: [{ entryId: 'a'.repeat(32), version: 1, fromKeyIndex: 0, blob: 'AAAA' }] })),
                'no batch before the rotation').to.equal('REENCRYPTION_NOT_RUNNING');
            const { sealKeyList, newWorkspaceKey, workspaceKeyDigest, linkCertificates, signCertificate, chainDigest, decodeCertificate } = await import('@vouch/protocol');
            const { nodeEd25519 } = await import('@vouch/server/lib/crypto/node-ed25519');
            const roles = await expectOk(request<WorkspaceRoles>(mia.socket, 'workspaces.roles', { workspaceId }));
            const last = decodeCertificate(roles.certificates[roles.certificates.length - 1].signed);
            if (!last.ok) { throw new Error('undecodable'); }
            const key = newWorkspaceKey();
            const timestamp = Math.max(Date.now(), last.value.content.timestamp + 1);
            const common = { version: 1 as const, author: people.mia.deviceId, timestamp, workspaceId };
            const sign = (withRemoval: boolean) => linkCertificates([
                ...(withRemoval ? [{ kind: 'workspace_role' as const, ...common, userId: people.ron.userId, role: null }] : []),
                { kind: 'workspace_key' as const, ...common, keyIndex: 1, keyDigest: workspaceKeyDigest(workspaceId, 1, key) }
            ], chainDigest(last.value.content)).map(content => signCertificate(content, people.mia.signingKey.secretKey, nodeEd25519));
            const sealed = (device: TestDevice) => sealKeyList(device.userKey!.publicKey, [...keys, key], workspaceId, device.userId);
            const rotate = (certificates: string[], sealedKeys: Record<string, string>) => request(mia.socket, 'reencryption.rotate', { workspaceId, certificates, sealedKeys });
            expect(errorCode(await rotate(sign(false), { [people.mia.userId]: sealed(people.mia), [people.max.userId]: sealed(people.max) })), 'the revoked member kept').to.equal('REENCRYPTION_RECIPIENTS_MISMATCH');
            expect(errorCode(await rotate(sign(true), { [people.mia.userId]: sealed(people.mia) })), 'a member left out').to.equal('REENCRYPTION_RECIPIENTS_MISMATCH');
            expect(errorCode(await rotate(sign(true), { [people.mia.userId]: sealed(people.mia), [people.max.userId]: sealed(people.max), [people.ron.userId]: sealed(people.ron) })),
                'the revoked user given the key').to.equal('REENCRYPTION_RECIPIENTS_MISMATCH');
            expect((await summaryOf(mia.socket, workspaceId))?.keyIndex, 'nothing changed').to.equal(0);
            await expectOk(rotate(sign(true), { [people.mia.userId]: sealed(people.mia), [people.max.userId]: sealed(people.max) }));

            const pending = await expectOk(request<{ manifests: { entryId: string; version: number; keyIndex: number; blob: string }[] }>(mia.socket, 'reencryption.pending', { workspaceId }));
            expect(pending.manifests).to.have.length(4);
            expect(errorCode(await request(mia.socket, 'reencryption.finish', { workspaceId }))).to.equal('REENCRYPTION_INCOMPLETE');
            const { openManifest, sealManifest } = await import('@vouch/protocol');
            const batch = pending.manifests.slice(0, 2).map(row => ({
                entryId: row.entryId, version: row.version, fromKeyIndex: 0,
                blob: sealManifest(key, { workspaceId, entryId: row.entryId, keyIndex: 1 }, openManifest(keys[0], { workspaceId, entryId: row.entryId, keyIndex: 0 }, row.blob)!)
            }));
            expect(await expectOk(request(mia.socket, 'reencryption.batch', { workspaceId, entries: batch }))).to.deep.equal({ done: 2, total: 4 });
            expect(errorCode(await request(mia.socket, 'reencryption.batch', { workspaceId, entries: batch })), 'the same batch again').to.equal('REENCRYPTION_STALE_BATCH');
            const wrongVersion = [{ ...batch[0], entryId: pending.manifests[2].entryId, version: pending.manifests[2].version + 1 }];
            const wrong = await request(mia.socket, 'reencryption.batch', { workspaceId, entries: [batch[1], ...wrongVersion].slice(1) });
            expect(!wrong.ok && wrong.error, 'a version that is not stored').to.deep.include({ code: 'REENCRYPTION_STALE_BATCH', details: { entryId: pending.manifests[2].entryId } });
            const mixed = pending.manifests.slice(2).map(row => ({
                entryId: row.entryId, version: row.version, fromKeyIndex: 0,
                blob: sealManifest(key, { workspaceId, entryId: row.entryId, keyIndex: 1 }, openManifest(keys[0], { workspaceId, entryId: row.entryId, keyIndex: 0 }, row.blob)!)
            }));
            const partlyStale = await request(mia.socket, 'reencryption.batch', { workspaceId, entries: [...mixed, batch[0]] });
            expect(!partlyStale.ok && partlyStale.error, 'one stale entry refuses the whole batch').to.deep.include({ code: 'REENCRYPTION_STALE_BATCH', details: { entryId: batch[0].entryId } });
            expect((await summaryOf(mia.socket, workspaceId))?.reencryption?.run).to.deep.include({ keyIndex: 1, done: 2, total: 4 });
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
