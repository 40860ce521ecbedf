import * as fs from 'fs';
import * as path from 'path';
import { expect } from 'chai';
import { Socket } from 'socket.io-client';
import {
    ANONYMOUS_EVENT_AUDIENCES, DEVICE_EVENT_AUDIENCES, deviceRequestSchemas, fromBase64Url, InviteResult, JoinRequestStatus, parseInvitationLink, utf8Decode
} from '@vouch/protocol';
import { loadServerConfig } from './config';
import { VouchServer } from './server';
import { guestChannel, hostChannel, newGuestKeys, scriptedUserGreeting } from './testing/greeting-fixtures';
import {
    acceptRequest, bootstrapOrganization, expectCode, makeRequester, pendingOf, request, SocketPool, value
} from './testing/join-request-fixtures';
import { newUserCertificates, TestDevice } from './testing/organization-fixtures';
import { nextPosition, sendSigned, signRevocations, signUserUpdates } from './testing/socket-harness';
import { freshMariaDb, REDIS_URL, TEST_DATABASES, TestDatabase } from './testing/test-databases';
import { makeTestPki, pkiProof, TestPki } from './testing/test-pki';

const RIGHTS_DOC = path.resolve(__dirname, '../../docs/rights.md');

/** Every string in what was received, plus what any base64url string decodes to (certificates carry JSON). */
function readable(values: unknown[]): string[] {
    const texts: string[] = [];
    const visit = (value: unknown): void => {
        if (typeof value === 'string') {
            texts.push(value);
            const bytes = fromBase64Url(value);
            if (bytes && bytes.length > 64) {
                try { texts.push(utf8Decode(bytes.subarray(64))); } catch { /* not text */ }
            }
        } else if (Array.isArray(value)) {
            value.forEach(visit);
        } else if (value && typeof value === 'object') {
            Object.values(value).forEach(visit);
        }
    };
    values.forEach(visit);
    return texts;
}

interface Heard { readonly event: string; readonly args: unknown[] }

function listen(socket: Socket): Heard[] {
    const heard: Heard[] = [];
    socket.onAny((event: string, ...args: unknown[]) => heard.push({ event, args }));
    return heard;
}

function until(heard: Heard[], event: string, count: number, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    return new Promise((resolve, reject) => {
        const look = () => {
            if (heard.filter(one => one.event === event).length >= count) { resolve(); return; }
            if (Date.now() > deadline) { reject(new Error(`heard ${event} fewer than ${count} times`)); return; }
            setTimeout(look, 20);
        };
        look();
    });
}

/** A server with PKI join requests; `adminUrl`/`externalUrl` let the two sides sit on different instances. */
interface Stage {
    readonly admins: SocketPool;
    readonly others: SocketPool;
    readonly server: VouchServer;
    readonly pki: TestPki;
}

async function organizationWithEveryone(stage: Stage) {
    const { organizationId, boot } = await bootstrapOrganization(stage.server, stage.admins);
    const admin = await stage.admins.device(organizationId, boot.admin);
    const create = async (label: string, email: string, profile: 'MEMBER' | 'EXTERNAL' | 'ADMINISTRATOR'): Promise<TestDevice> => {
        const made = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), label, email, profile });
        expectCode(await request(admin, 'users.create', made.certificates), 'ok');
        return made.device;
    };
    const people = {
        admin2: await create('Bea Second', 'bea@example.com', 'ADMINISTRATOR'),
        member: await create('Carl Member', 'carl@example.com', 'MEMBER'),
        external: await create('Erin External', 'erin@example.com', 'EXTERNAL')
    };
    return { organizationId, boot, admin, people };
}

/**
 * Everything the product does, while an External user listens: invitations sent, links opened,
 * a greeting that fails and one that enrols, a device invitation, a cancel, join requests
 * submitted, accepted and rejected, profile changes and revocations.
 */
