import { expect } from 'chai';
import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, ApiErrorCode, CertificatesAddedEvent, CertificatesPage, CertificateTrustStore, decodeCertificate, DEVICE_NAMESPACE, fromBase64Url,
    generateSigningKeyPair, LogHead, LogPosition, MAX_MESSAGE_BYTES, NewUserCertificates, portableEd25519, positionAfter, replayCertificateLog, Reply, signCertificate, toBase64Url, UsersPage, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { loadServerConfig } from './config';
import { VouchServer } from './server';
import { ServerLogger } from './common/server-logger';
import { bootstrapCertificates, newUserCertificates, signedHandshake, TestBootstrap, TestDevice } from './testing/organization-fixtures';
import { freshMariaDb, freshSqliteFile, REDIS_URL, TestDatabase } from './testing/test-databases';
import { expectOk } from './testing/socket-harness';



class RecordingLogger implements ServerLogger {
    readonly lines: string[] = [];
    info(message: string): void { this.lines.push(`info ${message}`); }
    warn(message: string): void { this.lines.push(`warn ${message}`); }
    error(message: string, error?: unknown): void { this.lines.push(`error ${message} ${error instanceof Error ? error.stack : ''}`); }
}

interface Harness {
    readonly server: VouchServer;
    readonly url: string;
    readonly logger: RecordingLogger;
    /** Moves the server clock. */
    skewMs: number;
}

const sockets: Socket[] = [];

