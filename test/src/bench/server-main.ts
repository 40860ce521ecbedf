/**
 * Child-process entry: one server instance with its own event loop, so the benchmark client
 * never competes with it inside one process. Started by server-process.ts; reports its port
 * over IPC and exits when told to, or when its parent goes away.
 */
import * as http from 'http';
import { randomBytes } from 'crypto';
import { Server } from 'socket.io';
import { ANONYMOUS_NAMESPACE, DEVICE_NAMESPACE, VOUCH_SOCKET_PATH } from '@vouch/protocol';
import { DatabaseConfig, loadServerConfig, ServerLogger, VouchServer } from '@vouch/server';

export type ServerMode =
    | { readonly kind: 'vouch'; readonly database: DatabaseConfig }
    /** Socket.IO alone, same path and namespaces, no database and no signature check: the ceiling. */
    | { readonly kind: 'bare' };

export type ServerMessage = { readonly ready: number } | { readonly failed: string } | { readonly cpu: NodeJS.CpuUsage };

const stderrLogger: ServerLogger = {
    info: () => undefined,
    warn: message => process.stderr.write(`[server] warn ${message}\n`),
    error: (message, error) => process.stderr.write(`[server] error ${message} ${error instanceof Error ? error.stack : String(error ?? '')}\n`)
};

async function startBare(): Promise<{ port: number; close(): Promise<void> }> {
    const httpServer = http.createServer();
    const io = new Server(httpServer, { path: VOUCH_SOCKET_PATH, serveClient: false });
    io.of(ANONYMOUS_NAMESPACE).on('connection', socket => {
        socket.on('auth.challenge', (_payload: unknown, ack: (reply: unknown) => void) => ack({ ok: true, value: { challenge: randomBytes(56).toString('base64url') } }));
    });
    io.of(DEVICE_NAMESPACE).use((_socket, next) => next());
    // Block transfers with nothing behind them (the workspaces benchmark's socket-only limit):
    // a put is acknowledged with its size, a get answers with as many bytes as it asks for.
    io.of(DEVICE_NAMESPACE).on('connection', socket => {
        socket.on('workspaces.putBlock', (payload: { data: Uint8Array }, ack: (reply: unknown) => void) => ack({ ok: true, value: { size: payload.data.length } }));
        socket.on('workspaces.putBlocks', (payload: { blocks: unknown[] }, ack: (reply: unknown) => void) => ack({ ok: true, value: { count: payload.blocks.length } }));
        socket.on('workspaces.getBlock', (payload: { size: number }, ack: (reply: unknown) => void) => ack({ ok: true, value: { data: Buffer.alloc(payload.size) } }));
    });
    await new Promise<void>(resolve => httpServer.listen(0, '127.0.0.1', resolve));
    return {
        port: (httpServer.address() as { port: number }).port,
        close: async () => {
            io.disconnectSockets(true);
            await new Promise(resolve => io.close(resolve));
        }
    };
}

async function startVouch(database: DatabaseConfig): Promise<{ port: number; close(): Promise<void> }> {
    const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database, publicUrl: 'http://127.0.0.1:1' });
    const server = await VouchServer.start({ config, logger: stderrLogger });
    return { port: server.address!, close: () => server.close() };
}

async function main(): Promise<void> {
    const mode = JSON.parse(process.argv[2]) as ServerMode;
    const server = mode.kind === 'bare' ? await startBare() : await startVouch(mode.database);
    const stop = async () => {
        await server.close().catch(() => undefined);
        // process.exit, not a natural end: --cpu-prof writes its profile here.
        process.exit(0);
    };
    process.on('message', message => {
        if (message === 'stop') {
            void stop();
        } else if (message === 'cpu') {
            process.send!({ cpu: process.cpuUsage() } satisfies ServerMessage);
        }
    });
    process.on('disconnect', () => void stop());
    process.on('SIGTERM', () => void stop());
    process.send!({ ready: server.port } satisfies ServerMessage);
}

main().catch(error => {
    process.send?.({ failed: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies ServerMessage);
    process.exit(1);
});
