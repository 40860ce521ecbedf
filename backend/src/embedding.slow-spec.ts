import * as http from 'http';
import { AddressInfo } from 'net';
import { expect } from 'chai';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { ANONYMOUS_NAMESPACE, VOUCH_SOCKET_PATH } from '@vouch/protocol';
import { loadServerConfig } from './config';
import { VouchServer } from './server';

/** Theia's backend runs its own Socket.IO on the same HTTP server and claims every namespace. */
describe('VouchServer embedded in an existing HTTP server', function () {
    this.timeout(20_000);

    it('serves its own path beside another Socket.IO server and leaves the HTTP server open on close', async () => {
        const httpServer = http.createServer();
        const theia = new Server(httpServer);
        theia.of(/.*/).on('connection', socket => socket.on('ping', (ack: (value: string) => void) => ack('theia')));
        await new Promise<void>(resolve => httpServer.listen(0, '127.0.0.1', resolve));
        const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
        const lines: string[] = [];
        const server = await VouchServer.start({
            config: loadServerConfig({}, { database: { kind: 'sqlite', path: ':memory:' }, publicUrl: url, initialOrganization: 'Embedded' }),
            httpServer,
            createInitialOrganization: true,
            logger: { info: message => lines.push(message), warn: message => lines.push(message), error: message => lines.push(message) }
        });
        try {
            expect(server.address).to.equal((httpServer.address() as AddressInfo).port);
            const [pending] = await server.pendingBootstraps();
            expect(pending.organizationId).to.equal('Embedded');
            expect(pending.bootstrapLink.startsWith(`${url}/?vouch-action=bootstrap&vouch-org=Embedded&vouch-token=`)).to.equal(true);
            expect(lines.some(line => line.includes(pending.bootstrapLink))).to.equal(true);

            for (const transports of [['websocket'], ['polling']]) {
                const vouch = io(`${url}${ANONYMOUS_NAMESPACE}`, { path: VOUCH_SOCKET_PATH, transports, forceNew: true, reconnection: false });
                const other = io(`${url}/services`, { transports, forceNew: true, reconnection: false });
                try {
                    expect(await vouch.timeout(5000).emitWithAck('organization.status', { organizationId: 'Embedded' }))
                        .to.deep.equal({ ok: true, value: { organizationId: 'Embedded', bootstrapped: false } });
                    expect(await other.timeout(5000).emitWithAck('ping')).to.equal('theia');
                } finally {
                    vouch.close();
                    other.close();
                }
            }

            const foreign = await fetch(`${url}${VOUCH_SOCKET_PATH}/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
            expect(foreign.status).to.equal(403);
        } finally {
            await server.close();
        }
        expect(httpServer.listening).to.equal(true);
        theia.close();
    });
});

describe('VouchServer start failures', function () {
    this.timeout(20_000);

    it('fails quickly and cleanly, naming Redis, when VOUCH_REDIS_URL is unreachable', async () => {
        const httpServer = http.createServer();
        await new Promise<void>(resolve => httpServer.listen(0, '127.0.0.1', resolve));
        const config = loadServerConfig({}, { database: { kind: 'sqlite', path: ':memory:' }, redisUrl: 'redis://127.0.0.1:1' });
        const error = await VouchServer.start({ config, httpServer }).then(() => undefined, (failure: Error) => failure);
        expect(error?.message).to.match(/Redis/);
        // Nothing was left attached: the HTTP server still answers as before.
        expect(httpServer.listeners('request')).to.have.length(0);
        await new Promise(resolve => httpServer.close(resolve));
    });
});