function connect(url: string, namespace: string, auth?: object): Socket {
    const socket = io(`${url}${namespace}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth });
    sockets.push(socket);
    return socket;
}

async function connected(socket: Socket): Promise<void> {
    await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', error => reject(Object.assign(new Error(error.message), { data: (error as Error & { data?: unknown }).data })));
    });
}

async function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(5000).emitWithAck(event, payload);
}

async function expectError(reply: Reply<unknown>, code: ApiErrorCode): Promise<void> {
    expect(reply.ok ? 'ok' : reply.error.code, JSON.stringify(reply).slice(0, 300)).to.equal(code);
}

async function connectDevice(h: Harness, organizationId: string, device: TestDevice): Promise<Socket> {
    const anonymous = connect(h.url, ANONYMOUS_NAMESPACE);
    const challenge = await request<{ challenge: string }>(anonymous, 'auth.challenge', {});
    anonymous.close();
    if (!challenge.ok) { throw new Error('no challenge'); }
    const socket = connect(h.url, DEVICE_NAMESPACE, signedHandshake(organizationId, device, challenge.value.challenge));
    await connected(socket);
    return socket;
}

async function refusal(h: Harness, auth: object): Promise<string> {
    const socket = connect(h.url, DEVICE_NAMESPACE, auth);
    try {
        await connected(socket);
        return 'connected';
    } catch (error) {
        return ((error as { data?: { code?: string } }).data?.code) ?? `no code: ${(error as Error).message}`;
    }
}

let organizationCounter = 0;

async function bootstrapOrganization(h: Harness): Promise<{ organizationId: string; boot: TestBootstrap; anonymous: Socket }> {
    const organizationId = `Org${Date.now().toString(36)}${organizationCounter++}`;
    const { bootstrapLink } = await h.server.createOrganization(organizationId);
    const token = new URL(bootstrapLink).searchParams.get('vouch-token')!;
    const boot = bootstrapCertificates(Date.now() + h.skewMs);
    const anonymous = connect(h.url, ANONYMOUS_NAMESPACE);
    const reply = await request(anonymous, 'organization.bootstrap', { organizationId, token, rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates });
    expect(reply).to.deep.equal({ ok: true, value: { userId: boot.admin.userId, deviceId: boot.admin.deviceId } });
    return { organizationId, boot, anonymous };
}

function expectChain(page: UsersPage, boot: TestBootstrap): void {
    const trust = new CertificateTrustStore(fromBase64Url(boot.rootVerifyKey)!, portableEd25519);
    expect(trust.addDeviceCertificates(page.authorDevices).ok).to.equal(true);
    for (const user of page.users) {
        const checked = trust.verifyUserCertificate(user.certificate);
        expect(checked.ok && checked.value.humanHandle).to.deep.equal(user.humanHandle);
    }
}

let userTimestamp = 0;
function nextTimestamp(h: Harness): number {
    userTimestamp = Math.max(userTimestamp + 1, Date.now() + h.skewMs);
    return userTimestamp;
}

/** After the log's head as the server reports it, dated by this harness's (possibly skewed) clock. */
async function nextPosition(h: Harness, socket: Socket): Promise<LogPosition> {
    const head = await request<LogHead>(socket, 'certificates.head', {});
    if (!head.ok) { throw new Error(JSON.stringify(head)); }
    return positionAfter({ digest: head.value.digest ?? null, timestamp: head.value.timestamp }, nextTimestamp(h));
}

async function createUser(h: Harness, admin: Socket, boot: TestBootstrap, label: string, email: string): Promise<TestDevice> {
    const made = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(h, admin), label, email, profile: 'MEMBER' });
    const reply = await request(admin, 'users.create', made.certificates);
    expect(reply.ok, JSON.stringify(reply)).to.equal(true);
    return made.device;
}

async function userCount(socket: Socket): Promise<number> {
    const page = await request<UsersPage>(socket, 'users.list', { limit: 200 });
    if (!page.ok) { throw new Error(JSON.stringify(page)); }
    return page.value.users.length;
}

async function status(anonymous: Socket, organizationId: string): Promise<unknown> {
    return request(anonymous, 'organization.status', { organizationId });
}

function serverSuite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`VouchServer over Socket.IO on ${kind}`, function () {
        this.timeout(30_000);
        const h = { skewMs: 0 } as Harness;
        let database: TestDatabase;

        before(async () => {
            database = await open();
            const logger = new RecordingLogger();
            const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:1' });
            const server = await VouchServer.start({ config, logger, clock: () => Date.now() + h.skewMs });
            Object.assign(h, { server, logger, url: `http://127.0.0.1:${server.address}` });
        });
        afterEach(() => {
            h.skewMs = 0;
            sockets.splice(0).forEach(socket => socket.close());
        });
        after(async () => {
            await h.server?.close();
            await database?.drop();
        });

        it('bootstraps, authenticates a device and lists its administrator with a chain to the root key', async () => {
            const { organizationId, boot, anonymous } = await bootstrapOrganization(h);
            expect(await status(anonymous, organizationId)).to.deep.equal({ ok: true, value: { organizationId, bootstrapped: true } });
            const device = await connectDevice(h, organizationId, boot.admin);
            const info = await request<{ serverTime: string }>(device, 'session.info', {});
            expect(info.ok && { ...info.value, serverTime: undefined }).to.deep.equal({
                organizationId, userId: boot.admin.userId, deviceId: boot.admin.deviceId, profile: 'ADMINISTRATOR',
                humanHandle: { email: 'alice@example.com', label: 'Alice Admin' }, serverTime: undefined
            });
            const page = await request<UsersPage>(device, 'users.list', {});
            if (!page.ok) { throw new Error(JSON.stringify(page)); }
            expect(page.value.users.map(user => user.humanHandle)).to.deep.equal([{ email: 'alice@example.com', label: 'Alice Admin' }]);
            expect(page.value).not.to.have.property('nextOffset');
            expectChain(page.value, boot);
        });

        it('searches and pages, and pushes certificates.added to the other devices of the organization', async () => {
            const { organizationId, boot } = await bootstrapOrganization(h);
            const admin = await connectDevice(h, organizationId, boot.admin);
            const bob = await createUser(h, admin, boot, 'Bob Stone', 'bob@example.com');
            const bobSocket = await connectDevice(h, organizationId, bob);
            const received = new Promise<CertificatesAddedEvent>(resolve => bobSocket.once('certificates.added', resolve));
            for (let i = 0; i < 11; i++) {
                await createUser(h, admin, boot, `Member ${String(i).padStart(2, '0')}`, `m${i}@example.org`);
            }
            const head = await expectOk(request<LogHead>(bobSocket, 'certificates.head', {}));
            expect(await received).to.deep.include({ topic: 'common', index: 6, kinds: ['user', 'device'] });
            expect(head.index).to.equal(26);

            const search = await request<UsersPage>(bobSocket, 'users.list', { query: 'STONE' });
            expect(search.ok && search.value.users.map(user => user.humanHandle?.label)).to.deep.equal(['Bob Stone']);
            const labels: string[] = [];
            let offset: number | undefined = 0;
            while (offset !== undefined) {
                const page: Reply<UsersPage> = await request<UsersPage>(bobSocket, 'users.list', { query: 'example.org', offset, limit: 5 });
                if (!page.ok) { throw new Error(JSON.stringify(page)); }
                expectChain(page.value, boot);
                labels.push(...page.value.users.map(user => user.humanHandle!.label));
                offset = page.value.nextOffset;
            }
            expect(labels).to.deep.equal(Array.from({ length: 11 }, (_, i) => `Member ${String(i).padStart(2, '0')}`));
        });

        it('keeps the certificate log consistent under concurrent users.create', async () => {
            const { organizationId, boot } = await bootstrapOrganization(h);
            const sockets = await Promise.all([0, 1, 2].map(() => connectDevice(h, organizationId, boot.admin)));
            // Nine writers sign at the same head: one lands, the others are told where the log went.
            const at = await nextPosition(h, sockets[0]);
            const replies = await Promise.all(Array.from({ length: 9 }, (_, i) => {
                const made = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...at, email: `c${i}@example.com` });
                return request(sockets[i % 3], 'users.create', made.certificates);
            }));
            const codes = replies.map(reply => reply.ok ? 'ok' : reply.error.code);
            expect(codes.filter(code => code === 'ok'), codes.join()).to.have.length(1);
            expect(codes.filter(code => code !== 'ok' && code !== 'CERTIFICATE_LOG_HEAD_MOVED'), codes.join()).to.deep.equal([]);
            const moved = replies.find(reply => !reply.ok);
            expect(moved && !moved.ok && moved.error.details?.headDigest).to.equal((await expectOk(request<LogHead>(sockets[0], 'certificates.head', {}))).digest);
            expect(await userCount(sockets[0])).to.equal(2);
            const sameEmail = await Promise.all([0, 1].map(async () => newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(h, sockets[0]), email: 'twin@example.com' })));
            const twins = await Promise.all(sameEmail.map((made, i) => request(sockets[i], 'users.create', made.certificates)));
            expect(twins.filter(reply => reply.ok).length).to.be.at.most(1);
            // What landed is one chain the rules accept, from the root key.
            const log = await expectOk(request<CertificatesPage>(sockets[0], 'certificates.list', {}));
            expect(log.certificates.map(entry => entry.index)).to.deep.equal(log.certificates.map((_, i) => i + 1));
            expect(replayCertificateLog(log.certificates, fromBase64Url(boot.rootVerifyKey)!, portableEd25519).ok).to.equal(true);
        });

        it('answers malformed, oversized, unknown and ack-less requests with typed errors, stores nothing and keeps serving', async () => {
            const { organizationId, boot, anonymous } = await bootstrapOrganization(h);
            const admin = await connectDevice(h, organizationId, boot.admin);
            const valid = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(h, admin) }).certificates;

            await expectError(await request(admin, 'users.list', { limit: 'ten' }), 'BAD_PAYLOAD');
            await expectError(await request(admin, 'users.list', { sneaky: true }), 'BAD_PAYLOAD');
            await expectError(await request(admin, 'users.create', { ...valid, extra: 1 }), 'BAD_PAYLOAD');
            await expectError(await request(admin, 'users.create', { ...valid, user: 'x'.repeat(100_000) }), 'BAD_PAYLOAD');
            const oversized = await request(anonymous, 'organization.bootstrap', { organizationId, token: 'x'.repeat(100_000), rootVerifyKey: boot.rootVerifyKey, certificates: valid });
            await expectError(oversized, 'BAD_PAYLOAD');
            expect(!oversized.ok && oversized.error.message).to.match(/^token:/);
            await expectError(await request(admin, 'no.such.event', {}), 'BAD_PAYLOAD');
            admin.emit('users.create', valid);
            await expectError(await request(admin, 'session.info', []), 'BAD_PAYLOAD');
            expect(await userCount(admin)).to.equal(1);

            const closed = new Promise<string>(resolve => admin.once('disconnect', resolve));
            admin.emit('users.list', { query: 'x'.repeat(MAX_MESSAGE_BYTES + 10) });
            expect(await closed).to.be.a('string');
            const other = await connectDevice(h, organizationId, boot.admin);
            expect(await userCount(other)).to.equal(1);
            expect(h.logger.lines.filter(line => line.startsWith('error'))).to.deep.equal([]);
        });

        it('holds an anonymous connection to a request rate: past the burst each request gets RATE_LIMITED with the wait, others are served, the rate refills', async () => {
            const { organizationId } = await bootstrapOrganization(h);
            const flooder = connect(h.url, ANONYMOUS_NAMESPACE);
            const replies = await Promise.all(Array.from({ length: 60 }, () => status(flooder, organizationId) as Promise<Reply<unknown>>));
            const codes = replies.map(reply => reply.ok ? 'ok' : reply.error.code);
            expect(codes.filter(code => code === 'ok').length).to.be.within(40, 41);
            expect(codes.filter(code => code === 'RATE_LIMITED').length).to.equal(60 - codes.filter(code => code === 'ok').length);
            const refused = replies.find(reply => !reply.ok);
            expect(!refused!.ok && refused!.error.message).to.match(/Too many requests on this connection .*wait \d+ ms/);
            expect(!refused!.ok && refused!.error.details?.retryAfterMs).to.be.a('number');
            // Another connection is not held back by this one's flood.
            expect(await status(connect(h.url, ANONYMOUS_NAMESPACE), organizationId)).to.deep.include({ ok: true });
            await new Promise(resolve => setTimeout(resolve, 250));
            expect(await status(flooder, organizationId)).to.deep.include({ ok: true });
            expect(h.logger.lines.filter(line => line.startsWith('error'))).to.deep.equal([]);
        });

        it('refuses handshakes with a bad signature, an unknown device, a stale or replayed challenge', async () => {
            const { organizationId, boot, anonymous } = await bootstrapOrganization(h);
            const challenge = async () => {
                const reply = await request<{ challenge: string }>(anonymous, 'auth.challenge', {});
                return reply.ok ? reply.value.challenge : '';
            };
            const stranger = newUserCertificates(boot.rootKey.secretKey, null, { timestamp: Date.now(), previous: null }).device;
            expect(await refusal(h, { ...signedHandshake(organizationId, stranger, await challenge()), deviceId: boot.admin.deviceId })).to.equal('AUTH_BAD_SIGNATURE');
            expect(await refusal(h, signedHandshake(organizationId, stranger, await challenge()))).to.equal('AUTH_UNKNOWN_DEVICE');
            expect(await refusal(h, signedHandshake('NoSuchOrg', boot.admin, await challenge()))).to.equal('AUTH_ORGANIZATION_NOT_FOUND');
            expect(await refusal(h, { organizationId })).to.equal('AUTH_BAD_PAYLOAD');
            const stale = await challenge();
            h.skewMs = 61_000;
            expect(await refusal(h, signedHandshake(organizationId, boot.admin, stale))).to.equal('AUTH_CHALLENGE_EXPIRED');
            h.skewMs = 0;
            const once = signedHandshake(organizationId, boot.admin, await challenge());
            expect(await refusal(h, once)).to.equal('connected');
            expect(await refusal(h, once)).to.equal('AUTH_CHALLENGE_REPLAYED');
        });

        it('refuses a wrong token, forged certificates and a second bootstrap, storing nothing', async () => {
            const organizationId = `Forge${Date.now().toString(36)}${organizationCounter++}`;
            const token = new URL((await h.server.createOrganization(organizationId)).bootstrapLink).searchParams.get('vouch-token')!;
            const anonymous = connect(h.url, ANONYMOUS_NAMESPACE);
            const boot = bootstrapCertificates(Date.now());
            const bootstrap = (certificates: NewUserCertificates, overrides: object = {}) =>
                request(anonymous, 'organization.bootstrap', { organizationId, token, rootVerifyKey: boot.rootVerifyKey, certificates, ...overrides });
            const tamper = (signed: string) => {
                const bytes = fromBase64Url(signed)!;
                bytes[70] ^= 1;
                return toBase64Url(bytes);
            };
            const decodedUser = decodeCertificate(boot.certificates.user);
            if (!decodedUser.ok || decodedUser.value.content.kind !== 'user') { throw new Error('fixture'); }
            const cases: [Promise<Reply<unknown>>, ApiErrorCode][] = [
                [bootstrap(boot.certificates, { token: 'wrong-token' }), 'BOOTSTRAP_TOKEN_INVALID'],
                [bootstrap(boot.certificates, { rootVerifyKey: toBase64Url(generateSigningKeyPair().verifyKey) }), 'CERTIFICATE_BAD_SIGNATURE'],
                [bootstrap(newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: Date.now(), previous: null }).certificates), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
                [bootstrap(bootstrapCertificates(Date.now() + 3_600_000).certificates, {}), 'CERTIFICATE_BAD_SIGNATURE'],
                [bootstrap(newUserCertificates(boot.rootKey.secretKey, null, { timestamp: Date.now() + 3_600_000, previous: null }).certificates), 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK'],
                [bootstrap({ ...boot.certificates, device: tamper(boot.certificates.device) }), 'CERTIFICATE_MALFORMED'],
                [bootstrap({ ...boot.certificates, redactedUser: signCertificate({ ...decodedUser.value.content, humanHandle: null, profile: 'MEMBER' }, boot.rootKey.secretKey, portableEd25519) }), 'CERTIFICATE_INCONSISTENT'],
                [bootstrap({ ...boot.certificates, redactedUser: boot.certificates.user }), 'CERTIFICATE_INCONSISTENT']
            ];
            for (const [reply, code] of cases) {
                await expectError(await reply, code);
            }
            expect(await status(anonymous, organizationId)).to.deep.equal({ ok: true, value: { organizationId, bootstrapped: false } });
            expect((await h.server.pendingBootstraps()).map(pending => pending.organizationId)).to.include(organizationId);

            expect((await bootstrap(boot.certificates)).ok).to.equal(true);
            await expectError(await bootstrap(bootstrapCertificates(Date.now()).certificates), 'ORGANIZATION_ALREADY_BOOTSTRAPPED');
            const admin = await connectDevice(h, organizationId, boot.admin);
            expect(await userCount(admin)).to.equal(1);
            await expectError(await request(anonymous, 'organization.status', { organizationId: 'NoSuchOrg' }), 'ORGANIZATION_NOT_FOUND');
        });
    });
}