async function everyFlow(stage: Stage) {
    const { organizationId, boot, admin, people } = await organizationWithEveryone(stage);
    const external = await stage.others.device(organizationId, people.external);
    const heardByExternal = listen(external);
    const control = await stage.others.device(organizationId, people.admin2);
    const heardByAdministrator = listen(control);
    const replies: unknown[] = [];

    // Invitations sent by email, links opened by their guests.
    const { results } = value(await request<{ results: InviteResult[] }>(admin, 'invitation.inviteUsers', {
        invitees: [{ email: 'gus@example.com', profile: 'MEMBER' }, { email: 'hal@example.com' }], sendEmail: false
    }));
    const [gus, hal] = results.map(result => result.invitation!);
    const guest = await stage.others.anonymous();
    const token = parseInvitationLink(gus.link)!.token;
    value(await request(guest, 'invitation.claim', { organizationId, token }));
    value(await request(await stage.others.anonymous(), 'invitation.claim', { organizationId, token: parseInvitationLink(hal.link)!.token }));

    // A greeting that fails on a wrong code, then one that enrols the guest.
    const host = { organizationId, rootVerifyKey: boot.rootVerifyKey, device: boot.admin };
    const failed = value(await request<{ attemptId: string }>(admin, 'greeting.start', { invitationId: gus.invitationId }));
    await scriptedUserGreeting({
        host, hostChannel: hostChannel(admin, failed.attemptId), guestChannel: guestChannel(guest, failed.attemptId, organizationId, token),
        guest: newGuestKeys('gus@example.com', 'Gus Guest', 'Gus laptop'), email: 'gus@example.com', position: () => nextPosition(admin),
        guestPicks: (candidates, right) => candidates.find(code => code !== right)
    }).then(() => { throw new Error('a wrong code enrolled the guest'); }, () => undefined);
    const attempt = value(await request<{ attemptId: string }>(admin, 'greeting.start', { invitationId: gus.invitationId }));
    await scriptedUserGreeting({
        host, hostChannel: hostChannel(admin, attempt.attemptId), guestChannel: guestChannel(guest, attempt.attemptId, organizationId, token),
        guest: newGuestKeys('gus@example.com', 'Gus Guest', 'Gus laptop'), email: 'gus@example.com', position: () => nextPosition(admin)
    });
    expectCode(await request(admin, 'invitation.cancel', { invitationId: hal.invitationId }), 'ok');

    // A Member adds a device of their own; its link is opened.
    const member = await stage.admins.device(organizationId, people.member);
    const device = value(await request<InviteResult>(member, 'invitation.inviteDevice', { sendEmail: false }));
    value(await request(await stage.others.anonymous(), 'invitation.claim', { organizationId, token: parseInvitationLink(device.invitation!.link)!.token }));

    // Join requests: one accepted, one rejected, each requester told.
    const requesterSocket = await stage.others.anonymous();
    for (const [email, name, decide] of [['jo@example.com', 'Jo Joiner', 'accept'], ['kim@example.com', 'Kim Knock', 'reject']] as const) {
        const requester = makeRequester(organizationId, email, { name, deviceLabel: `${name} phone` });
        value(await request<JoinRequestStatus>(requesterSocket, 'joinRequests.submit', { payload: requester.payload, proof: pkiProof(requester.payload, stage.pki.leaf(email), [stage.pki.intermediate]) }));
        value(await request(requesterSocket, 'joinRequests.status', { organizationId, claimSecret: requester.claimSecret }));
        const pending = await pendingOf(admin, email);
        expectCode(decide === 'accept' ? await acceptRequest(admin, boot.admin, pending) : await request(admin, 'joinRequests.reject', { requestId: pending.requestId }), 'ok');
    }

    // Profile changes and a revocation.
    expectCode(await sendSigned(admin, 'users.changeProfiles', at => ({ certificates: signUserUpdates(boot.admin, [{ userId: people.member.userId, profile: 'ADMINISTRATOR' }], at) })), 'ok');
    await until(heardByAdministrator, 'certificates.added', 1);
    expectCode(await sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(boot.admin, [people.admin2.userId], at) })), 'ok');

    // Then the External user asks everything it can, as every request, well-formed or not (its own
    // device invitation among them: the events about it are its own to hear).
    const heardDuringFlows = heardByExternal.length;
    for (const name of Object.keys(deviceRequestSchemas)) {
        replies.push(await request(external, name, {}));
        replies.push(await request(external, name, { rightsProbe: true }));
    }
    replies.push(await request(external, 'users.list', { query: 'carl' }));
    // The revocation's certificates.added is the last event of the script: once heard, everything before it was.
    const expected = heardByExternal.filter(one => one.event === 'certificates.added').length;
    await until(heardByExternal, 'certificates.added', Math.max(expected, 1));
    return { heardByExternal, heardDuringFlows, heardByAdministrator, replies, external };
}

const SECRETS = [
    'Alice Admin', 'alice@example.com', 'Bea Second', 'bea@example.com', 'Carl Member', 'carl@example.com',
    'Gus Guest', 'gus@example.com', 'Gus laptop', 'hal@example.com', 'Jo Joiner', 'jo@example.com', 'Jo Joiner phone',
    'Kim Knock', 'kim@example.com', 'Laptop'
];

