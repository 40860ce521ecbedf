import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { expect } from 'chai';
import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { io, Socket } from 'socket.io-client';
import {
    ANONYMOUS_NAMESPACE, ApiErrorCode, Certificate, enrolDevice, enrolUser, generateSigningKeyPair, signCertificate, ClaimedInvitation, DEVICE_NAMESPACE, GreetingCancelledEvent, GreetingStartedEvent, GuestGreeting,
    GuestWaitingEvent, HostGreeting, InvitationEndedEvent, InvitationSummary, InviteResult, MailDelivery, newGreetingNonce, nonceCommitment, parseInvitationLink, Reply, toBase64Url, UsersPage,
    VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { loadServerConfig } from '../config';
import { VouchServer } from '../server';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { bootstrapCertificates, newUserCertificates, signedHandshake, TestBootstrap, TestDevice } from '../testing/organization-fixtures';
import { guestChannel, hostChannel, newGuestKeys, ScriptedGreetingFailed, scriptedUserGreeting } from '../testing/greeting-fixtures';
import { freshMariaDb, freshSqliteFile, REDIS_URL, TestDatabase } from '../testing/test-databases';
import { nextPosition } from '../testing/socket-harness';



/** A real SMTP receiver on loopback; every message parsed as a mail client would. */
class MailCatcher {
    readonly messages: ParsedMail[] = [];
    protected waiters: (() => void)[] = [];
    readonly server = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onData: (stream, _session, callback) => {
            simpleParser(stream).then(mail => {
                this.messages.push(mail);
                this.waiters.splice(0).forEach(wake => wake());
                callback();
            }, callback);
        }
    });

    async start(port = 0): Promise<number> {
        await new Promise<void>(resolve => this.server.listen(port, '127.0.0.1', () => resolve()));
        return (this.server.server.address() as AddressInfo).port;
    }

    async forAddress(address: string, count = 1): Promise<ParsedMail[]> {
        const deadline = Date.now() + 10_000;
        for (;;) {
            const found = this.messages.filter(mail => mail.to && !Array.isArray(mail.to) && mail.to.value.some(to => to.address === address));
            if (found.length >= count || Date.now() > deadline) { return found; }
            await new Promise<void>(resolve => { this.waiters.push(resolve); setTimeout(resolve, 200); });
        }
    }

    close(): Promise<void> {
        return new Promise(resolve => this.server.close(() => resolve()));
    }
}

const sockets: Socket[] = [];

function connect(url: string, namespace: string, auth?: object): Socket {
    const socket = io(`${url}${namespace}`, { path: VOUCH_SOCKET_PATH, transports: ['websocket'], reconnection: false, forceNew: true, auth });
    sockets.push(socket);
    return socket;
}

async function request<T>(socket: Socket, event: string, payload: unknown): Promise<Reply<T>> {
    return socket.timeout(10_000).emitWithAck(event, payload);
}

async function value<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
    const reply = await request<T>(socket, event, payload);
    if (!reply.ok) { throw new Error(`${event}: ${JSON.stringify(reply.error)}`); }
    return reply.value;
}

function expectCode(reply: Reply<unknown>, code: ApiErrorCode): void {
    expect(reply.ok ? 'ok' : reply.error.code, JSON.stringify(reply).slice(0, 300)).to.equal(code);
}

function nextEvent<T>(socket: Socket, event: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
        socket.once(event, (payload: T) => { clearTimeout(timer); resolve(payload); });
    });
}

interface Harness { server: VouchServer; url: string; mail: MailCatcher }

/** The tests' grace period for a greeting's side to come back (the server's default is a few seconds). */
const GRACE_MS = 800;
/** The tests move the server's clock forward to let attempts expire. */
let clockOffset = 0;

/** The event if it comes within `ms`, else undefined. */
function eventWithin<T>(socket: Socket, event: string, ms: number): Promise<T | undefined> {
    return new Promise(resolve => {
        const timer = setTimeout(() => { socket.off(event, heard); resolve(undefined); }, ms);
        const heard = (payload: T) => { clearTimeout(timer); resolve(payload); };
        socket.once(event, heard);
    });
}

/** A guest waiting on its link and an attempt a host started: the guest's socket holds its side (it read the state, as clients do first). */
async function waitingGreeting(h: Harness, organizationId: string, admin: Socket, email: string, host: Socket = admin) {
    const summary = await invite(admin, email);
    const token = tokenOf(summary);
    const guest = connect(h.url, ANONYMOUS_NAMESPACE);
    await value(guest, 'invitation.claim', { organizationId, token });
    const { attemptId } = await value<{ attemptId: string }>(host, 'greeting.start', { invitationId: summary.invitationId });
    await value(guest, 'greeting.guestState', { organizationId, token, attemptId });
    return { summary, token, guest, attemptId };
}

async function connectDevice(h: Harness, organizationId: string, device: TestDevice): Promise<Socket> {
    const anonymous = connect(h.url, ANONYMOUS_NAMESPACE);
    const challenge = await value<{ challenge: string }>(anonymous, 'auth.challenge', {});
    anonymous.close();
    const socket = connect(h.url, DEVICE_NAMESPACE, signedHandshake(organizationId, device, challenge.challenge));
    await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
    });
    return socket;
}

let counter = 0;
let lastTimestamp = 0;
const timestamp = () => (lastTimestamp = Math.max(lastTimestamp + 1, Date.now()));

async function organization(h: Harness): Promise<{ organizationId: string; boot: TestBootstrap; admin: Socket }> {
    const organizationId = `Inv${Date.now().toString(36)}${counter++}`;
    const { bootstrapLink } = await h.server.createOrganization(organizationId);
    const token = new URL(bootstrapLink).searchParams.get('vouch-token')!;
    const boot = bootstrapCertificates(timestamp(), 'alice@example.com', 'Alice Admin');
    const anonymous = connect(h.url, ANONYMOUS_NAMESPACE);
    await value(anonymous, 'organization.bootstrap', { organizationId, token, rootVerifyKey: boot.rootVerifyKey, certificates: boot.certificates });
    return { organizationId, boot, admin: await connectDevice(h, organizationId, boot.admin) };
}

