import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { Socket } from 'socket.io-client';
import { ANONYMOUS_NAMESPACE } from '@vouch/protocol';
import { ClientSocket } from '@vouch/server/lib/testing/greeting-fixtures';
import { bootstrapCertificates } from '@vouch/server/lib/testing/organization-fixtures';
import { expectOk, nextTimestamp, request, SocketPool, TestOrganization } from '@vouch/server/lib/testing/socket-harness';

const SERVER_BIN = path.resolve(__dirname, '..', '..', '..', '..', 'backend', 'bin', 'vouch-server.js');
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}

/** Every instance still running: killed when the test process exits, whatever happened (mocha's --exit included). */
const running = new Set<ChildProcess>();
process.once('exit', () => running.forEach(child => child.kill('SIGKILL')));

/** One `vouch-server serve` in a Node process of its own, on a loopback port: what an operator runs, and what a crash kills. */
export class ServeInstance {
    protected output = '';

    protected constructor(readonly name: string, readonly child: ChildProcess, readonly url: string) { }

    get pid(): number { return this.child.pid!; }

    static async start(name: string, env: NodeJS.ProcessEnv): Promise<ServeInstance> {
        const port = await freePort();
        const url = `http://127.0.0.1:${port}`;
        const child = spawn(process.execPath, [SERVER_BIN, 'serve'], {
            env: { ...process.env, ...env, PORT: String(port), VOUCH_HOST: '127.0.0.1', VOUCH_PUBLIC_URL: url },
            stdio: ['ignore', 'pipe', 'pipe']
        });
        running.add(child);
        child.once('exit', () => running.delete(child));
        const instance = new ServeInstance(name, child, url);
        const read = (chunk: Buffer) => { instance.output += chunk.toString(); };
        child.stdout!.on('data', read);
        child.stderr!.on('data', read);
        try {
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`instance ${name} did not start within ${START_TIMEOUT_MS} ms: ${instance.output}`)), START_TIMEOUT_MS);
                const check = () => {
                    if (instance.output.includes('listening on')) {
                        clearTimeout(timer);
                        child.stdout!.off('data', check);
                        resolve();
                    }
                };
                child.stdout!.on('data', check);
                child.once('exit', code => { clearTimeout(timer); reject(new Error(`instance ${name} exited with ${code}: ${instance.output}`)); });
            });
        } catch (error) {
            child.kill('SIGKILL');
            throw error;
        }
        return instance;
    }

    get running(): boolean {
        return this.child.exitCode === null && this.child.signalCode === null;
    }

    exited(): Promise<void> {
        return this.running ? new Promise(resolve => this.child.once('exit', () => resolve())) : Promise.resolve();
    }

    /** A crash: the process gets no chance to close anything. */
    async kill(): Promise<void> {
        const exited = this.exited();
        process.kill(this.pid, 'SIGKILL');
        await exited;
    }

    /** SIGTERM (the server closes its sockets and database), SIGKILL if it has not exited after a grace period. */
    async stop(): Promise<void> {
        if (!this.running) {
            return;
        }
        const exited = this.exited();
        process.kill(this.pid, 'SIGTERM');
        const timer = setTimeout(() => this.running && process.kill(this.pid, 'SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
    }

    /** The bootstrap link the first start printed for $VOUCH_ORGANIZATION. */
    bootstrapLink(): string {
        const found = /awaits its first administrator: (\S+)/.exec(this.output);
        if (!found) {
            throw new Error(`instance ${this.name} printed no bootstrap link: ${this.output}`);
        }
        return found[1];
    }
}

/** An organization bootstrapped over the wire from the link a `serve` printed: its devices connect to any instance by URL. */
export class InstancesOrganization extends TestOrganization {
    static async fromLink(link: string, url: string, pool: SocketPool): Promise<InstancesOrganization> {
        const parsed = new URL(link);
        const organizationId = parsed.searchParams.get('vouch-org')!;
        const token = parsed.searchParams.get('vouch-token')!;
        const boot = bootstrapCertificates(nextTimestamp());
        const anonymous = pool.open(url, ANONYMOUS_NAMESPACE);
        await expectOk(request(anonymous, 'organization.bootstrap', { organizationId, token, rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates }));
        anonymous.close();
        return new InstancesOrganization(url, pool, organizationId, boot);
    }
}

/**
 * A greeting side's connection that moves to another instance when its own dies, as a
 * workbench reconnecting behind a load balancer would: requests wait while it moves, the
 * pushed events' listeners follow it.
 */
export class MovingSocket implements ClientSocket {
    protected readonly listeners: [string, (...args: unknown[]) => void][] = [];
    protected moving: Promise<void> = Promise.resolve();

    constructor(protected current: Socket) { }

    timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } {
        return {
            emitWithAck: async (event, payload) => {
                await this.moving;
                return this.current.timeout(ms).emitWithAck(event, payload);
            }
        };
    }

    on(event: string, listener: (...args: unknown[]) => void): this {
        this.listeners.push([event, listener]);
        this.current.on(event, listener);
        return this;
    }

    off(event: string, listener: (...args: unknown[]) => void): this {
        const index = this.listeners.findIndex(([e, l]) => e === event && l === listener);
        if (index >= 0) {
            this.listeners.splice(index, 1);
        }
        this.current.off(event, listener);
        return this;
    }

    /** Holds every request until `next` resolves with the new connection, then sends them there. */
    moveTo(next: Promise<Socket>): void {
        this.moving = next.then(socket => {
            this.listeners.forEach(([event, listener]) => {
                this.current.off(event, listener);
                socket.on(event, listener);
            });
            this.current = socket;
        });
    }
}