serverSuite('SQLite', freshSqliteFile);
serverSuite('MariaDB', freshMariaDb);

describe('Two VouchServer instances sharing MariaDB and Redis', function () {
    this.timeout(30_000);
    let database: TestDatabase;
    const servers: VouchServer[] = [];

    before(async () => {
        database = await freshMariaDb();
        for (let i = 0; i < 2; i++) {
            const config = loadServerConfig({}, { port: 0, database: database.config, redisUrl: REDIS_URL, publicUrl: 'http://127.0.0.1:1' });
            servers.push(await VouchServer.start({ config }));
        }
    });
    after(async () => {
        sockets.splice(0).forEach(socket => socket.close());
        await Promise.all(servers.map(server => server.close()));
        await database?.drop();
    });

    it('delivers certificates.added to a device on instance B for a change made through instance A', async () => {
        const [a, b] = servers.map((server): Harness => ({ server, url: `http://127.0.0.1:${server.address}`, logger: new RecordingLogger(), skewMs: 0 }));
        const { organizationId, boot } = await bootstrapOrganization(a);
        const onA = await connectDevice(a, organizationId, boot.admin);
        const onB = await connectDevice(b, organizationId, boot.admin);
        const received = new Promise<CertificatesAddedEvent>(resolve => onB.once('certificates.added', resolve));
        await createUser(a, onA, boot, 'Bob', 'bob@example.com');
        const head = await expectOk(request<LogHead>(onB, 'certificates.head', {}));
        expect(await received).to.deep.equal({ topic: 'common', index: 4, digest: head.digest, timestamp: head.timestamp, kinds: ['user', 'device'] });
        expect(await userCount(onB)).to.equal(2);
    });
});
