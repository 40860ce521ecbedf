import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, InvitationSummary, InviteResult, JoinRequestStatus, Manifest, parseInvitationLink, ReencryptionNeededEvent, ROOT_ENTRY_ID, utf8Encode, WorkspaceChangedEvent
} from '@vouch/protocol';
import { guestChannel, hostChannel, newGuestKeys, scriptedUserGreeting } from '@vouch/server/lib/testing/greeting-fixtures';
import {
    acceptRequest, finalize, makeRequester, pendingOf, SocketPool as JoinSocketPool
} from '@vouch/server/lib/testing/join-request-fixtures';
import {
    disconnection, errorCode, expectOk, freshMariaDb, nextPosition, REDIS_URL, request, sendSigned, signRevocations, signUserUpdates, SocketPool, TestDatabase
} from '@vouch/server/lib/testing/socket-harness';
import { makeTestPki, pkiProof, TestPki } from '@vouch/server/lib/testing/test-pki';
import { TestWorkspaceClient } from '@vouch/server/lib/testing/workspace-fixtures';
import { InstancesOrganization, MovingSocket, ServeInstance } from './instances';

const EVENT_TIMEOUT_MS = 10_000;

/** The next `event` on `socket`, or a failure naming it after `ms`. */
function nextEvent<T>(socket: Socket, event: string, ms = EVENT_TIMEOUT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
        socket.once(event, (payload: T) => {
            clearTimeout(timer);
            resolve(payload);
        });
    });
}

function connectedAnonymous(pool: SocketPool, url: string): Promise<Socket> {
    const socket = pool.open(url, ANONYMOUS_NAMESPACE);
    return new Promise((resolve, reject) => {
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
    });
}

