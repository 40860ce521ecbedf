import { Manager, Socket } from 'socket.io-client';
import { ANONYMOUS_NAMESPACE, DEVICE_NAMESPACE, Reply, VOUCH_SOCKET_PATH } from '@vouch/protocol';
import { TestDevice } from '@vouch/server/lib/testing/organization-fixtures';
import { fastSignedHandshake } from './signing-keys';
import { ServerProcess } from './server-process';
import { LatencySummary, nowMs, ratePerSecond, summarize } from './stats';

const CONNECT_TIMEOUT_MS = 10_000;

export interface ConnectBounds {
    readonly concurrency: number;
    readonly maxConnects: number;
    readonly maxMs: number;
    /** Connects before the measured ones (JIT, pools, caches), with the same bounds logic. */
    readonly warmup: number;
}

export interface ConnectResult {
    readonly connects: number;
    readonly failures: number;
    readonly firstFailure?: string;
    readonly elapsedMs: number;
    readonly perSecond: number;
    readonly latency: LatencySummary;
    /** Which bound ended the run. */
    readonly stoppedBy: 'count' | 'time';
    /** CPU time per successful connect, server process and this (client) process. */
    readonly serverCpuMs: number;
    readonly clientCpuMs: number;
}

/**
 * One authenticated connect as a client makes it: a new engine connection (one Manager, as
 * the workbench uses), a challenge from /anonymous, the device's signature, /device
 * `connect`; then both namespaces disconnect, which closes the engine connection.
 * Resolves with the time to `connect` in ms.
 */
export async function connectOnce(url: string, organizationId: string, device: TestDevice): Promise<number> {
    const start = nowMs();
    const manager = new Manager(url, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, timeout: CONNECT_TIMEOUT_MS });
    const sockets: Socket[] = [];
    try {
        const anonymous = manager.socket(ANONYMOUS_NAMESPACE);
        sockets.push(anonymous);
        const reply: Reply<{ challenge: string }> = await anonymous.timeout(CONNECT_TIMEOUT_MS).emitWithAck('auth.challenge', {});
        if (!reply.ok) {
            throw new Error(`auth.challenge: ${reply.error.code}`);
        }
        const socket = manager.socket(DEVICE_NAMESPACE, { auth: fastSignedHandshake(organizationId, device, reply.value.challenge) });
        sockets.push(socket);
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no connect within 10 s')), CONNECT_TIMEOUT_MS);
            socket.once('connect', () => { clearTimeout(timer); resolve(); });
            socket.once('connect_error', error => {
                clearTimeout(timer);
                const code = (error as Error & { data?: { code?: string } }).data?.code;
                reject(new Error(code ? `refused: ${code}` : error.message));
            });
        });
        return nowMs() - start;
    } finally {
        sockets.forEach(socket => socket.disconnect());
        manager.engine?.close();
    }
}

/** Runs connects with at most `concurrency` in flight until `maxConnects` are done or `maxMs` passed. */
export async function runConnects(server: ServerProcess, organizationId: string, devices: readonly TestDevice[], bounds: ConnectBounds): Promise<ConnectResult> {
    await drive(server.url, organizationId, devices, { ...bounds, maxConnects: bounds.warmup });
    const serverBefore = await server.cpuMs();
    const clientBefore = process.cpuUsage();
    const result = await drive(server.url, organizationId, devices, bounds);
    const client = process.cpuUsage(clientBefore);
    const serverMs = await server.cpuMs() - serverBefore;
    return { ...result, serverCpuMs: serverMs / result.connects, clientCpuMs: (client.user + client.system) / 1000 / result.connects };
}

async function drive(url: string, organizationId: string, devices: readonly TestDevice[], bounds: ConnectBounds): Promise<Omit<ConnectResult, 'serverCpuMs' | 'clientCpuMs'>> {
    const latencies: number[] = [];
    let started = 0;
    let failures = 0;
    let firstFailure: string | undefined;
    const start = nowMs();
    const deadline = start + bounds.maxMs;
    const worker = async () => {
        while (started < bounds.maxConnects && nowMs() < deadline) {
            const device = devices[started++ % devices.length];
            try {
                latencies.push(await connectOnce(url, organizationId, device));
            } catch (error) {
                failures++;
                firstFailure ??= error instanceof Error ? error.message : String(error);
            }
        }
    };
    await Promise.all(Array.from({ length: bounds.concurrency }, worker));
    const elapsedMs = nowMs() - start;
    return {
        connects: latencies.length, failures, firstFailure, elapsedMs,
        perSecond: ratePerSecond(latencies.length, elapsedMs),
        latency: summarize(latencies),
        stoppedBy: started >= bounds.maxConnects ? 'count' : 'time'
    };
}
