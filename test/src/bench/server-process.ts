import { ChildProcess, fork } from 'child_process';
import * as path from 'path';
import type { ServerMessage, ServerMode } from './server-main';

const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;

/** Every child still running; killed on the way out whatever happened (see killAllServers). */
const running = new Set<ChildProcess>();

export interface ServerProcess {
    readonly url: string;
    readonly pid: number;
    /** CPU time the server process used so far, in ms (user + system). */
    cpuMs(): Promise<number>;
    stop(): Promise<void>;
}

/**
 * Starts one server instance in a child process on 127.0.0.1 and an ephemeral port.
 * With VOUCH_BENCH_PROFILE=<dir>, the child writes a V8 CPU profile there when it stops.
 */
export async function startServerProcess(mode: ServerMode): Promise<ServerProcess> {
    const profileDir = process.env.VOUCH_BENCH_PROFILE;
    const child = fork(path.join(__dirname, 'server-main.js'), [JSON.stringify(mode)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let port: number;
    try {
        port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('the server process did not start within 30 s')), READY_TIMEOUT_MS);
            child.once('message', (message: ServerMessage) => {
                clearTimeout(timer);
                if ('ready' in message) {
                    resolve(message.ready);
                } else {
                    reject(new Error(`the server process failed to start: ${'failed' in message ? message.failed : JSON.stringify(message)}`));
                }
            });
            child.once('exit', code => {
                clearTimeout(timer);
                reject(new Error(`the server process exited with code ${code} before it was ready`));
            });
        });
    } catch (error) {
        child.kill('SIGKILL');
        throw error;
    }
    return {
        url: `http://127.0.0.1:${port}`,
        pid: child.pid!,
        cpuMs: () => new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('the server process did not report its CPU time')), READY_TIMEOUT_MS);
            child.once('message', (message: ServerMessage) => {
                clearTimeout(timer);
                if ('cpu' in message) {
                    resolve((message.cpu.user + message.cpu.system) / 1000);
                } else {
                    reject(new Error(`unexpected message ${JSON.stringify(message)}`));
                }
            });
            child.send('cpu');
        }),
        stop: () => stopChild(child)
    };
}

async function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) {
        return;
    }
    const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
    child.send('stop');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
}

/** Synchronous, so it can run from process 'exit' too: no child outlives the benchmark. */
export function killAllServers(): void {
    for (const child of running) {
        child.kill('SIGKILL');
    }
    running.clear();
}
