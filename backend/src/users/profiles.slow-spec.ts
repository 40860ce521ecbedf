import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, CertificatesPage, DEVICE_REQUEST_RIGHTS, deviceRequestSchemas, fromBase64Url, ProfileChangedEvent, replayCertificateLog,
    portableEd25519, UserProfile, UsersPage, whoMayRequest
} from '@vouch/protocol';
import { VouchEvents } from '../common/event-bus';
import { VouchServer } from '../server';
import { VouchServices } from '../services';
import { TestDevice } from '../testing/organization-fixtures';
import {
    TEST_DATABASES, disconnection, errorCode, expectOk, REDIS_URL, request, sendSigned, signRevocations, signUserUpdates, SocketPool, startServer,
    TestDatabase, TestOrganization, freshMariaDb
} from '../testing/socket-harness';

const RIGHTS_DOC = path.resolve(__dirname, '../../../docs/rights.md');
const PROFILES: readonly UserProfile[] = ['EXTERNAL', 'MEMBER', 'ADMINISTRATOR'];

async function listUsers(socket: Socket): Promise<UsersPage> {
    return expectOk(request<UsersPage>(socket, 'users.list', { limit: 200 }));
}

async function profileOf(socket: Socket, userId: string): Promise<{ profile: UserProfile; revokedOn?: string; revokedBy?: string }> {
    const user = (await listUsers(socket)).users.find(row => row.userId === userId);
    if (!user) { throw new Error(`no user ${userId}`); }
    return user;
}

function nextEvent<T>(socket: Socket, event: string, ms = 5000): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
        socket.once(event, (value: T) => {
            clearTimeout(timer);
            resolve(value);
        });
    });
}

/** The organization's people, one of each profile plus a second Administrator and a revoked Member. */
interface Cast {
    readonly org: TestOrganization;
    readonly admin: Socket;
    readonly people: Record<'admin2' | 'member' | 'external' | 'revoked', TestDevice>;
}

