/**
 * The whole greeting (SAS exchange) for `npm run bench` (one line in run.ts calls
 * `runGreetingBench`): from the host's Greet (`greeting.start`) to the guest's acknowledgment of
 * its enrolled device, both sides scripted in this process against one server on loopback,
 * password key derivation excluded (the script seals nothing). Measured twice in the same run:
 * with the server's pushes (Vouch), and with the same steps driven by polling the stored state
 * with the reference system's backoff (Parsec RFC 1011: 31 ms doubling to 1 s).
 * Every loop is bounded in count and time.
 */
import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, DEVICE_NAMESPACE, GreetingCancelReason, GreetingChannel, GreetingEndedError, GreetingSide, HostStepExtras, InvitationSummary,
    InviteResult, parseInvitationLink, Reply, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { loadServerConfig, VouchServer } from '@vouch/server';
import { bootstrapCertificates, signedHandshake, TestBootstrap } from '@vouch/server/lib/testing/organization-fixtures';
import { guestChannel, hostChannel, newGuestKeys, scriptedUserGreeting } from '@vouch/server/lib/testing/greeting-fixtures';
import { nextPosition } from '@vouch/server/lib/testing/socket-harness';
import { createBenchDatabase, DatabaseKind } from './bench-database';
import { ms, ResultRow, write } from './report';
import { nowMs, percentile } from './stats';

const TARGET_MS = 50;
const SPEEDUP_TARGET = 5;
const PUSH_TRIALS = 40;
const POLL_TRIALS = 5;
const WARMUP = 3;
const MAX_MS = 60_000;
const POLL_FIRST_MS = 31;
const POLL_MAX_MS = 1_000;
/** A step that never comes ends a polling wait after this many polls (about 25 s). */
const POLL_MAX_TRIES = 30;

function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(30_000).emitWithAck(event, payload);
}

async function value<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
    const reply = await request<T>(socket, event, payload);
    if (!reply.ok) { throw new Error(`${event}: ${reply.error.code} ${reply.error.message}`); }
    return reply.value;
}

