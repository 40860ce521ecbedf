import * as http from 'http';
import { AddressInfo } from 'net';
import { expect } from 'chai';
import { io, Socket } from 'socket.io-client';
import { ANONYMOUS_NAMESPACE, DEVICE_NAMESPACE, VOUCH_SOCKET_PATH } from '@vouch/protocol';
import { loadServerConfig } from '../config';
import { VouchServer } from '../server';
import { DESKTOP_APP_ORIGIN } from './socket-server';

/** The desktop app's workbench is loaded from a file: Electron sends `Origin: file://`. */
describe('Connections from the desktop app (Origin file://)', function () {
    this.timeout(20_000);

    let httpServer: http.Server;
    let server: VouchServer;
    let url: string;
    const sockets: Socket[] = [];

    before(async () => {
        httpServer = http.createServer();
        await new Promise<void>(resolve => httpServer.listen(0, '127.0.0.1', resolve));
        url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
        server = await VouchServer.start({
            config: loadServerConfig({}, { database: { kind: 'sqlite', path: ':memory:' }, publicUrl: url, initialOrganization: 'Desk' }),
            httpServer,
            createInitialOrganization: true,
            logger: { info: () => undefined, warn: () => undefined, error: () => undefined }
        });
    });

    after(async () => {
        sockets.forEach(socket => socket.close());
        await server.close();
        await new Promise(resolve => httpServer.close(resolve));
    });

    function connect(namespace: string, origin: string | undefined, transport: 'websocket' | 'polling', auth?: object): Socket {
        const socket = io(`${url}${namespace}`, {
            path: VOUCH_SOCKET_PATH, transports: [transport], reconnection: false, forceNew: true, auth,
            extraHeaders: origin === undefined ? {} : { origin }
        });
        sockets.push(socket);
        return socket;
    }

    /** 'connected', or the refusal's code (the handshake's) or message (the transport's). */
    function outcome(socket: Socket): Promise<string> {
        return new Promise(resolve => {
            socket.once('connect', () => resolve('connected'));
            socket.once('connect_error', error => resolve((error as Error & { data?: { code?: string } }).data?.code ?? error.message));
        });
    }

    for (const transport of ['websocket', 'polling'] as const) {
        it(`serves the anonymous namespace to the desktop app over ${transport}`, async () => {
            const socket = connect(ANONYMOUS_NAMESPACE, DESKTOP_APP_ORIGIN, transport);
            expect(await socket.timeout(5000).emitWithAck('organization.status', { organizationId: 'Desk' }))
                .to.deep.equal({ ok: true, value: { organizationId: 'Desk', bootstrapped: false } });
        });
    }

    it('grants the desktop origin no authority: an unsigned device handshake is refused exactly as without an Origin', async () => {
        const fromDesktop = await outcome(connect(DEVICE_NAMESPACE, DESKTOP_APP_ORIGIN, 'websocket', { organizationId: 'Desk', deviceId: 'alice@laptop' }));
        const withoutOrigin = await outcome(connect(DEVICE_NAMESPACE, undefined, 'websocket', { organizationId: 'Desk', deviceId: 'alice@laptop' }));
        expect(fromDesktop).to.not.equal('connected');
        expect(fromDesktop).to.equal(withoutOrigin);
    });

    it('still refuses other origins, the opaque "null" one and look-alikes of the desktop origin', async () => {
        for (const origin of ['http://evil.example', 'null', 'file://evil.example', 'file:///home/user/page.html']) {
            const response = await fetch(`${url}${VOUCH_SOCKET_PATH}/?EIO=4&transport=polling`, { headers: { origin } });
            expect(response.status, origin).to.equal(403);
        }
        const desktop = await fetch(`${url}${VOUCH_SOCKET_PATH}/?EIO=4&transport=polling`, { headers: { origin: DESKTOP_APP_ORIGIN } });
        expect(desktop.status).to.equal(200);
    });
});