async function cast(server: VouchServer, url: string, pool: SocketPool): Promise<Cast> {
    const org = await TestOrganization.bootstrap(server, url, pool);
    const admin = await org.connect(org.admin);
    const people = {
        admin2: await org.createUser(admin, org.admin, 'Bea Second', 'bea@example.com', 'ADMINISTRATOR'),
        member: await org.createUser(admin, org.admin, 'Carl Member', 'carl@example.com', 'MEMBER'),
        external: await org.createUser(admin, org.admin, 'Erin External', 'erin@example.com', 'EXTERNAL'),
        revoked: await org.createUser(admin, org.admin, 'Ron Revoked', 'ron@example.com', 'MEMBER')
    };
    await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.revoked.userId], at) })));
    return { org, admin, people };
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Profiles, rights and revocation on ${kind}`, function () {
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

        it('enforces the rights matrix: every device request × {anonymous, External, Member, Administrator, revoked}, each with its row in docs/rights.md', async () => {
            const { org, admin, people } = await cast(server, url, pool);
            const sockets: Record<UserProfile, Socket> = {
                EXTERNAL: await org.connect(people.external),
                MEMBER: await org.connect(people.member),
                ADMINISTRATOR: admin
            };
            const anonymous = pool.open(url, ANONYMOUS_NAMESPACE);
            const doc = fs.readFileSync(RIGHTS_DOC, 'utf8');
            // The schema keys, not a hand list: a request added without its rows fails here.
            const requests = Object.keys(deviceRequestSchemas) as (keyof typeof deviceRequestSchemas)[];
            expect(requests.length).to.be.greaterThan(5);
            const missing: string[] = [];
            for (const name of requests) {
                if (!Array.isArray(DEVICE_REQUEST_RIGHTS[name])) { missing.push(`${name}: no row in rights.ts`); }
                if (!doc.includes(`| \`${name}\` |`)) { missing.push(`${name}: no row in docs/rights.md`); }
                // A payload no strict schema accepts: an allowed request answers BAD_PAYLOAD and changes nothing.
                const probe = { rightsProbe: true };
                for (const profile of PROFILES) {
                    const reply = await request(sockets[profile], name, probe);
                    const allowed = DEVICE_REQUEST_RIGHTS[name].includes(profile);
                    if (allowed && errorCode(reply) === 'NOT_ALLOWED') { missing.push(`${name}: refused to ${profile}`); }
                    if (!allowed && (reply.ok || reply.error.code !== 'NOT_ALLOWED' || reply.error.message !== whoMayRequest(name))) {
                        missing.push(`${name}: not refused to ${profile} (${JSON.stringify(reply).slice(0, 120)})`);
                    }
                }
                const unauthenticated = await request(anonymous, name, probe);
                if (unauthenticated.ok) { missing.push(`${name}: answered on the anonymous namespace`); }
            }
            expect(missing).to.deep.equal([]);
            // Revoked: no session at all, so no request of any kind.
            expect(await org.refusal(people.revoked)).to.equal('AUTH_USER_REVOKED');
        });

        it('changes several profiles in one operation; the affected live sessions follow at once', async () => {
            const { org, admin, people } = await cast(server, url, pool);
            const member = await org.connect(people.member);
            const admin2 = await org.connect(people.admin2);
            const promoted = nextEvent<ProfileChangedEvent>(member, 'session.profileChanged');
            const demoted = nextEvent<ProfileChangedEvent>(admin2, 'session.profileChanged');
            const reply = await sendSigned(admin, 'users.changeProfiles', at => ({ certificates: signUserUpdates(org.admin, [{ userId: people.member.userId, profile: 'ADMINISTRATOR' }, { userId: people.admin2.userId, profile: 'MEMBER' }], at) }));
            expect(reply).to.deep.equal({ ok: true, value: { changed: 2 } });
            expect(await promoted).to.deep.equal({ profile: 'ADMINISTRATOR' });
            expect(await demoted).to.deep.equal({ profile: 'MEMBER' });
            // Same sockets, new rights, no reconnection.
            expect(errorCode(await request(member, 'users.revoke', { rightsProbe: true }))).to.equal('BAD_PAYLOAD');
            expect(errorCode(await request(admin2, 'users.revoke', { rightsProbe: true }))).to.equal('NOT_ALLOWED');
            expect((await expectOk(request<{ profile: string }>(member, 'session.info', {}))).profile).to.equal('ADMINISTRATOR');
            expect((await profileOf(admin, people.member.userId)).profile).to.equal('ADMINISTRATOR');
            expect((await profileOf(admin, people.admin2.userId)).profile).to.equal('MEMBER');
            // A fresh connection reads the new profile too.
            const again = await org.connect(people.admin2);
            expect((await expectOk(request<{ profile: string }>(again, 'session.info', {}))).profile).to.equal('MEMBER');
        });

        it('refuses changes from or to External, of oneself, of revoked users, by non-Administrators: all or none, saying why', async () => {
            const { org, admin, people } = await cast(server, url, pool);
            const member = await org.connect(people.member);
            const cases: [Socket, TestDevice, { userId: string; profile: UserProfile }[], string, RegExp][] = [
                [admin, org.admin, [{ userId: people.member.userId, profile: 'ADMINISTRATOR' }, { userId: people.external.userId, profile: 'MEMBER' }], 'CERTIFICATE_INCONSISTENT', /External/],
                [admin, org.admin, [{ userId: people.member.userId, profile: 'EXTERNAL' }], 'CERTIFICATE_INCONSISTENT', /External/],
                [admin, org.admin, [{ userId: org.admin.userId, profile: 'MEMBER' }], 'CERTIFICATE_AUTHOR_NOT_ALLOWED', /own profile/],
                [admin, org.admin, [{ userId: people.revoked.userId, profile: 'ADMINISTRATOR' }], 'CERTIFICATE_INCONSISTENT', /revoked/],
                [member, people.member, [{ userId: people.admin2.userId, profile: 'MEMBER' }], 'NOT_ALLOWED', /Only Administrators/],
                // Signed by someone else than the connection's device.
                [admin, people.admin2, [{ userId: people.member.userId, profile: 'ADMINISTRATOR' }], 'NOT_ALLOWED', /own device/]
            ];
            for (const [socket, author, changes, code, why] of cases) {
                const reply = await sendSigned(socket, 'users.changeProfiles', at => ({ certificates: signUserUpdates(author, changes, at) }));
                expect(errorCode(reply), JSON.stringify(reply)).to.equal(code);
                expect(!reply.ok && reply.error.message).to.match(why);
            }
            expect((await profileOf(admin, people.member.userId)).profile).to.equal('MEMBER');
        });

        it('revokes for good: open sockets close at once, reconnection is refused, the list says who and when, twice is harmless', async () => {
            const { org, admin, people } = await cast(server, url, pool);
            const memberSockets = [await org.connect(people.member), await org.connect(people.member)];
            const closed = memberSockets.map(socket => disconnection(socket));
            const told = nextEvent<{ message: string }>(memberSockets[0], 'session.revoked');
            const reply = await sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.member.userId], at) }));
            expect((await told).message).to.match(/revoked/);
            expect(reply).to.deep.equal({ ok: true, value: { revoked: [people.member.userId], alreadyRevoked: [] } });
            expect(await Promise.all(closed)).to.deep.equal(['io server disconnect', 'io server disconnect']);
            expect(await org.refusal(people.member)).to.equal('AUTH_USER_REVOKED');
            const row = await profileOf(admin, people.member.userId);
            expect(row.revokedBy).to.equal(org.admin.userId);
            expect(Date.parse(row.revokedOn!)).to.be.closeTo(Date.now(), 60_000);
            expect(await sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [people.member.userId], at) })))
                .to.deep.equal({ ok: true, value: { revoked: [], alreadyRevoked: [people.member.userId] } });
            const self = await sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [org.admin.userId], at) }));
            expect(errorCode(self)).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
            // Other sessions are untouched.
            expect((await listUsers(admin)).users).to.have.length(5);
        });

        it('serializes a concurrent revoke and profile change of one user: one order wins, the log replays', async () => {
            const { org, admin, people } = await cast(server, url, pool);
            const second = await org.connect(people.admin2);
            const outcomes = new Set<string>();
            for (let round = 0; round < 6; round++) {
                const target = await org.createUser(admin, org.admin, `Target ${round}`, `target${round}@example.com`, 'MEMBER');
                // As a client does, sendSigned re-signs a certificate that lost the race for the log head.
                const [revoked, changed] = await Promise.all([
                    sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [target.userId], at) })),
                    sendSigned(second, 'users.changeProfiles', at => ({ certificates: signUserUpdates(people.admin2, [{ userId: target.userId, profile: 'ADMINISTRATOR' }], at) }))
                ]);
                outcomes.add(`${errorCode(revoked)}/${errorCode(changed)}`);
                const row = await profileOf(admin, target.userId);
                expect(row.revokedOn, 'a revocation always lands: it is valid in either order').to.be.a('string');
                expect(row.profile).to.equal(changed.ok ? 'ADMINISTRATOR' : 'MEMBER');
            }
            // Either the change came first (both land) or the revocation did (the change is refused: the user is revoked).
            expect([...outcomes].filter(outcome => outcome !== 'ok/ok' && outcome !== 'ok/CERTIFICATE_INCONSISTENT')).to.deep.equal([]);
            // The log is an order the rules accept, re-checked from the root key as a client would.
            const log = await expectOk(request<CertificatesPage>(admin, 'certificates.list', {}));
            const replayed = replayCertificateLog(log.certificates, fromBase64Url(org.boot.rootVerifyKey)!, portableEd25519);
            expect(replayed.ok, JSON.stringify(!replayed.ok && replayed.error)).to.equal(true);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}

