import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, Certificate, DEVICE_NAMESPACE, DeviceId, linkCertificates, LogHead, LogPosition, positionAfter, Reply, sendAtLogPosition, SignedCertificate,
    signCertificate, Unlinked, UserId, UserProfile, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { DatabaseConfig, loadServerConfig } from '../config';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { VouchServer } from '../server';
import { bootstrapCertificates, newUserCertificates, signedHandshake, TestBootstrap, TestDevice } from './organization-fixtures';
export { MARIADB_URL, REDIS_URL, TEST_DATABASES, TestDatabase, freshMariaDb } from './test-databases';

/**
 * Real servers and real Socket.IO clients for integration suites: a fresh database per run
 * (SQLite file or MariaDB database, dropped after), organizations bootstrapped over the wire,
 * devices that sign their handshake and their certificates.
 */



export async function startServer(database: DatabaseConfig, redisUrl?: string): Promise<{ server: VouchServer; url: string }> {
    const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database, publicUrl: 'http://127.0.0.1:1', ...(redisUrl ? { redisUrl } : {}) });
    const server = await VouchServer.start({ config });
    return { server, url: `http://127.0.0.1:${server.address}` };
}

/** Every socket a test opened; `closeAll` in afterEach. */
export class SocketPool {
    protected readonly sockets: Socket[] = [];

    open(url: string, namespace: string, auth?: object): Socket {
        const socket = io(`${url}${namespace}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth });
        this.sockets.push(socket);
        return socket;
    }

    closeAll(): void {
        this.sockets.splice(0).forEach(socket => socket.close());
    }
}

export function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(10_000).emitWithAck(event, payload);
}

export async function expectOk<T>(reply: Promise<Reply<T>>): Promise<T> {
    const got = await reply;
    if (!got.ok) {
        throw new Error(`expected ok, got ${JSON.stringify(got)}`);
    }
    return got.value;
}

export function errorCode(reply: Reply<unknown>): string {
    return reply.ok ? 'ok' : reply.error.code;
}

function connected(socket: Socket): Promise<void> {
    return new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', error => reject(Object.assign(new Error(error.message), { data: (error as Error & { data?: unknown }).data })));
    });
}

let timestamps = 0;
/** Strictly increasing and close to now: certificates must be dated after the organization's newest. */
export function nextTimestamp(): number {
    timestamps = Math.max(timestamps + 1, Date.now());
    return timestamps;
}

/** Where a device signs its next certificate: after the log's head, as the server reports it. */
export async function nextPosition(socket: Socket): Promise<LogPosition> {
    const head = await expectOk(request<LogHead>(socket, 'certificates.head', {}));
    return positionAfter({ digest: head.digest ?? null, timestamp: head.timestamp }, nextTimestamp());
}

/** An organization on a running server, with its Administrator's device connected. */
export class TestOrganization {
    protected constructor(
        readonly url: string,
        readonly pool: SocketPool,
        readonly organizationId: string,
        readonly boot: TestBootstrap
    ) { }

    static counter = 0;

    static async bootstrap(server: VouchServer, url: string, pool: SocketPool, adminLabel = 'Alice Admin', adminEmail = 'alice@example.com'): Promise<TestOrganization> {
        const organizationId = `Org${Date.now().toString(36)}${TestOrganization.counter++}`;
        const { bootstrapLink } = await server.createOrganization(organizationId);
        const token = new URL(bootstrapLink).searchParams.get('vouch-token')!;
        const boot = bootstrapCertificates(nextTimestamp(), adminEmail, adminLabel);
        const anonymous = pool.open(url, ANONYMOUS_NAMESPACE);
        await expectOk(request(anonymous, 'organization.bootstrap', { organizationId, token, rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates }));
        anonymous.close();
        return new TestOrganization(url, pool, organizationId, boot);
    }

    get admin(): TestDevice { return this.boot.admin; }

    /** Connects a device (on this server, or on `url` of another instance). */
    async connect(device: TestDevice, url = this.url): Promise<Socket> {
        const socket = this.pool.open(url, DEVICE_NAMESPACE, async (callback: (auth: object) => void) => {
            const anonymous = this.pool.open(url, ANONYMOUS_NAMESPACE);
            const challenge = await request<{ challenge: string }>(anonymous, 'auth.challenge', {});
            anonymous.close();
            callback(challenge.ok ? signedHandshake(this.organizationId, device, challenge.value.challenge) : {});
        });
        await connected(socket);
        return socket;
    }

    /** The code the server refuses this device's connection with, or 'connected'. */
    async refusal(device: TestDevice, url = this.url): Promise<string> {
        try {
            (await this.connect(device, url)).close();
            return 'connected';
        } catch (error) {
            return (error as { data?: { code?: string } }).data?.code ?? `no code: ${(error as Error).message}`;
        }
    }

    /** users.create signed by `author`'s device, sent on `socket`. */
    async createUser(socket: Socket, author: TestDevice, label: string, email: string, profile: UserProfile): Promise<TestDevice> {
        const { previous, timestamp } = await nextPosition(socket);
        const made = newUserCertificates(author.signingKey.secretKey, author.deviceId, { timestamp, previous, label, email, profile });
        await expectOk(request(socket, 'users.create', made.certificates));
        return made.device;
    }
}

/** Certificates of one operation, signed by `author` at `position`, each chained to the one before. */
function signBatch(author: TestDevice, position: LogPosition, contents: Unlinked<Certificate>[]): SignedCertificate[] {
    return linkCertificates<Certificate>(contents, position.previous).map(content => signCertificate(content, author.signingKey.secretKey, nodeEd25519));
}

export function signUserUpdates(author: TestDevice, changes: readonly { userId: UserId; profile: UserProfile }[], position: LogPosition): SignedCertificate[] {
    return signBatch(author, position, changes.map(change => ({
        kind: 'user_update', version: 1, author: author.deviceId as DeviceId, timestamp: position.timestamp, userId: change.userId, newProfile: change.profile
    })));
}

export function signRevocations(author: TestDevice, userIds: readonly UserId[], position: LogPosition): SignedCertificate[] {
    return signBatch(author, position, userIds.map(userId => ({ kind: 'revoked_user', version: 1, author: author.deviceId, timestamp: position.timestamp, userId })));
}

/** Signs at the log's head and sends; signs again after the head a refusal names, as clients do. */
export function sendSigned<T>(socket: Socket, event: string, payload: (position: LogPosition) => unknown, retries = 3): Promise<Reply<T>> {
    return nextPosition(socket).then(first => sendAtLogPosition(first, position => request<T>(socket, event, payload(position)), retries, nextTimestamp));
}

/** Resolves with the disconnect reason, or rejects after `ms`. */
export function disconnection(socket: Socket, ms = 5000): Promise<string> {
    if (socket.disconnected) {
        return Promise.resolve('already disconnected');
    }
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
        socket.once('disconnect', reason => {
            clearTimeout(timer);
            resolve(reason);
        });
    });
}
