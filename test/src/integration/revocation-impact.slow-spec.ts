import { expect } from 'chai';
import { RevocationImpact } from '@vouch/protocol';
import { VouchServer } from '@vouch/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import {
    errorCode, expectOk, request, sendSigned, signRevocations, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization
} from '@vouch/server/lib/testing/socket-harness';
import { TestWorkspaceClient } from '@vouch/server/lib/testing/workspace-fixtures';

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`What a revocation will cause, asked before it (Revoke dialog), on ${kind}`, function () {
        this.timeout(120_000);
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

        it('lists the workspaces the users hold a role in and where they are the last active Owners, to Administrators only', async () => {
            const org = await TestOrganization.bootstrap(server, url, pool);
            const admin = await org.connect(org.admin);
            const person = (label: string) => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, 'MEMBER');
            const people = { mia: await person('Mia'), max: await person('Max'), ron: await person('Ron'), olga: await person('Olga') };
            const client = async (device: TestDevice) => new TestWorkspaceClient(await org.connect(device), device);
            const mia = await client(people.mia);
            const ron = await client(people.ron);
            // Mia's, shared with Ron as Reader; Ron's own (he is its only Owner); Ron's, with Olga as a second Owner; Mia's alone.
            const plans = await mia.create('Plans');
            expect(errorCode(await mia.share(plans.workspaceId, people.ron, 'READER', plans.keys))).to.equal('ok');
            const ronsOwn = await ron.create('Ron alone');
            expect(errorCode(await ron.share(ronsOwn.workspaceId, people.max, 'CONTRIBUTOR', ronsOwn.keys))).to.equal('ok');
            const shared = await ron.create('Ron and Olga');
            expect(errorCode(await ron.share(shared.workspaceId, people.olga, 'OWNER', shared.keys))).to.equal('ok');
            await mia.create('Mia alone');
            // A workspace Ron left no longer counts.
            const left = await mia.create('Left');
            expect(errorCode(await mia.share(left.workspaceId, people.ron, 'READER', left.keys))).to.equal('ok');
            expect(errorCode(await mia.share(left.workspaceId, people.ron, null, left.keys))).to.equal('ok');

            const impact = (userIds: string[]) => expectOk(request<RevocationImpact>(admin, 'reencryption.impact', { userIds }));
            const sorted = (value: RevocationImpact) => [...value.workspaces].sort((a, b) => a.workspaceId.localeCompare(b.workspaceId));
            expect(sorted(await impact([people.ron.userId]))).to.deep.equal(sorted({
                workspaces: [
                    { workspaceId: plans.workspaceId, lastOwner: false },
                    { workspaceId: ronsOwn.workspaceId, lastOwner: true },
                    { workspaceId: shared.workspaceId, lastOwner: false }
                ]
            }));
            // Revoking Ron and Olga together leaves "Ron and Olga" without an Owner too.
            expect(sorted(await impact([people.ron.userId, people.olga.userId])).find(one => one.workspaceId === shared.workspaceId)).to.deep.equal({
                workspaceId: shared.workspaceId, lastOwner: true
            });
            // Once Olga is revoked, Ron is the last active Owner there.
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.olga.userId], at) })));
            expect(sorted(await impact([people.ron.userId])).find(one => one.workspaceId === shared.workspaceId)).to.deep.equal({ workspaceId: shared.workspaceId, lastOwner: true });
            expect(await impact([people.max.userId])).to.deep.equal({ workspaces: [{ workspaceId: ronsOwn.workspaceId, lastOwner: false }] });

            // Members may not ask; a bad payload changes nothing and says why.
            expect(errorCode(await request(mia.socket, 'reencryption.impact', { userIds: [people.ron.userId] }))).to.equal('NOT_ALLOWED');
            expect(errorCode(await request(admin, 'reencryption.impact', { userIds: [] }))).to.equal('BAD_PAYLOAD');
        });
    });
}

for (const [kind, openDatabase] of TEST_DATABASES) {
    suite(kind, openDatabase);
}