describe('Revocation and profile changes across two instances sharing MariaDB and Redis', function () {
    this.timeout(60_000);
    const pool = new SocketPool();
    let database: TestDatabase;
    const instances: { server: VouchServer; url: string }[] = [];

    before(async () => {
        database = await freshMariaDb();
        for (let i = 0; i < 2; i++) {
            instances.push(await startServer(database.config, REDIS_URL));
        }
    });
    after(async () => {
        pool.closeAll();
        await Promise.all(instances.map(instance => instance.server.close()));
        await database?.drop();
    });

    it('closes the revoked user\'s sockets on both instances and refuses them on both; profile changes reach sessions on the other instance', async () => {
        const [a, b] = instances;
        const org = await TestOrganization.bootstrap(a.server, a.url, pool);
        const admin = await org.connect(org.admin);
        const member = await org.createUser(admin, org.admin, 'Mia Member', 'mia@example.com', 'MEMBER');
        const bob = await org.createUser(admin, org.admin, 'Bob Member', 'bob@example.com', 'MEMBER');

        const bobOnB = await org.connect(bob, b.url);
        const followed = nextEvent<ProfileChangedEvent>(bobOnB, 'session.profileChanged');
        await expectOk(sendSigned(admin, 'users.changeProfiles', at => ({ certificates: signUserUpdates(org.admin, [{ userId: bob.userId, profile: 'ADMINISTRATOR' }], at) })));
        expect(await followed).to.deep.equal({ profile: 'ADMINISTRATOR' });
        expect(errorCode(await request(bobOnB, 'users.revoke', { rightsProbe: true }))).to.equal('BAD_PAYLOAD');

        const sockets = [await org.connect(member, a.url), await org.connect(member, b.url), await org.connect(member, b.url)];
        const closed = sockets.map(socket => disconnection(socket));
        // What the workspaces domain will listen to: instance B's bus hears a revocation made through A.
        const heardOnB = new Promise<VouchEvents['users.revoked']>(resolve => {
            const subscription = (b.server as unknown as { services: VouchServices }).services.bus.on('users.revoked', event => {
                subscription.dispose();
                resolve(event);
            });
        });
        await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [member.userId], at) })));
        expect(await Promise.all(closed)).to.deep.equal(['io server disconnect', 'io server disconnect', 'io server disconnect']);
        expect(await heardOnB).to.deep.include({ organizationId: org.organizationId, userIds: [member.userId], revokedBy: org.admin.userId });
        expect(await org.refusal(member, a.url)).to.equal('AUTH_USER_REVOKED');
        expect(await org.refusal(member, b.url)).to.equal('AUTH_USER_REVOKED');
        expect(bobOnB.connected).to.equal(true);
    });
});