async function invite(admin: Socket, email: string, sendEmail = false): Promise<InvitationSummary> {
    const { results } = await value<{ results: InviteResult[] }>(admin, 'invitation.inviteUsers', { invitees: [{ email }], sendEmail });
    return results[0].invitation!;
}

function tokenOf(summary: InvitationSummary): string {
    return parseInvitationLink(summary.link)!.token;
}

async function users(socket: Socket): Promise<string[]> {
    const page = await value<UsersPage>(socket, 'users.list', { limit: 200 });
    return page.users.map(user => user.humanHandle?.email ?? '?');
}

function invitationSuite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Invitations and greetings on ${kind}`, function () {
        this.timeout(30_000);
        const h = {} as Harness;
        let database: TestDatabase;
        let dataDir: string;

        before(async () => {
            database = await open();
            h.mail = new MailCatcher();
            const smtpPort = await h.mail.start();
            dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-invite-data-'));
            const config = loadServerConfig({}, {
                port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:0', dataDir,
                smtpUrl: `smtp://127.0.0.1:${smtpPort}`
            });
            h.server = await VouchServer.start({ config, clock: () => Date.now() + clockOffset, greeting: { reconnectGraceMs: GRACE_MS } });
            h.url = `http://127.0.0.1:${h.server.address}`;
        });
        afterEach(() => { clockOffset = 0; });
        afterEach(() => sockets.splice(0).forEach(socket => socket.close()));
        after(async () => {
            await h.server?.close();
            await h.mail?.close();
            await database?.drop();
            fs.rmSync(dataDir, { recursive: true, force: true });
        });

        it('invites two addresses by email, greets one through to a working member, over a real SMTP receiver', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const { results, mail: delivery } = await value<{ results: InviteResult[]; mail: MailDelivery }>(admin, 'invitation.inviteUsers', {
                invitees: [{ email: 'Bob@Example.com', profile: 'MEMBER' }, { email: 'carol@example.com', name: ' Carol Chen ' }], sendEmail: true
            });
            expect(results.map(result => [result.email, result.outcome, result.emailSent])).to.deep.equal([
                ['bob@example.com', 'created', true], ['carol@example.com', 'created', true]
            ]);
            expect(delivery).to.deep.equal({ kind: 'smtp' });
            // The name the Administrator gave travels with the invitation, to the guest's name field.
            expect(results.map(result => result.invitation?.proposedName)).to.deep.equal([undefined, 'Carol Chen']);
            const carolClaim = await value<ClaimedInvitation>(connect(h.url, ANONYMOUS_NAMESPACE), 'invitation.claim',
                { organizationId, token: tokenOf(results[1].invitation!) });
            expect(carolClaim.proposedName).to.equal('Carol Chen');
            const [mail] = await h.mail.forAddress('bob@example.com');
            expect(mail.subject).to.equal(`Alice Admin invites you to join ${organizationId} on Vouch`);
            expect(mail.replyTo?.value).to.deep.equal([{ address: 'alice@example.com', name: 'Alice Admin' }]);
            expect(mail.html).to.be.a('string');
            const linkInMail = /https?:\/\/\S+vouch-action=claim\S+/.exec(mail.text ?? '')![0];
            const link = parseInvitationLink(linkInMail)!;
            expect(link.organizationId).to.equal(organizationId);

            // The guest follows the link: the admin hears it is waiting.
            const waiting = nextEvent<GuestWaitingEvent>(admin, 'invitation.guestWaiting');
            const guest = connect(h.url, ANONYMOUS_NAMESPACE);
            const claimed = await value<ClaimedInvitation>(guest, 'invitation.claim', { organizationId, token: link.token });
            expect(claimed.email).to.equal('bob@example.com');
            expect(claimed.greeters).to.deep.equal([{ userId: boot.admin.userId, humanHandle: { email: 'alice@example.com', label: 'Alice Admin' }, online: true }]);
            expect((await waiting).email).to.equal('bob@example.com');
            const listed = await value<{ invitations: InvitationSummary[]; mail: MailDelivery }>(admin, 'invitation.list', {});
            expect(listed.invitations.map(i => [i.email, i.guestOnline, i.createdBy.label, i.proposedName])).to.have.deep.members([
                ['bob@example.com', true, 'Alice Admin', undefined], ['carol@example.com', true, 'Alice Admin', 'Carol Chen']
            ]);
            expect(listed.mail).to.deep.equal({ kind: 'smtp' });

            const started = nextEvent<GreetingStartedEvent>(guest, 'greeting.started');
            const { attemptId, guestOnline } = await value<{ attemptId: string; guestOnline: boolean }>(admin, 'greeting.start', { invitationId: claimed.invitationId });
            expect(guestOnline).to.equal(true);
            expect(await started).to.deep.equal({ attemptId, invitationId: claimed.invitationId, host: { email: 'alice@example.com', label: 'Alice Admin' } });

            const { confirmation, guestDevice } = await scriptedUserGreeting({
                host: { organizationId, rootVerifyKey: boot.rootVerifyKey, device: boot.admin },
                hostChannel: hostChannel(admin, attemptId), guestChannel: guestChannel(guest, attemptId, organizationId, link.token),
                guest: newGuestKeys('bob@example.com', 'bob'), email: 'bob@example.com', correctedLabel: 'Bob Stone', position: () => nextPosition(admin)
            });
            expect(confirmation.humanHandle).to.deep.equal({ email: 'bob@example.com', label: 'Bob Stone' });
            expect(confirmation.rootVerifyKey).to.equal(boot.rootVerifyKey);

            // The new member's device connects and sees both members; the link is used up.
            const bob = await connectDevice(h, organizationId, guestDevice);
            expect(await users(bob)).to.have.members(['alice@example.com', 'bob@example.com']);
            expectCode(await request(connect(h.url, ANONYMOUS_NAMESPACE), 'invitation.claim', { organizationId, token: link.token }), 'INVITATION_NO_LONGER_VALID');
            const after = await value<{ invitations: InvitationSummary[] }>(admin, 'invitation.list', {});
            expect(after.invitations.map(i => i.email)).to.deep.equal(['carol@example.com']);
        });

        it('a wrong pick ends the attempt for both sides with a reason; the invitation is greeted again', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const summary = await invite(admin, 'dave@example.com');
            const token = tokenOf(summary);
            const guest = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(guest, 'invitation.claim', { organizationId, token });
            const host = { organizationId, rootVerifyKey: boot.rootVerifyKey, device: boot.admin };

            const first = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
            const hostCancelled = nextEvent<GreetingCancelledEvent>(admin, 'greeting.cancelled');
            const failure = await scriptedUserGreeting({
                host, hostChannel: hostChannel(admin, first.attemptId), guestChannel: guestChannel(guest, first.attemptId, organizationId, token),
                guest: newGuestKeys('dave@example.com', 'Dave'), email: 'dave@example.com', position: () => nextPosition(admin),
                guestPicks: (candidates, right) => candidates.find(code => code !== right)
            }).then(() => 'enrolled', (error: ScriptedGreetingFailed) => ({ host: error.host, guest: error.guest }));
            // Each side in its own words: the guest is not told about "the guest".
            expect(failure).to.deep.equal({ host: 'The guest picked a wrong code', guest: 'You picked a wrong code' });
            expect(await hostCancelled).to.deep.equal({ attemptId: first.attemptId, reason: 'WRONG_CODE', by: 'guest' });
            expectCode(await request(admin, 'greeting.hostStep', { attemptId: first.attemptId, step: 5, payload: 'ok' }), 'GREETING_ATTEMPT_ENDED');

            const second = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
            const { guestDevice } = await scriptedUserGreeting({
                host, hostChannel: hostChannel(admin, second.attemptId), guestChannel: guestChannel(guest, second.attemptId, organizationId, token),
                guest: newGuestKeys('dave@example.com', 'Dave'), email: 'dave@example.com', position: () => nextPosition(admin)
            });
            expect(await users(await connectDevice(h, organizationId, guestDevice))).to.include('dave@example.com');
        });

        it('the host\'s connection closes and does not come back: after the grace period the guest is told the host left; a host back in time keeps it', async () => {
            const { organizationId, boot, admin } = await organization(h);
            let hostSocket = await connectDevice(h, organizationId, boot.admin);
            const { token, guest, attemptId } = await waitingGreeting(h, organizationId, admin, 'lea@example.com', hostSocket);
            expect((await request(hostSocket, 'greeting.hostStep', { attemptId, step: 0, payload: toBase64Url(newGreetingNonce()) })).ok).to.equal(true);

            // A dropped connection that comes back (a new socket reads the state, as the workbench does) keeps the attempt.
            hostSocket.close();
            hostSocket = await connectDevice(h, organizationId, boot.admin);
            await value(hostSocket, 'greeting.hostState', { attemptId });
            expect(await eventWithin(guest, 'greeting.cancelled', GRACE_MS * 2)).to.equal(undefined);
            expect((await value<{ status: string }>(guest, 'greeting.guestState', { organizationId, token, attemptId })).status).to.equal('ACTIVE');

            // Gone for good (a reload, a closed tab; nothing said): the guest is told once the grace period is over, not before.
            const closedAt = Date.now();
            const told = nextEvent<GreetingCancelledEvent>(guest, 'greeting.cancelled', GRACE_MS * 4);
            hostSocket.close();
            expect(await told).to.deep.equal({ attemptId, reason: 'LEFT', by: 'host' });
            expect(Date.now() - closedAt).to.be.at.least(GRACE_MS - 50);
            const refused = await request(admin, 'greeting.hostStep', { attemptId, step: 0, payload: toBase64Url(newGreetingNonce()) });
            expect(!refused.ok && refused.error.message).to.equal('This greeting has ended: The host left the greeting: their page was closed or lost its connection');
            // The invitation waits for the next Greet, with the guest still online.
            const listed = await value<{ invitations: InvitationSummary[] }>(admin, 'invitation.list', {});
            expect(listed.invitations.map(i => [i.email, i.guestOnline])).to.deep.equal([['lea@example.com', true]]);
        });

        it('the guest\'s connection closes and does not come back: the host is told the guest left', async () => {
            const { organizationId, admin } = await organization(h);
            const first = await waitingGreeting(h, organizationId, admin, 'max@example.com');
            const told = nextEvent<GreetingCancelledEvent>(admin, 'greeting.cancelled', GRACE_MS * 4);
            first.guest.close();
            expect(await told).to.deep.equal({ attemptId: first.attemptId, reason: 'LEFT', by: 'guest' });

            // A second page of the same link that never spoke for the attempt closing changes nothing.
            const again = await waitingGreeting(h, organizationId, admin, 'max@example.com');
            const bystander = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(bystander, 'invitation.claim', { organizationId, token: again.token });
            bystander.close();
            expect(await eventWithin(admin, 'greeting.cancelled', GRACE_MS * 2)).to.equal(undefined);
        });

        it('a host gone after its confirmation was stored does not end the attempt: the guest still acknowledges its enrolment', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const hostSocket = await connectDevice(h, organizationId, boot.admin);
            const { token, guest, attemptId } = await waitingGreeting(h, organizationId, admin, 'pam@example.com', hostSocket);
            const host = new HostGreeting(hostChannel(hostSocket, attemptId));
            const newcomer = new GuestGreeting(guestChannel(guest, attemptId, organizationId, token));
            const [hostCodes, guestCodes] = await Promise.all([host.exchange(), newcomer.exchange()]);
            await Promise.all([newcomer.pickHostCode(hostCodes.ownCode), host.guestPicked()]);
            await Promise.all([host.pickGuestCode(guestCodes.ownCode), newcomer.hostPicked()]);
            const keys = newGuestKeys('pam@example.com', 'Pam');
            const confirmed = newcomer.sendDetails(keys.details);
            const details = await host.guestDetails();
            if (details.kind !== 'user') { throw new Error('expected a user'); }
            const { newUser, confirmation } = enrolUser({
                organizationId, rootVerifyKey: boot.rootVerifyKey, deviceId: boot.admin.deviceId,
                sign: content => signCertificate(content, boot.admin.signingKey.secretKey, nodeEd25519)
            }, details, { email: 'pam@example.com', label: 'Pam', profile: 'MEMBER', position: await nextPosition(admin) });
            expect((await host.sendConfirmation(confirmation, { newUser })).ok).to.equal(true);
            await confirmed;
            // The host's page goes away while the guest still seals its new device.
            hostSocket.close();
            expect(await eventWithin(guest, 'greeting.cancelled', GRACE_MS * 2)).to.equal(undefined);
            await newcomer.acknowledge();
            expect((await value<{ status: string }>(guest, 'greeting.guestState', { organizationId, token, attemptId })).status).to.equal('COMPLETED');
        });

        it('an attempt nobody touches for its lifetime expires: whoever looks next ends it, and both sides are told', async () => {
            const { organizationId, admin } = await organization(h);
            const { summary, token, guest, attemptId } = await waitingGreeting(h, organizationId, admin, 'ned@example.com');
            const hostTold = nextEvent<GreetingCancelledEvent>(admin, 'greeting.cancelled');
            const guestTold = nextEvent<GreetingCancelledEvent>(guest, 'greeting.cancelled');
            clockOffset = 10 * 60_000 + 1_000;
            // The guest comes back to its link: the idle attempt is not offered, it ends.
            const claimed = await value<ClaimedInvitation>(guest, 'invitation.claim', { organizationId, token });
            expect(claimed.activeGreeting).to.equal(undefined);
            expect(await hostTold).to.deep.equal({ attemptId, reason: 'EXPIRED', by: 'server' });
            expect(await guestTold).to.deep.equal({ attemptId, reason: 'EXPIRED', by: 'server' });
            const refused = await request(admin, 'greeting.hostStep', { attemptId, step: 0, payload: toBase64Url(newGreetingNonce()) });
            expect(!refused.ok && refused.error.message).to.match(/^This greeting has ended: The greeting expired/);
            // A step just before the lifetime keeps it alive.
            clockOffset = 0;
            const next = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
            clockOffset = 9 * 60_000;
            expect((await request(admin, 'greeting.hostStep', { attemptId: next.attemptId, step: 0, payload: toBase64Url(newGreetingNonce()) })).ok).to.equal(true);
            clockOffset = 18 * 60_000;
            expect((await value<{ status: string }>(guest, 'greeting.guestState', { organizationId, token, attemptId: next.attemptId })).status).to.equal('ACTIVE');
            clockOffset = 19 * 60_000 + 1_000;
            expect((await value<{ cancelled?: GreetingCancelledEvent }>(guest, 'greeting.guestState', { organizationId, token, attemptId: next.attemptId })).cancelled)
                .to.deep.equal({ attemptId: next.attemptId, reason: 'EXPIRED', by: 'server' });
        });

        it('an attempt nobody looks at is ended by the sweep of any instance', async () => {
            const { organizationId, admin } = await organization(h);
            const { token, guest, attemptId } = await waitingGreeting(h, organizationId, admin, 'oda@example.com');
            // Another instance on the same database, eleven minutes ahead, sweeping often.
            const sweeper = await VouchServer.start({
                config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:0', dataDir }),
                clock: () => Date.now() + 11 * 60_000, greeting: { sweepEveryMs: 100 }
            });
            try {
                const deadline = Date.now() + 5_000;
                let state = await value<{ status: string; cancelled?: GreetingCancelledEvent }>(guest, 'greeting.guestState', { organizationId, token, attemptId });
                while (state.status === 'ACTIVE' && Date.now() < deadline) {
                    await new Promise(resolve => setTimeout(resolve, 100));
                    state = await value(guest, 'greeting.guestState', { organizationId, token, attemptId });
                }
                expect(state.cancelled).to.deep.equal({ attemptId, reason: 'EXPIRED', by: 'server' });
            } finally {
                await sweeper.close();
            }
        });

        it('refuses steps out of order, changed, not the side\'s own, after a cancel, and a nonce off its commitment', async () => {
            const { organizationId, admin } = await organization(h);
            const summary = await invite(admin, 'erin@example.com');
            const token = tokenOf(summary);
            const guest = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(guest, 'invitation.claim', { organizationId, token });
            const { attemptId } = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
            const g = (step: number, payload: string) => request(guest, 'greeting.guestStep', { organizationId, token, attemptId, step, payload });
            const key = () => toBase64Url(newGreetingNonce());

            expectCode(await g(1, key()), 'GREETING_STEP_TOO_EARLY');
            const guestKey = key();
            expect((await g(0, guestKey)).ok).to.equal(true);
            expect((await g(0, guestKey)).ok, 'the same step again is fine (a reconnecting side)').to.equal(true);
            expectCode(await g(0, key()), 'GREETING_STEP_PAYLOAD_CHANGED');
            expectCode(await g(2, key()), 'GREETING_STEP_NOT_YOURS');
            expectCode(await g(0, 'not base64!'), 'BAD_PAYLOAD');
            expectCode(await request(admin, 'greeting.hostStep', { attemptId, step: 2, payload: key() }), 'GREETING_STEP_TOO_EARLY');
            expect((await request(admin, 'greeting.hostStep', { attemptId, step: 0, payload: key() })).ok).to.equal(true);
            const nonce = newGreetingNonce();
            expect((await g(1, toBase64Url(nonceCommitment(nonce)))).ok).to.equal(true);
            expect((await request(admin, 'greeting.hostStep', { attemptId, step: 2, payload: key() })).ok).to.equal(true);
            const cancelled = nextEvent<GreetingCancelledEvent>(admin, 'greeting.cancelled');
            expectCode(await g(3, key()), 'GREETING_COMMITMENT_MISMATCH');
            expect(await cancelled).to.deep.equal({ attemptId, reason: 'COMMITMENT_MISMATCH', by: 'server' });
            expectCode(await g(3, toBase64Url(nonce)), 'GREETING_ATTEMPT_ENDED');

            // A cancel by the guest; then steps are refused, and the invitation stays pending.
            const again = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
            const hostTold = nextEvent<GreetingCancelledEvent>(admin, 'greeting.cancelled');
            expect((await request(guest, 'greeting.guestCancel', { organizationId, token, attemptId: again.attemptId, reason: 'CLOSED' })).ok).to.equal(true);
            expect(await hostTold).to.deep.equal({ attemptId: again.attemptId, reason: 'CLOSED', by: 'guest' });
            const refused = await request(admin, 'greeting.hostStep', { attemptId: again.attemptId, step: 0, payload: key() });
            expectCode(refused, 'GREETING_ATTEMPT_ENDED');
            expect(!refused.ok && refused.error.message).to.equal('This greeting has ended: The guest closed the greeting');
            expect((await value<ClaimedInvitation>(guest, 'invitation.claim', { organizationId, token })).email).to.equal('erin@example.com');
            // Someone else's attempt id is not found, wherever it comes from.
            expectCode(await request(guest, 'greeting.guestState', { organizationId, token: 'x'.repeat(22), attemptId }), 'INVITATION_NOT_FOUND');
        });

        it('keeps the rights: only Administrators invite users and greet them; members add devices; enrolled and pending addresses', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const member = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'mel@example.com', label: 'Mel', profile: 'MEMBER' });
            await value(admin, 'users.create', member.certificates);
            const mel = await connectDevice(h, organizationId, member.device);
            expectCode(await request(mel, 'invitation.inviteUsers', { invitees: [{ email: 'x@example.com' }] }), 'NOT_ALLOWED');
            const summary = await invite(admin, 'frank@example.com');
            expectCode(await request(mel, 'greeting.start', { invitationId: summary.invitationId }), 'INVITATION_NOT_FOUND');
            expectCode(await request(mel, 'invitation.cancel', { invitationId: summary.invitationId }), 'INVITATION_NOT_FOUND');
            expect((await value<{ invitations: InvitationSummary[] }>(mel, 'invitation.list', {})).invitations).to.deep.equal([]);

            const again = await value<{ results: InviteResult[] }>(admin, 'invitation.inviteUsers', { invitees: [{ email: 'frank@example.com' }, { email: 'mel@example.com' }], sendEmail: false });
            expect(again.results.map(r => [r.outcome, r.invitation?.invitationId])).to.deep.equal([['existing', summary.invitationId], ['refused', undefined]]);
            expect(again.results[1].error).to.match(/already a member/);

            const device = await value<InviteResult>(mel, 'invitation.inviteDevice', {});
            expect(device.invitation?.kind).to.equal('DEVICE');
            expect(device.invitation?.email).to.equal('mel@example.com');
            expect((await value<{ invitations: InvitationSummary[] }>(mel, 'invitation.list', {})).invitations.map(i => i.kind)).to.deep.equal(['DEVICE']);
            expectCode(await request(admin, 'greeting.start', { invitationId: device.invitation!.invitationId }), 'INVITATION_NOT_FOUND');

            // Cancelled: a waiting guest is told at once, and the link no longer works, in words.
            const waitingGuest = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(waitingGuest, 'invitation.claim', { organizationId, token: tokenOf(summary) });
            const ended = nextEvent<InvitationEndedEvent>(waitingGuest, 'invitation.ended');
            expect((await request(admin, 'invitation.cancel', { invitationId: summary.invitationId })).ok).to.equal(true);
            expect(await ended).to.deep.equal({ invitationId: summary.invitationId, status: 'CANCELLED' });
            const claim = await request(connect(h.url, ANONYMOUS_NAMESPACE), 'invitation.claim', { organizationId, token: tokenOf(summary) });
            expectCode(claim, 'INVITATION_NO_LONGER_VALID');
            expect(!claim.ok && claim.error.message).to.equal('This invitation is no longer valid: it was cancelled');
            expectCode(await request(admin, 'invitation.cancel', { invitationId: summary.invitationId }), 'INVITATION_NO_LONGER_VALID');
        });

        it('two Administrators click Greet at once: one attempt stays, the other host is told it was replaced', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const second = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'zed@example.com', label: 'Zed', profile: 'ADMINISTRATOR' });
            await value(admin, 'users.create', second.certificates);
            const zed = await connectDevice(h, organizationId, second.device);
            const summary = await invite(admin, 'gina@example.com');
            const token = tokenOf(summary);
            const guest = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(guest, 'invitation.claim', { organizationId, token });
            const cancelledOnAlice = new Promise<GreetingCancelledEvent | undefined>(resolve => { admin.once('greeting.cancelled', resolve); setTimeout(() => resolve(undefined), 1500); });
            const cancelledOnZed = new Promise<GreetingCancelledEvent | undefined>(resolve => { zed.once('greeting.cancelled', resolve); setTimeout(() => resolve(undefined), 1500); });
            const [a, z] = await Promise.all([
                value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId }),
                value<{ attemptId: string }>(zed, 'greeting.start', { invitationId: summary.invitationId })
            ]);
            const told = [await cancelledOnAlice, await cancelledOnZed].filter(event => event !== undefined);
            expect(told).to.have.length(1);
            expect(told[0]!.reason).to.equal('REPLACED');
            const loser = told[0]!.attemptId;
            const winner = loser === a.attemptId ? z.attemptId : a.attemptId;
            const claimed = await value<ClaimedInvitation>(guest, 'invitation.claim', { organizationId, token });
            expect(claimed.activeGreeting?.attemptId).to.equal(winner);
            expectCode(await request(guest, 'greeting.guestStep', { organizationId, token, attemptId: loser, step: 0, payload: toBase64Url(newGreetingNonce()) }), 'GREETING_ATTEMPT_ENDED');
        });

        it('resumes after the guest\'s connection drops mid-greeting (state from the database)', async () => {
            const { organizationId, admin } = await organization(h);
            const summary = await invite(admin, 'hank@example.com');
            const token = tokenOf(summary);
            let guestSocket = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(guestSocket, 'invitation.claim', { organizationId, token });
            const { attemptId } = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
            const host = new HostGreeting(hostChannel(admin, attemptId));
            const firstChannel = guestChannel(guestSocket, attemptId, organizationId, token);
            const guest = new GuestGreeting(firstChannel);
            const hostCodes = host.exchange();
            const guestCodes = await guest.exchange();
            const codes = await hostCodes;
            // The guest's connection drops; the host goes on and picks meanwhile.
            guestSocket.close();
            guestSocket = connect(h.url, ANONYMOUS_NAMESPACE);
            await value(guestSocket, 'invitation.claim', { organizationId, token });
            // The same flow object on a new socket: re-posts what it posted (accepted as the same) and reads what it missed.
            const resumed = guestChannel(guestSocket, attemptId, organizationId, token);
            Object.assign(guest, { channel: resumed });
            await guest.pickHostCode(codes.ownCode);
            await host.guestPicked();
            await host.pickGuestCode(guestCodes.ownCode);
            await resumed.resync();
            await guest.hostPicked();
            const state = await value<{ steps: unknown[]; status: string }>(guestSocket, 'greeting.guestState', { organizationId, token, attemptId });
            expect(state.status).to.equal('ACTIVE');
            expect(state.steps).to.have.length(7);
            firstChannel.dispose();
        });

        it('step 7 against a cancel of the same invitation: exactly one wins, and a cancelled invitation leaves no user behind', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const second = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'yan@example.com', label: 'Yan', profile: 'ADMINISTRATOR' });
            await value(admin, 'users.create', second.certificates);
            const yan = await connectDevice(h, organizationId, second.device);
            const outcomes = new Set<string>();
            for (let round = 0; round < 6; round++) {
                const email = `race${round}@example.com`;
                const summary = await invite(admin, email);
                const token = tokenOf(summary);
                const guestSocket = connect(h.url, ANONYMOUS_NAMESPACE);
                await value(guestSocket, 'invitation.claim', { organizationId, token });
                const { attemptId } = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
                const host = new HostGreeting(hostChannel(admin, attemptId));
                const guest = new GuestGreeting(guestChannel(guestSocket, attemptId, organizationId, token));
                const [hostCodes, guestCodes] = await Promise.all([host.exchange(), guest.exchange()]);
                await Promise.all([guest.pickHostCode(hostCodes.ownCode), host.guestPicked()]);
                await Promise.all([host.pickGuestCode(guestCodes.ownCode), guest.hostPicked()]);
                // The guest waits for step 7, which may never come: its socket closes with the test.
                guest.sendDetails(newGuestKeys(email, `Racer ${round}`).details).catch(() => undefined);
                const details = await host.guestDetails();
                if (details.kind !== 'user') { throw new Error('expected a user'); }
                const { newUser } = enrolUser({
                    organizationId, rootVerifyKey: boot.rootVerifyKey, deviceId: boot.admin.deviceId,
                    sign: content => signCertificate(content, boot.admin.signingKey.secretKey, nodeEd25519)
                }, details, { email, label: details.humanHandle.label, profile: 'MEMBER', position: await nextPosition(admin) });
                const [enrolled, cancelled] = await Promise.all([
                    request(admin, 'greeting.hostStep', { attemptId, step: 7, payload: toBase64Url(newGreetingNonce()), newUser }),
                    request(yan, 'invitation.cancel', { invitationId: summary.invitationId })
                ]);
                const codes = [enrolled, cancelled].map(reply => reply.ok ? 'ok' : reply.error.code);
                outcomes.add(codes.join('/'));
                expect(codes.filter(code => code === 'ok'), `round ${round}: ${codes}`).to.have.length(1);
                expect(codes.filter(code => code !== 'ok'), `round ${round}`).to.deep.equal(['INVITATION_NO_LONGER_VALID']);
                // A user exists exactly when step 7 won, and the invitation ended the way the winner said.
                expect(await users(admin), `round ${round}`).to.satisfy((emails: string[]) => emails.includes(email) === enrolled.ok);
                const claim = await request(connect(h.url, ANONYMOUS_NAMESPACE), 'invitation.claim', { organizationId, token });
                expect(!claim.ok && claim.error.message).to.match(enrolled.ok ? /used/ : /cancelled/);
            }
            expect([...outcomes].every(outcome => outcome === 'ok/INVITATION_NO_LONGER_VALID' || outcome === 'INVITATION_NO_LONGER_VALID/ok')).to.equal(true);
        });

        it('two hosts confirm two greetings at the same head: the one that lost the log\'s head signs again after it, and both guests are enrolled', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const second = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'xia@example.com', label: 'Xia', profile: 'ADMINISTRATOR' });
            await value(admin, 'users.create', second.certificates);
            const xia = await connectDevice(h, organizationId, second.device);
            // Both hosts sign step 7 at the position they were given before either posted it.
            const shared = nextPosition(admin);
            const greet = async (socket: Socket, device: TestDevice, email: string) => {
                const summary = await invite(admin, email);
                const token = tokenOf(summary);
                const guest = connect(h.url, ANONYMOUS_NAMESPACE);
                await value(guest, 'invitation.claim', { organizationId, token });
                const { attemptId } = await value<{ attemptId: string }>(socket, 'greeting.start', { invitationId: summary.invitationId });
                return scriptedUserGreeting({
                    host: { organizationId, rootVerifyKey: boot.rootVerifyKey, device },
                    hostChannel: hostChannel(socket, attemptId), guestChannel: guestChannel(guest, attemptId, organizationId, token),
                    guest: newGuestKeys(email, email.split('@')[0]), email,
                    position: () => shared
                });
            };
            const [one, two] = await Promise.all([greet(admin, boot.admin, 'pia@example.com'), greet(xia, second.device, 'quinn@example.com')]);
            expect([one.confirmation.humanHandle.email, two.confirmation.humanHandle.email]).to.deep.equal(['pia@example.com', 'quinn@example.com']);
            expect(await users(admin)).to.include.members(['pia@example.com', 'quinn@example.com']);
        });

        it('adds a device of one\'s own by the same exchange: a member greets its new device, which connects as the same user', async () => {
            const { organizationId, boot, admin } = await organization(h);
            const member = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'nina@example.com', label: 'Nina', profile: 'MEMBER' });
            await value(admin, 'users.create', member.certificates);
            const nina = await connectDevice(h, organizationId, member.device);
            const invited = await value<InviteResult>(nina, 'invitation.inviteDevice', {});
            const token = tokenOf(invited.invitation!);
            const guest = connect(h.url, ANONYMOUS_NAMESPACE);
            const claimed = await value<ClaimedInvitation>(guest, 'invitation.claim', { organizationId, token });
            expect(claimed.kind).to.equal('DEVICE');
            expect(claimed.greeters.map(greeter => [greeter.humanHandle.email, greeter.online])).to.deep.equal([['nina@example.com', true]]);
            const { attemptId } = await value<{ attemptId: string }>(nina, 'greeting.start', { invitationId: invited.invitation!.invitationId });
            const host = new HostGreeting(hostChannel(nina, attemptId));
            const newDevice = new GuestGreeting(guestChannel(guest, attemptId, organizationId, token));
            const [hostCodes, guestCodes] = await Promise.all([host.exchange(), newDevice.exchange()]);
            await Promise.all([newDevice.pickHostCode(hostCodes.ownCode), host.guestPicked()]);
            await Promise.all([host.pickGuestCode(guestCodes.ownCode), newDevice.hostPicked()]);
            const keys = generateSigningKeyPair(nodeEd25519);
            const userPrivateKey = toBase64Url(newGreetingNonce());
            const hostSide = (async () => {
                const details = await host.guestDetails();
                if (details.kind !== 'device') { throw new Error('expected a device'); }
                const signer = { organizationId, rootVerifyKey: boot.rootVerifyKey, deviceId: member.device.deviceId, sign: (content: Certificate) => signCertificate(content, member.device.signingKey.secretKey, nodeEd25519) };
                // Another user's device may not sign it, not even an Administrator's: the server refuses and the attempt goes on.
                const forged = enrolDevice({ ...signer, deviceId: boot.admin.deviceId, sign: content => signCertificate(content, boot.admin.signingKey.secretKey, nodeEd25519) },
                    details, { userId: member.device.userId, humanHandle: { email: 'nina@example.com', label: 'Nina' }, profile: 'MEMBER', userPrivateKey, position: await nextPosition(nina) });
                expectCode(await request(nina, 'greeting.hostStep', { attemptId, step: 7, payload: toBase64Url(newGreetingNonce()), newDevice: forged.newDevice }), 'NOT_ALLOWED');
                const { newDevice: certificates, confirmation } = enrolDevice(signer, details,
                    { userId: member.device.userId, humanHandle: { email: 'nina@example.com', label: 'Nina' }, profile: 'MEMBER', userPrivateKey, position: await nextPosition(nina) });
                await host.confirm(confirmation, { newDevice: certificates });
            })();
            const confirmation = await newDevice.sendDetails({ kind: 'device', deviceLabel: 'Phone', verifyKey: toBase64Url(keys.verifyKey) });
            await newDevice.acknowledge();
            await hostSide;
            expect(confirmation.kind === 'device' && confirmation.userPrivateKey).to.equal(userPrivateKey);
            const phone = await connectDevice(h, organizationId, { ...member.device, deviceId: confirmation.deviceId, signingKey: keys });
            const info = await value<{ userId: string; deviceId: string }>(phone, 'session.info', {});
            expect([info.userId, info.deviceId]).to.deep.equal([member.device.userId, confirmation.deviceId]);
        });

        it('writes each email to the outbox folder as a message a mail client opens, and logs its link, when no SMTP is set', async () => {
            const outboxData = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-outbox-'));
            const lines: string[] = [];
            const logger = { info: (line: string) => lines.push(line), warn: () => undefined, error: () => undefined };
            const local = await VouchServer.start({
                config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: { kind: 'sqlite', path: ':memory:' }, publicUrl: 'http://127.0.0.1:0', dataDir: outboxData }),
                logger
            });
            try {
                const other: Harness = { server: local, url: `http://127.0.0.1:${local.address}`, mail: h.mail };
                const { organizationId, admin } = await organization(other);
                const { results, mail: delivery } = await value<{ results: InviteResult[]; mail: MailDelivery }>(admin, 'invitation.inviteUsers', { invitees: [{ email: 'olga@example.com' }] });
                expect(results[0].emailSent).to.equal(true);
                // The host is told where it went: a folder on the server, not the guest's mailbox.
                const outboxFolder = path.join(outboxData, 'outbox');
                expect(delivery).to.deep.equal({ kind: 'outbox', folder: outboxFolder });
                expect((await value<{ mail: MailDelivery }>(admin, 'invitation.list', {})).mail).to.deep.equal({ kind: 'outbox', folder: outboxFolder });
                const files = fs.readdirSync(path.join(outboxData, 'outbox'));
                expect(files).to.have.length(1);
                expect(files[0]).to.match(/\.eml$/);
                const mail = await simpleParser(fs.readFileSync(path.join(outboxData, 'outbox', files[0])));
                expect(mail.subject).to.equal(`Alice Admin invites you to join ${organizationId} on Vouch`);
                expect(mail.replyTo?.value).to.deep.equal([{ address: 'alice@example.com', name: 'Alice Admin' }]);
                expect(lines.some(line => line.includes(results[0].invitation!.link))).to.equal(true);
            } finally {
                await local.close();
                fs.rmSync(outboxData, { recursive: true, force: true });
            }
        });

        it('a failed send is reported and the invitation survives; resending works', async () => {
            // An SMTP server that is down: the port is free until the catcher below takes it.
            const probe = new MailCatcher();
            const smtpPort = await probe.start();
            await probe.close();
            const downData = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-smtp-down-'));
            const local = await VouchServer.start({
                config: loadServerConfig({}, {
                    port: 0, host: '127.0.0.1', database: { kind: 'sqlite', path: ':memory:' }, publicUrl: 'http://127.0.0.1:0', dataDir: downData,
                    smtpUrl: `smtp://127.0.0.1:${smtpPort}`
                })
            });
            const later = new MailCatcher();
            try {
                const { admin } = await organization({ server: local, url: `http://127.0.0.1:${local.address}`, mail: h.mail });
                const { results } = await value<{ results: InviteResult[] }>(admin, 'invitation.inviteUsers', { invitees: [{ email: 'ivy@example.com' }] });
                expect(results[0].outcome).to.equal('created');
                expect(results[0].emailSent).to.equal(false);
                expect(results[0].emailError).to.match(/could not be sent: .*ECONNREFUSED/);
                const listed = await value<{ invitations: InvitationSummary[] }>(admin, 'invitation.list', {});
                expect(listed.invitations.map(i => [i.email, i.emailError !== undefined])).to.deep.equal([['ivy@example.com', true]]);
                // The mail server is back: Resend delivers, and the error goes away.
                await later.start(smtpPort);
                const resent = await value<{ emailSent: boolean }>(admin, 'invitation.resend', { invitationId: listed.invitations[0].invitationId });
                expect(resent.emailSent).to.equal(true);
                expect(await later.forAddress('ivy@example.com')).to.have.length(1);
                expect((await value<{ invitations: InvitationSummary[] }>(admin, 'invitation.list', {})).invitations[0].emailError).to.equal(undefined);
            } finally {
                await local.close();
                await later.close();
                fs.rmSync(downData, { recursive: true, force: true });
            }
        });
    });
}

