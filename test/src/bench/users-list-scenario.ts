import { Manager, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, CertificateTrustStore, DEVICE_NAMESPACE, DeviceSchemas, fromBase64Url, Reply, RequestOf, UsersPage, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { nodeEd25519 } from '@vouch/server';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { fastSignedHandshake } from './signing-keys';
import { LatencySummary, nowMs, summarize } from './stats';
import { SearchTarget } from './seed';

const REQUEST_TIMEOUT_MS = 10_000;
const PAGE = 50;

type UsersListRequest = RequestOf<DeviceSchemas, 'users.list'>;

export interface ListBounds {
    readonly maxRequests: number;
    readonly maxMs: number;
    readonly warmup: number;
}

export interface ListCase {
    readonly name: string;
    /** A new request each time (random offset or term), so no single row stays hot. */
    request(): UsersListRequest;
    /** At least this many rows expected on every page: a search that finds nothing measures nothing. */
    readonly minRows: number;
}

export interface ListResult {
    readonly name: string;
    readonly latency: LatencySummary;
    readonly rowsPerPage: number;
    readonly stoppedBy: 'count' | 'time';
}

export function listCases(totalUsers: number, targets: readonly SearchTarget[]): ListCase[] {
    const pick = () => targets[Math.floor(Math.random() * targets.length)];
    return [
        { name: 'first page', minRows: PAGE, request: () => ({ query: '', offset: 0, limit: PAGE }) },
        { name: 'random deep page', minRows: PAGE, request: () => ({ query: '', offset: Math.floor(Math.random() * (totalUsers - PAGE)), limit: PAGE }) },
        { name: 'search name (few rows)', minRows: 1, request: () => ({ query: pick().lastName, offset: 0, limit: PAGE }) },
        { name: 'search email (1 row)', minRows: 1, request: () => ({ query: pick().emailPart, offset: 0, limit: PAGE }) }
    ];
}

/** An authenticated device connection that stays open for a series of requests. */
export async function openDeviceSocket(url: string, organizationId: string, device: TestDevice): Promise<{ socket: Socket; close(): void }> {
    const manager = new Manager(url, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false });
    const anonymous = manager.socket(ANONYMOUS_NAMESPACE);
    const reply: Reply<{ challenge: string }> = await anonymous.timeout(REQUEST_TIMEOUT_MS).emitWithAck('auth.challenge', {});
    anonymous.disconnect();
    if (!reply.ok) {
        throw new Error(`auth.challenge: ${reply.error.code}`);
    }
    const socket = manager.socket(DEVICE_NAMESPACE, { auth: fastSignedHandshake(organizationId, device, reply.value.challenge) });
    await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', error => reject(error));
    });
    return { socket, close: () => { socket.disconnect(); manager.engine?.close(); } };
}

/**
 * Checks one page the way a client does (every row chained to the organization's root key),
 * so the figures are of real, verifiable certificates.
 */
export async function verifyFirstPage(socket: Socket, rootVerifyKey: string): Promise<number> {
    const reply: Reply<UsersPage> = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('users.list', { query: '', offset: 0, limit: PAGE });
    if (!reply.ok) {
        throw new Error(`users.list: ${reply.error.code}`);
    }
    const trust = new CertificateTrustStore(fromBase64Url(rootVerifyKey)!, nodeEd25519);
    const added = trust.addDeviceCertificates(reply.value.authorDevices);
    if (!added.ok) {
        throw new Error(`author chain refused: ${added.error.code}`);
    }
    for (const user of reply.value.users) {
        const checked = trust.verifyUserCertificate(user.certificate);
        if (!checked.ok) {
            throw new Error(`user certificate refused: ${checked.error.code} ${checked.error.message}`);
        }
    }
    return reply.value.users.length;
}

/** Sequential requests (one in flight): latency as one user's workbench sees it, not throughput. */
export async function runListCase(socket: Socket, testCase: ListCase, bounds: ListBounds): Promise<ListResult> {
    const once = async (): Promise<{ ms: number; rows: number }> => {
        const request = testCase.request();
        const start = nowMs();
        const reply: Reply<UsersPage> = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('users.list', request);
        const ms = nowMs() - start;
        if (!reply.ok) {
            throw new Error(`users.list ${JSON.stringify(request)}: ${reply.error.code} ${reply.error.message}`);
        }
        if (reply.value.users.length < testCase.minRows) {
            throw new Error(`users.list ${JSON.stringify(request)} returned ${reply.value.users.length} rows, expected at least ${testCase.minRows}`);
        }
        return { ms, rows: reply.value.users.length };
    };
    for (let i = 0; i < bounds.warmup; i++) {
        await once();
    }
    const latencies: number[] = [];
    let rows = 0;
    const deadline = nowMs() + bounds.maxMs;
    while (latencies.length < bounds.maxRequests && nowMs() < deadline) {
        const sample = await once();
        latencies.push(sample.ms);
        rows += sample.rows;
    }
    return {
        name: testCase.name, latency: summarize(latencies), rowsPerPage: rows / latencies.length,
        stoppedBy: latencies.length >= bounds.maxRequests ? 'count' : 'time'
    };
}

/** The floor under every users.list figure: an ack round trip on the same socket that touches no database. */
export async function runRoundTripFloor(socket: Socket, bounds: ListBounds): Promise<LatencySummary> {
    const latencies: number[] = [];
    const deadline = nowMs() + bounds.maxMs;
    for (let i = 0; i < bounds.warmup + bounds.maxRequests && nowMs() < deadline; i++) {
        const start = nowMs();
        const reply: Reply<unknown> = await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck('session.info', {});
        if (!reply.ok) {
            throw new Error(`session.info: ${reply.error.code}`);
        }
        if (i >= bounds.warmup) {
            latencies.push(nowMs() - start);
        }
    }
    return summarize(latencies);
}