function connect(url: string, namespace: string, auth?: object): Socket {
    return io(`${url}${namespace}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], forceNew: true, reconnection: false, auth });
}

/** The same steps, but waiting for the other side by polling the stored state with Parsec's backoff. */
class PollingChannel implements GreetingChannel {
    protected announceEnd!: (ended: GreetingEndedError) => void;
    /** Heard only when a poll reads it. */
    readonly ended = new Promise<GreetingEndedError>(resolve => { this.announceEnd = resolve; });

    constructor(protected readonly socket: Socket, readonly attemptId: string, protected readonly side: GreetingSide, protected readonly identity: Record<string, string>) { }

    protected get prefix(): string {
        return this.side === 'host' ? 'greeting.host' : 'greeting.guest';
    }

    async post(step: number, payload: string, extras: HostStepExtras = {}): Promise<void> {
        await value(this.socket, `${this.prefix}Step`, { ...this.identity, attemptId: this.attemptId, step, payload, ...extras });
    }

    async peer(step: number): Promise<string> {
        let delay = POLL_FIRST_MS;
        for (let tries = 0; tries < POLL_MAX_TRIES; tries++) {
            const state = await value<{ steps: { step: number; side: GreetingSide; payload: string }[]; cancelled?: { reason: GreetingCancelReason; by: GreetingSide | 'server' } }>(
                this.socket, `${this.prefix}State`, { ...this.identity, attemptId: this.attemptId });
            const found = state.steps.find(posted => posted.step === step && posted.side !== this.side);
            if (found) { return found.payload; }
            if (state.cancelled) {
                const ended = new GreetingEndedError(state.cancelled.reason, state.cancelled.by, this.side);
                this.announceEnd(ended);
                throw ended;
            }
            await new Promise(resolve => setTimeout(resolve, delay));
            delay = Math.min(POLL_MAX_MS, delay * 2);
        }
        throw new Error(`step ${step} never came`);
    }

    async cancel(reason: GreetingCancelReason): Promise<void> {
        await request(this.socket, `${this.prefix}Cancel`, { ...this.identity, attemptId: this.attemptId, reason });
    }
}

interface Setup {
    readonly server: VouchServer;
    readonly url: string;
    readonly organizationId: string;
    readonly boot: TestBootstrap;
    readonly admin: Socket;
    readonly guest: Socket;
}

let lastTimestamp = 0;
const timestamp = () => (lastTimestamp = Math.max(lastTimestamp + 1, Date.now()));

async function setUp(kind: DatabaseKind): Promise<Setup & { close(): Promise<void> }> {
    const database = await createBenchDatabase(kind);
    const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:0', dataDir: '/tmp' });
    const server = await VouchServer.start({ config });
    const url = `http://127.0.0.1:${server.address}`;
    const organizationId = 'BenchGreeting';
    const { bootstrapLink } = await server.createOrganization(organizationId);
    const boot = bootstrapCertificates(timestamp(), 'alice@example.com', 'Alice Admin');
    const guest = connect(url, ANONYMOUS_NAMESPACE);
    await value(guest, 'organization.bootstrap', {
        organizationId, token: new URL(bootstrapLink).searchParams.get('vouch-token'), rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates
    });
    const challenge = await value<{ challenge: string }>(guest, 'auth.challenge', {});
    const admin = connect(url, DEVICE_NAMESPACE, signedHandshake(organizationId, boot.admin, challenge.challenge));
    await new Promise<void>((resolve, reject) => { admin.once('connect', () => resolve()); admin.once('connect_error', reject); });
    return {
        server, url, organizationId, boot, admin, guest,
        async close() {
            admin.close();
            guest.close();
            await server.close();
            await database.drop();
        }
    };
}

/** One greeting, from Greet to the guest's acknowledgment; the invitation and the claim come before the clock starts. */
async function greetOnce(setup: Setup, index: number, mode: 'push' | 'poll'): Promise<number> {
    const email = `${mode}${index}@example.com`;
    const { results } = await value<{ results: InviteResult[] }>(setup.admin, 'invitation.inviteUsers', { invitees: [{ email }], sendEmail: false });
    const invitation: InvitationSummary = results[0].invitation!;
    const token = parseInvitationLink(invitation.link)!.token;
    await value(setup.guest, 'invitation.claim', { organizationId: setup.organizationId, token });
    const guestKeys = newGuestKeys(email, `Guest ${index}`);
    const started = nowMs();
    const { attemptId } = await value<{ attemptId: string }>(setup.admin, 'greeting.start', { invitationId: invitation.invitationId });
    const channels = mode === 'push'
        ? { host: hostChannel(setup.admin, attemptId), guest: guestChannel(setup.guest, attemptId, setup.organizationId, token) }
        : {
            host: new PollingChannel(setup.admin, attemptId, 'host', {}),
            guest: new PollingChannel(setup.guest, attemptId, 'guest', { organizationId: setup.organizationId, token })
        };
    try {
        await scriptedUserGreeting({
            host: { organizationId: setup.organizationId, rootVerifyKey: setup.boot.rootVerifyKey, device: setup.boot.admin },
            hostChannel: channels.host, guestChannel: channels.guest, guest: guestKeys, email, position: () => nextPosition(setup.admin)
        });
        return nowMs() - started;
    } finally {
        for (const channel of [channels.host, channels.guest]) {
            (channel as { dispose?(): void }).dispose?.();
        }
    }
}

async function trials(setup: Setup, mode: 'push' | 'poll', count: number, offset: number): Promise<number[]> {
    const samples: number[] = [];
    const deadline = nowMs() + MAX_MS;
    for (let i = 0; i < count && nowMs() < deadline; i++) {
        samples.push(await greetOnce(setup, offset + i, mode));
    }
    return samples.sort((a, b) => a - b);
}

export async function runGreetingBench(databases: readonly DatabaseKind[] = ['sqlite', 'mariadb']): Promise<ResultRow[]> {
    const rows: ResultRow[] = [];
    for (const kind of databases) {
        const label = kind === 'sqlite' ? 'SQLite' : 'MariaDB';
        const setup = await setUp(kind);
        try {
            await trials(setup, 'push', WARMUP, 0);
            const pushed = await trials(setup, 'push', PUSH_TRIALS, 1_000);
            const polled = await trials(setup, 'poll', POLL_TRIALS, 2_000);
            const median = percentile(pushed, 50);
            const polledMedian = percentile(polled, 50);
            const speedup = polledMedian / median;
            write(`greeting on ${label}: pushed median ${ms(median)}, p95 ${ms(percentile(pushed, 95))}, max ${ms(pushed[pushed.length - 1])} (${pushed.length} greetings); ` +
                `polled (31 ms doubling to 1 s) median ${ms(polledMedian)} (${polled.length} greetings); ${speedup.toFixed(1)}× faster`);
            rows.push({
                scenario: 'greeting, Greet to enrolled device (push)', database: label,
                result: `median ${ms(median)}, p95 ${ms(percentile(pushed, 95))} (${pushed.length} greetings)`,
                target: `≤ ${TARGET_MS} ms`,
                limit: `polling ${ms(polledMedian)}`,
                verdict: median <= TARGET_MS ? 'MET' : 'MISSED',
                bound: `${PUSH_TRIALS} greetings or ${MAX_MS / 1000} s`
            });
            rows.push({
                scenario: 'greeting, push vs polling 31 ms→1 s', database: label,
                result: `${speedup.toFixed(1)}× (${ms(polledMedian)} / ${ms(median)})`,
                target: `≥ ${SPEEDUP_TARGET}×`,
                limit: `${polled.length} polled greetings`,
                verdict: speedup >= SPEEDUP_TARGET ? 'MET' : 'MISSED',
                bound: `${POLL_TRIALS} greetings or ${MAX_MS / 1000} s`
            });
        } finally {
            await setup.close();
        }
    }
    return rows;
}

if (require.main === module) {
    const databases = (process.env.VOUCH_BENCH_DATABASES ?? 'sqlite,mariadb').split(',') as DatabaseKind[];
    runGreetingBench(databases).then(rows => {
        rows.forEach(row => write(`${row.scenario} [${row.database}]: ${row.result} — target ${row.target}: ${row.verdict}`));
        process.exit(0);
    }, error => {
        process.stderr.write(`greeting benchmark crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
    });
}