invitationSuite('SQLite', freshSqliteFile);
invitationSuite('MariaDB', freshMariaDb);

describe('A greeting across two instances sharing MariaDB and Redis', function () {
    this.timeout(30_000);
        let database: TestDatabase;
    const servers: VouchServer[] = [];
    const mail = new MailCatcher();

    before(async () => {
        database = await freshMariaDb();
        for (let i = 0; i < 2; i++) {
            const config = loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, redisUrl: REDIS_URL, publicUrl: 'http://127.0.0.1:0' });
            servers.push(await VouchServer.start({ config, greeting: { reconnectGraceMs: GRACE_MS } }));
        }
    });
    afterEach(() => sockets.splice(0).forEach(socket => socket.close()));
    after(async () => {
        await Promise.all(servers.map(server => server.close()));
        await database?.drop();
    });

    it('host on instance A, guest on instance B: presence, pushes and steps cross; the guest\'s new device connects on A', async () => {
        const [a, b] = servers.map((server): Harness => ({ server, url: `http://127.0.0.1:${server.address}`, mail }));
        const { organizationId, boot, admin } = await organization(a);
        const summary = await invite(admin, 'pat@example.com');
        const token = tokenOf(summary);
        const waiting = nextEvent<GuestWaitingEvent>(admin, 'invitation.guestWaiting');
        const guest = connect(b.url, ANONYMOUS_NAMESPACE);
        const claimed = await value<ClaimedInvitation>(guest, 'invitation.claim', { organizationId, token });
        expect(claimed.greeters.map(greeter => greeter.online)).to.deep.equal([true]);
        expect((await waiting).email).to.equal('pat@example.com');
        const listed = await value<{ invitations: InvitationSummary[] }>(admin, 'invitation.list', {});
        expect(listed.invitations.map(i => i.guestOnline)).to.deep.equal([true]);
        const { attemptId } = await value<{ attemptId: string }>(admin, 'greeting.start', { invitationId: summary.invitationId });
        const { guestDevice } = await scriptedUserGreeting({
            host: { organizationId, rootVerifyKey: boot.rootVerifyKey, device: boot.admin },
            hostChannel: hostChannel(admin, attemptId), guestChannel: guestChannel(guest, attemptId, organizationId, token),
            guest: newGuestKeys('pat@example.com', 'Pat'), email: 'pat@example.com', position: () => nextPosition(admin)
        });
        expect(await users(await connectDevice(a, organizationId, guestDevice))).to.have.members(['alice@example.com', 'pat@example.com']);
    });

    it('the host\'s socket closes on A and comes back on B: A\'s timer ends nothing; gone from B, B ends it and the guest on A is told', async () => {
        const [a, b] = servers.map((server): Harness => ({ server, url: `http://127.0.0.1:${server.address}`, mail }));
        const { organizationId, boot, admin } = await organization(a);
        const hostOnA = await connectDevice(a, organizationId, boot.admin);
        const { guest, attemptId } = await waitingGreeting(a, organizationId, admin, 'quy@example.com', hostOnA);
        hostOnA.close();
        const hostOnB = await connectDevice(b, organizationId, boot.admin);
        await value(hostOnB, 'greeting.hostState', { attemptId });
        expect(await eventWithin(guest, 'greeting.cancelled', GRACE_MS * 2)).to.equal(undefined);
        expect((await request(hostOnB, 'greeting.hostStep', { attemptId, step: 0, payload: toBase64Url(newGreetingNonce()) })).ok).to.equal(true);
        const told = nextEvent<GreetingCancelledEvent>(guest, 'greeting.cancelled', GRACE_MS * 4);
        hostOnB.close();
        expect(await told).to.deep.equal({ attemptId, reason: 'LEFT', by: 'host' });
    });
});
