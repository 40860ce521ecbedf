import { expect } from 'chai';
import { Socket } from 'socket.io';
import { z } from 'zod';
import { Reply } from '@vouch/protocol';
import { ServerLogger } from '../common/server-logger';
import { serveRequests } from './request-handler';

/** Just enough of a Socket.IO socket to drive the wrapper: listeners by event, and onAny. */
class FakeSocket {
    readonly nsp = { name: '/test' };
    readonly listeners = new Map<string, (...args: unknown[]) => unknown>();
    anyListener?: (event: string, ...args: unknown[]) => void;
    on(event: string, listener: (...args: unknown[]) => unknown): this {
        this.listeners.set(event, listener);
        return this;
    }
    onAny(listener: (event: string, ...args: unknown[]) => void): this {
        this.anyListener = listener;
        return this;
    }
    async receive(event: string, ...args: unknown[]): Promise<void> {
        this.anyListener?.(event, ...args);
        await this.listeners.get(event)?.(...args);
    }
}

describe('serveRequests', () => {
    const schemas = { 'echo': z.object({ text: z.string().max(5) }).strict(), 'explode': z.object({}).strict() };
    let socket: FakeSocket;
    let logged: string[];
    let calls: number;

    beforeEach(() => {
        socket = new FakeSocket();
        logged = [];
        calls = 0;
        const logger: ServerLogger = { info: m => logged.push(`info ${m}`), warn: m => logged.push(`warn ${m}`), error: m => logged.push(`error ${m}`) };
        serveRequests(socket as unknown as Socket, schemas, {
            echo: async request => { calls++; return { ok: true, value: request.text }; },
            explode: async () => { calls++; throw new Error('boom'); }
        }, undefined, logger);
    });

    async function ask(event: string, ...payload: unknown[]): Promise<Reply<unknown>> {
        let reply: Reply<unknown> | undefined;
        await socket.receive(event, ...payload, (value: Reply<unknown>) => { reply = value; });
        return reply!;
    }

    it('passes a valid payload to its handler and acknowledges the reply', async () => {
        expect(await ask('echo', { text: 'hi' })).to.deep.equal({ ok: true, value: 'hi' });
    });

    it('answers BAD_PAYLOAD naming the field, without calling the handler', async () => {
        expect(await ask('echo', { text: 'too long' })).to.deep.include({ ok: false });
        expect((await ask('echo', { text: 'too long' }) as { error: { message: string } }).error.message).to.match(/^text:/);
        expect((await ask('echo', { text: 'a', extra: 1 }) as { error: { code: string } }).error.code).to.equal('BAD_PAYLOAD');
        expect((await ask('echo') as { error: { code: string } }).error.code).to.equal('BAD_PAYLOAD');
        expect(calls).to.equal(0);
    });

    it('turns a fault into INTERNAL_ERROR and logs it', async () => {
        expect(await ask('explode', {})).to.deep.equal({ ok: false, error: { code: 'INTERNAL_ERROR', message: 'The server could not process the request' } });
        expect(logged.some(line => line.startsWith('error /test: "explode" failed'))).to.equal(true);
    });

    it('ignores and logs a request without acknowledgement, and an unknown event', async () => {
        await socket.receive('echo', { text: 'hi' });
        expect(calls).to.equal(0);
        expect((await ask('nope', {}) as { error: { code: string } }).error.code).to.equal('BAD_PAYLOAD');
        expect(logged.filter(line => line.startsWith('warn'))).to.have.length(2);
    });
});