function privacySuite(title: string, start: () => Promise<{ stage: Stage; stop(): Promise<void> }>): void {
    describe(title, function () {
        this.timeout(90_000);
        let running: { stage: Stage; stop(): Promise<void> };

        before(async () => {
            running = await start();
        });
        after(async () => {
            running.stage.admins.closeAll();
            running.stage.others.closeAll();
            await running?.stop();
        });

        it('an External user listening through every flow hears only what its audience admits, and nobody else\'s name, email or device label', async () => {
            const { heardByExternal, heardDuringFlows, heardByAdministrator, replies, external } = await everyFlow(running.stage);
            // The events happened: an Administrator heard them.
            const administratorHeard = new Set(heardByAdministrator.map(one => one.event));
            expect([...administratorHeard]).to.include.members(['invitations.changed', 'invitation.guestWaiting', 'joinRequests.changed', 'certificates.added']);
            // While others acted, the External user heard only events whose audience is the whole organization.
            const notForExternal = heardByExternal.slice(0, heardDuringFlows).filter(one => !(DEVICE_EVENT_AUDIENCES[one.event as keyof typeof DEVICE_EVENT_AUDIENCES] as readonly string[] | undefined)?.includes('organization'));
            expect(notForExternal.map(one => one.event)).to.deep.equal([]);
            expect(heardByExternal.filter(one => one.event === 'certificates.added').length).to.be.greaterThan(3);
            const leaks = SECRETS.filter(secret => readable([...heardByExternal, ...replies]).some(text => text.toLowerCase().includes(secret.toLowerCase())));
            expect(leaks).to.deep.equal([]);
            // The External user's own name is theirs to see.
            expect(readable([await request(external, 'session.info', {})]).join()).to.include('Erin External');
        });
    });
}

function stageOn(database: () => Promise<TestDatabase>, instances: number) {
    return async () => {
        const db = await database();
        const pki = makeTestPki('Privacy');
        const servers: VouchServer[] = [];
        for (let i = 0; i < instances; i++) {
            const config = loadServerConfig({}, {
                port: 0, host: '127.0.0.1', database: db.config, publicUrl: 'http://127.0.0.1:1',
                joinRequests: { trustAnchors: [pki.root.pem], crls: [] },
                ...(instances > 1 ? { redisUrl: REDIS_URL } : {})
            });
            servers.push(await VouchServer.start({ config }));
        }
        const url = (server: VouchServer) => () => `http://127.0.0.1:${server.address}`;
        return {
            stage: { admins: new SocketPool(url(servers[0])), others: new SocketPool(url(servers[servers.length - 1])), server: servers[0], pki },
            stop: async () => {
                await Promise.all(servers.map(server => server.close()));
                await db.drop();
            }
        };
    };
}

for (const [kind, open] of TEST_DATABASES) {
    privacySuite(`Privacy of pushed events and replies, on ${kind}`, stageOn(open, 1));
}
privacySuite('Privacy of pushed events and replies, across two instances sharing MariaDB and Redis', stageOn(freshMariaDb, 2));

describe('The audience of every pushed event, written next to its row in docs/rights.md', () => {
    it('names, for each event, exactly the audiences the code pushes it to', () => {
        const doc = fs.readFileSync(RIGHTS_DOC, 'utf8');
        const table = doc.slice(doc.indexOf('## Pushed events'), doc.indexOf('## In the workbench'));
        const rows = new Map<string, string>();
        for (const line of table.split('\n').filter(one => one.startsWith('| `'))) {
            const [events, audience] = line.split('|').slice(1, 3);
            for (const event of events.match(/`[^`]+`/g) ?? []) {
                rows.set(event.slice(1, -1), `${rows.get(event.slice(1, -1)) ?? ''} ${audience}`);
            }
        }
        const everyEvent: [string, readonly string[]][] = [...Object.entries(DEVICE_EVENT_AUDIENCES), ...Object.entries(ANONYMOUS_EVENT_AUDIENCES)];
        const expected = new Map<string, Set<string>>();
        for (const [event, audiences] of everyEvent) {
            audiences.forEach(audience => expected.set(event, new Set([...expected.get(event) ?? [], audience])));
        }
        const wrong: string[] = [];
        for (const [event, audiences] of expected) {
            const written = new Set((rows.get(event) ?? '').match(/`[^`]+`/g)?.map(name => name.slice(1, -1)) ?? []);
            if ([...audiences].some(audience => !written.has(audience)) || [...written].some(audience => !audiences.has(audience))) {
                wrong.push(`${event}: code says ${[...audiences].join(', ')}, docs say ${[...written].join(', ') || 'nothing'}`);
            }
        }
        expect(wrong).to.deep.equal([]);
    });
});