describe('Several `vouch-server serve` instances sharing one MariaDB database and Redis', function () {
    this.timeout(90_000);
    const pool = new SocketPool();
    const instances: ServeInstance[] = [];
    let database: TestDatabase;
    let dataDir: string;
    let pki: TestPki;
    let env: NodeJS.ProcessEnv;
    let org: InstancesOrganization;
    let a: ServeInstance, b: ServeInstance, c: ServeInstance;
    let admin: Socket;

    before(async () => {
        database = await freshMariaDb();
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-multi-'));
        pki = makeTestPki('Multi');
        fs.writeFileSync(path.join(dataDir, 'anchors.pem'), pki.root.pem);
        if (database.config.kind !== 'mysql') {
            throw new Error('expected MariaDB');
        }
        env = {
            VOUCH_DB_URL: database.config.url, VOUCH_REDIS_URL: REDIS_URL, VOUCH_DATA_DIR: dataDir, VOUCH_ORGANIZATION: `Multi${Date.now().toString(36)}`,
            VOUCH_PKI_TRUST_ANCHORS: path.join(dataDir, 'anchors.pem')
        };
        // A migrates and creates the organization; B and C then start side by side on the same schema.
        a = await ServeInstance.start('A', env);
        instances.push(a);
        const others = await Promise.allSettled([ServeInstance.start('B', env), ServeInstance.start('C', env)]);
        // Every started process is kept (and stopped in `after`) before a failed start is reported.
        others.forEach(started => started.status === 'fulfilled' && instances.push(started.value));
        const failed = others.find(started => started.status === 'rejected');
        if (failed) {
            throw (failed as PromiseRejectedResult).reason;
        }
        [, b, c] = instances;
        org = await InstancesOrganization.fromLink(a.bootstrapLink(), a.url, pool);
        admin = await org.connect(org.admin, a.url);
    });

    after(async () => {
        pool.closeAll();
        await Promise.all(instances.map(instance => instance.stop()));
        await database?.drop();
        if (dataDir) {
            fs.rmSync(dataDir, { recursive: true, force: true });
        }
    });

    const member = (label: string) => org.createUser(admin, org.admin, label, `${label.toLowerCase()}@example.com`, 'MEMBER');

    /** An invitation made on A; its guest claims it on `guestUrl`; `host` (the Administrator on A by default) starts the greeting. */
    async function greetingFor(email: string, guestUrl: string, host = admin): Promise<{ guest: Socket; token: string; attemptId: string }> {
        const { results } = await expectOk(request<{ results: InviteResult[] }>(admin, 'invitation.inviteUsers', { invitees: [{ email, profile: 'MEMBER' }], sendEmail: false }));
        const invitation = results[0].invitation!;
        const token = parseInvitationLink(invitation.link)!.token;
        const guest = await connectedAnonymous(pool, guestUrl);
        await expectOk(request(guest, 'invitation.claim', { organizationId: org.organizationId, token }));
        const { attemptId } = await expectOk(request<{ attemptId: string }>(host, 'greeting.start', { invitationId: invitation.invitationId }));
        return { guest, token, attemptId };
    }

    /** Whether the host sees an invitation's guest online (its list asks every instance). */
    async function guestOnline(email: string): Promise<boolean> {
        const listed = await expectOk(request<{ invitations: InvitationSummary[] }>(admin, 'invitation.list', {}));
        const found = listed.invitations.find(invitation => invitation.email === email);
        if (!found) {
            throw new Error(`no invitation for ${email}`);
        }
        return found.guestOnline;
    }

    it('greets a guest on B by a host on A; the new member works on C', async () => {
        const { guest, token, attemptId } = await greetingFor('gina@example.com', b.url);
        const { guestDevice } = await scriptedUserGreeting({
            host: { organizationId: org.organizationId, rootVerifyKey: org.boot.rootVerifyKey, device: org.admin },
            hostChannel: hostChannel(admin, attemptId), guestChannel: guestChannel(guest, attemptId, org.organizationId, token),
            guest: newGuestKeys('gina@example.com', 'Gina'), email: 'gina@example.com', position: () => nextPosition(admin)
        });
        const onC = await org.connect(guestDevice, c.url);
        expect(await expectOk(request<{ profile: string; humanHandle: { email: string } }>(onC, 'session.info', {}))).to.deep.include({
            profile: 'MEMBER', humanHandle: { email: 'gina@example.com', label: 'Gina' }
        });
    });

    it('takes a join request submitted on A, accepted by an Administrator on B, finalized by the requester on C', async () => {
        const adminOnB = await org.connect(org.admin, b.url);
        const changed = nextEvent(adminOnB, 'joinRequests.changed');
        const requester = makeRequester(org.organizationId, 'jules@example.com', { name: 'Jules' });
        const onA = await connectedAnonymous(pool, a.url);
        const submitted = await expectOk(request<JoinRequestStatus>(onA, 'joinRequests.submit', {
            payload: requester.payload, proof: pkiProof(requester.payload, pki.leaf('jules@example.com'), [pki.intermediate])
        }));
        expect(submitted).to.include({ state: 'pending', method: 'pki' });
        await changed;
        // As the requester's client does: asking for the status follows the decision on this socket.
        expect((await expectOk(request<JoinRequestStatus>(onA, 'joinRequests.status', { organizationId: org.organizationId, claimSecret: requester.claimSecret }))).state).to.equal('pending');
        const decided = nextEvent<JoinRequestStatus>(onA, 'joinRequests.decided');
        expect(errorCode(await acceptRequest(adminOnB, org.admin, await pendingOf(adminOnB, 'jules@example.com')))).to.equal('ok');
        expect((await decided).state, 'the requester waiting on A is told').to.equal('accepted');

        const onC = new JoinSocketPool(() => c.url);
        try {
            const status = await expectOk(request<JoinRequestStatus>(await onC.anonymous(), 'joinRequests.status', { organizationId: org.organizationId, claimSecret: requester.claimSecret }));
            expect(status.state).to.equal('accepted');
            const device = await finalize(onC, org.organizationId, org.boot.rootVerifyKey, requester, status);
            expect(await expectOk(request<{ humanHandle: { email: string } }>(device, 'session.info', {}))).to.deep.include({ humanHandle: { email: 'jules@example.com', label: 'Jules' } });
        } finally {
            onC.closeAll();
        }
    });

    it('closes the revoked user\'s sockets on B and C at once when the revocation is made on A', async () => {
        const [rita, sam] = [await member('Rita'), await member('Sam')];
        const sockets = [await org.connect(rita, b.url), await org.connect(rita, c.url)];
        const samOnB = await org.connect(sam, b.url);
        const closed = sockets.map(socket => disconnection(socket, EVENT_TIMEOUT_MS));
        const told = sockets.map(socket => nextEvent<{ message: string }>(socket, 'session.revoked'));
        await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [rita.userId], at) })));
        expect((await Promise.all(told)).map(event => event.message)).to.satisfy((messages: string[]) => messages.every(message => /revoked/.test(message)));
        expect(await Promise.all(closed)).to.deep.equal(['io server disconnect', 'io server disconnect']);
        for (const instance of [a, b, c]) {
            expect(await org.refusal(rita, instance.url), `refused on ${instance.name}`).to.equal('AUTH_USER_REVOKED');
        }
        expect(samOnB.connected, 'another user\'s socket stays').to.equal(true);
    });

    it('applies a demotion made on A to the demoted Administrator\'s session on C at once, without a reconnection', async () => {
        const ada = await org.createUser(admin, org.admin, 'Ada', 'ada@example.com', 'ADMINISTRATOR');
        const onC = await org.connect(ada, c.url);
        expect(errorCode(await request(onC, 'users.revoke', { rightsProbe: true })), 'an Administrator passes the rights check').to.equal('BAD_PAYLOAD');
        const changed = nextEvent<{ profile: string }>(onC, 'session.profileChanged');
        await expectOk(sendSigned(admin, 'users.changeProfiles', at => ({ certificates: signUserUpdates(org.admin, [{ userId: ada.userId, profile: 'MEMBER' }], at) })));
        expect(await changed).to.deep.equal({ profile: 'MEMBER' });
        expect(errorCode(await request(onC, 'users.revoke', { rightsProbe: true }))).to.equal('NOT_ALLOWED');
    });

    it('pushes a workspace change written on A to a member on B, and a re-encryption need after a revocation on A to an Owner on C', async () => {
        const [mia, bob, olga, ron] = [await member('Mia'), await member('Bob'), await member('Olga'), await member('Ron')];
        const mias = new TestWorkspaceClient(await org.connect(mia, a.url), mia);
        const { workspaceId, keys } = await mias.create('Across instances');
        for (const [who, role] of [[bob, 'CONTRIBUTOR'], [olga, 'OWNER'], [ron, 'READER']] as const) {
            expect(errorCode(await mias.share(workspaceId, who, role, keys))).to.equal('ok');
        }
        const bobs = new TestWorkspaceClient(await org.connect(bob, b.url), bob);
        const changed = nextEvent<WorkspaceChangedEvent>(bobs.socket, 'workspace.changed');
        const root = (await mias.manifests(workspaceId, keys)).get(ROOT_ENTRY_ID)!;
        const written = await expectOk(mias.writeFile(workspaceId, keys, { entryId: ROOT_ENTRY_ID, manifest: root.manifest as Manifest & { kind: 'folder' }, version: root.version },
            'notes.txt', utf8Encode('Written on A, read on B.')));
        expect(await changed).to.deep.include({ workspaceId, change: written.change });
        const bobKeys = await bobs.keys(workspaceId);
        const tree = await bobs.manifests(workspaceId, bobKeys);
        const folder = tree.get(ROOT_ENTRY_ID)!.manifest as Manifest & { kind: 'folder' };
        const file = tree.get(folder.children['notes.txt'])!.manifest as Manifest & { kind: 'file' };
        expect(Buffer.from(await bobs.readFile(workspaceId, file)).toString()).to.equal('Written on A, read on B.');

        const olgaOnC = await org.connect(olga, c.url);
        const needed = nextEvent<ReencryptionNeededEvent>(olgaOnC, 'workspaces.reencryptionNeeded');
        await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [ron.userId], at) })));
        expect(await needed).to.deep.equal({ workspaceIds: [workspaceId], revokedUserIds: [ron.userId] });
    });

    it('finishes a greeting on C after the guest\'s instance D is killed (SIGKILL) between the code exchange and the guest\'s pick', async () => {
        const d = await ServeInstance.start('D', env);
        instances.push(d);
        const { guest, token, attemptId } = await greetingFor('kim@example.com', d.url);
        const moving = new MovingSocket(guest);
        let killedAt: number | undefined;
        const { guestDevice } = await scriptedUserGreeting({
            host: { organizationId: org.organizationId, rootVerifyKey: org.boot.rootVerifyKey, device: org.admin },
            hostChannel: hostChannel(admin, attemptId),
            guestChannel: guestChannel(moving, attemptId, org.organizationId, token),
            guest: newGuestKeys('kim@example.com', 'Kim'), email: 'kim@example.com', position: () => nextPosition(admin),
            guestPicks: (_candidates, right) => {
                // Both codes are known: D dies before the guest's next step, which goes to C.
                // Its workbench reconnects (here to C) and claims its link again, as it does after any reconnection.
                moving.moveTo(d.kill().then(async () => {
                    killedAt = Date.now();
                    expect(await guestOnline('kim@example.com'), 'the guest is no longer seen online once D is gone').to.equal(false);
                    const onC = await connectedAnonymous(pool, c.url);
                    await expectOk(request(onC, 'invitation.claim', { organizationId: org.organizationId, token }));
                    expect(await guestOnline('kim@example.com'), 'the guest is seen back online on C').to.equal(true);
                    return onC;
                }));
                return right;
            }
        });
        expect(killedAt, 'D was killed mid-greeting').to.be.a('number');
        expect(d.running).to.equal(false);
        const onC = await org.connect(guestDevice, c.url);
        expect(await expectOk(request<{ profile: string; humanHandle: { email: string } }>(onC, 'session.info', {}))).to.deep.include({
            profile: 'MEMBER', humanHandle: { email: 'kim@example.com', label: 'Kim' }
        });
    });

    it('finishes a greeting from C after the host\'s instance E is killed (SIGKILL) just before the host signs the new user (step 7)', async () => {
        const e = await ServeInstance.start('E', env);
        instances.push(e);
        const hostOnE = await org.connect(org.admin, e.url);
        const { guest, token, attemptId } = await greetingFor('lou@example.com', b.url, hostOnE);
        const host = new MovingSocket(hostOnE);
        let hostOnC: Socket | undefined;
        const { guestDevice } = await scriptedUserGreeting({
            host: { organizationId: org.organizationId, rootVerifyKey: org.boot.rootVerifyKey, device: org.admin },
            hostChannel: hostChannel(host, attemptId),
            guestChannel: guestChannel(guest, attemptId, org.organizationId, token),
            guest: newGuestKeys('lou@example.com', 'Lou'), email: 'lou@example.com',
            // Asked once the guest's details are in: E dies, the host's workbench reconnects to C and signs there.
            position: async () => {
                if (!hostOnC) {
                    await e.kill();
                    hostOnC = await org.connect(org.admin, c.url);
                    host.moveTo(Promise.resolve(hostOnC));
                }
                return nextPosition(hostOnC);
            }
        });
        expect(e.running).to.equal(false);
        const onB = await org.connect(guestDevice, b.url);
        expect(await expectOk(request<{ profile: string; humanHandle: { email: string } }>(onB, 'session.info', {}))).to.deep.include({
            profile: 'MEMBER', humanHandle: { email: 'lou@example.com', label: 'Lou' }
        });
    });
});
