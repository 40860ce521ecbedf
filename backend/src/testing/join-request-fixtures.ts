import { expect } from 'chai';
import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, ApiErrorCode, CertificateTrustStore, DEVICE_NAMESPACE, fromBase64Url, generateKeyExchangePair, generateSigningKeyPair, joinClaimHash,
    JoinRequestPayload, JoinRequestsPage, JoinRequestStatus, KeyExchangePair, PendingJoinRequest, portableEd25519, randomBytes, Reply, SigningKeyPair,
    signCertificate, signJoinAcceptance, toBase64Url, UserProfile, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { VouchServer } from '../server';
export { freshMariaDb, freshSqliteFile, TEST_DATABASES, TestDatabase } from './test-databases';
import { bootstrapCertificates, signedHandshake, TestBootstrap, TestDevice } from './organization-fixtures';
import { nextPosition, nextTimestamp, sendSigned } from './socket-harness';
export { nextPosition, nextTimestamp };


/** Sockets opened by a suite, closed after each test. */
export class SocketPool {
    readonly sockets: Socket[] = [];
    constructor(readonly url: () => string) { }

    open(namespace: string, auth?: object): Socket {
        const socket = io(`${this.url()}${namespace}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth });
        this.sockets.push(socket);
        return socket;
    }

    async anonymous(): Promise<Socket> {
        const socket = this.open(ANONYMOUS_NAMESPACE);
        await connected(socket);
        return socket;
    }

    async device(organizationId: string, device: TestDevice): Promise<Socket> {
        const anonymous = await this.anonymous();
        const challenge = await request<{ challenge: string }>(anonymous, 'auth.challenge', {});
        anonymous.close();
        if (!challenge.ok) {
            throw new Error('no challenge');
        }
        const socket = this.open(DEVICE_NAMESPACE, signedHandshake(organizationId, device, challenge.value.challenge));
        await connected(socket);
        return socket;
    }

    closeAll(): void {
        this.sockets.splice(0).forEach(socket => socket.close());
    }
}

export async function connected(socket: Socket): Promise<void> {
    await new Promise<void>((resolve, reject) => {
        if (socket.connected) {
            resolve();
            return;
        }
        socket.once('connect', () => resolve());
        socket.once('connect_error', error => reject(Object.assign(new Error(error.message), { data: (error as Error & { data?: unknown }).data })));
    });
}

export async function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(10_000).emitWithAck(event, payload);
}

/** What a requester's client makes before asking to join: its keys and the secret that follows the request. */
export interface TestRequester {
    readonly payload: JoinRequestPayload;
    readonly claimSecret: string;
    readonly userKeys: KeyExchangePair;
    readonly deviceKey: SigningKeyPair;
}

export function makeRequester(organizationId: string, email: string, options: { name?: string; deviceLabel?: string; replace?: boolean; timestamp?: number } = {}): TestRequester {
    const claim = randomBytes(32);
    const userKeys = generateKeyExchangePair();
    const deviceKey = generateSigningKeyPair(nodeEd25519);
    return {
        payload: {
            version: 1, organizationId, email, name: options.name ?? `Requester ${email.split('@')[0]}`, deviceLabel: options.deviceLabel ?? 'Laptop',
            userPublicKey: toBase64Url(userKeys.publicKey), deviceVerifyKey: toBase64Url(deviceKey.verifyKey),
            claimHash: joinClaimHash(claim), replace: options.replace ?? false, timestamp: options.timestamp ?? Date.now()
        },
        claimSecret: toBase64Url(claim), userKeys, deviceKey
    };
}

export function code(reply: Reply<unknown>): string {
    return reply.ok ? 'ok' : reply.error.code;
}

export function expectCode(reply: Reply<unknown>, expected: ApiErrorCode | 'ok'): void {
    expect(code(reply), JSON.stringify(reply).slice(0, 400)).to.equal(expected);
}

export function value<T>(reply: Reply<T>): T {
    if (!reply.ok) {
        throw new Error(JSON.stringify(reply.error));
    }
    return reply.value;
}

export interface JoinTestOrganization {
    readonly organizationId: string;
    readonly boot: TestBootstrap;
}

export async function bootstrapOrganization(server: VouchServer, pool: SocketPool): Promise<JoinTestOrganization> {
    const organizationId = `Join${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
    const { bootstrapLink } = await server.createOrganization(organizationId);
    const token = new URL(bootstrapLink).searchParams.get('vouch-token')!;
    const boot = bootstrapCertificates(nextTimestamp());
    const anonymous = await pool.anonymous();
    expectCode(await request(anonymous, 'organization.bootstrap', { organizationId, token, rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates }), 'ok');
    return { organizationId, boot };
}

/** What the accepting admin's client does: sign the user and device for the submitted keys. */
export async function acceptRequest(admin: Socket, adminDevice: TestDevice, pending: PendingJoinRequest, profile: UserProfile = 'MEMBER', name?: string,
    timestamp?: number): Promise<Reply<{ userId: string; deviceId: string }>> {
    // As the admin's client does: signed after the log's head, again after a writer that came first.
    return sendSigned(admin, 'joinRequests.accept', position => ({
        requestId: pending.requestId, profile,
        certificates: signJoinAcceptance({
            payload: pending.payload, email: pending.identity.email, name: name ?? pending.payload.name, profile,
            author: adminDevice.deviceId, position: { ...position, timestamp: timestamp ?? position.timestamp }
        }, content => signCertificate(content, adminDevice.signingKey.secretKey, nodeEd25519))
    }));
}

export async function pendingOf(admin: Socket, email: string): Promise<PendingJoinRequest> {
    const page = value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {}));
    const found = page.requests.find(candidate => candidate.payload.email === email);
    if (!found) {
        throw new Error(`no pending request for ${email}: ${JSON.stringify(page.requests.map(r => r.payload.email))}`);
    }
    return found;
}

/** The requester's client once accepted: re-checks its certificates from the root key in the link, then connects as its new device. */
export async function finalize(pool: SocketPool, organizationId: string, rootVerifyKey: string, requester: TestRequester, status: JoinRequestStatus): Promise<Socket> {
    const accepted = status.accepted!;
    const trust = new CertificateTrustStore(fromBase64Url(rootVerifyKey)!, portableEd25519);
    expect(trust.addDeviceCertificates(accepted.authorDevices).ok).to.equal(true);
    const user = trust.verifyUserCertificate(accepted.user);
    expect(user.ok, JSON.stringify(user)).to.equal(true);
    return pool.device(organizationId, {
        userId: accepted.userId, deviceId: accepted.deviceId, signingKey: requester.deviceKey, email: requester.payload.email, label: requester.payload.name
    });
}
