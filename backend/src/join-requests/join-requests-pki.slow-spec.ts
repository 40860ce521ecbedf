import { expect } from 'chai';
import {
    anchorFingerprint, CertificateTrustStore, fromBase64Url, generateSigningKeyPair, JoinMethodsInfo, JoinRequestsPage, JoinRequestStatus, LogPosition, PkiProof,
    portableEd25519, signCertificate
} from '@vouch/protocol';
import { anchorsToRecheck, recheckPkiProof } from '@vouch/protocol/lib/join-requests/pki-recheck';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { sendSigned } from '../testing/socket-harness';
import { loadServerConfig } from '../config';
import { VouchServer } from '../server';
import {
    acceptRequest, bootstrapOrganization, code, expectCode, finalize, makeRequester, nextPosition, pendingOf, request, SocketPool, TEST_DATABASES, TestDatabase,
    TestRequester, value
} from '../testing/join-request-fixtures';
import { newUserCertificates } from '../testing/organization-fixtures';
import { issueCrl, issueEcdsaLeaf, issueRsa, makeTestPki, pkiProof, TestPki } from '../testing/test-pki';

function pkiSuite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Join requests proven by PKI, on ${kind}`, function () {
        this.timeout(60_000);
        let database: TestDatabase;
        let server: VouchServer;
        let pki: TestPki;
        let revokedSerial: string;
        let crl: string;
        const pool = new SocketPool(() => `http://127.0.0.1:${server.address}`);

        before(async () => {
            database = await open();
            pki = makeTestPki(kind);
            revokedSerial = '7e57ab';
            crl = await issueCrl(pki.intermediate, [revokedSerial]);
            const config = loadServerConfig({}, {
                port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:1',
                joinRequests: { trustAnchors: [pki.root.pem], crls: [crl] }
            });
            server = await VouchServer.start({ config });
        });
        afterEach(() => pool.closeAll());
        after(async () => {
            await server?.close();
            await database?.drop();
        });

        it('an RSA request through an intermediate: the admin sees the verified identity and accepts, the requester is told, finalizes and connects', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const admin = await pool.device(organizationId, boot.admin);
            const changed = new Promise(resolve => admin.once('joinRequests.changed', resolve));
            const anonymous = await pool.anonymous();
            expect(value(await request<JoinMethodsInfo>(anonymous, 'joinRequests.methods', { organizationId }))).to.deep.equal({ pki: true });

            const carol = makeRequester(organizationId, 'carol@example.com', { name: 'Carol Vance' });
            const submitted = value(await request<JoinRequestStatus>(anonymous, 'joinRequests.submit', { payload: carol.payload, proof: pkiProof(carol.payload, pki.leaf('carol@example.com'), [pki.intermediate]) }));
            expect(submitted).to.include({ state: 'pending', method: 'pki', email: 'carol@example.com' });
            await changed;

            // The requester closes its workbench and comes back: a new socket asks for the status and waits for the decision.
            const requesterSocket = await pool.anonymous();
            expect(value(await request<JoinRequestStatus>(requesterSocket, 'joinRequests.status', { organizationId, claimSecret: carol.claimSecret })).state).to.equal('pending');
            const decided = new Promise<JoinRequestStatus>(resolve => requesterSocket.once('joinRequests.decided', resolve));

            const pending = await pendingOf(admin, 'carol@example.com');
            expect(pending.identity).to.deep.include({ method: 'pki', email: 'carol@example.com', keyType: 'rsa' });
            expect(pending.identity.method === 'pki' && pending.identity.issuerChain).to.deep.equal([`CN=${kind} Issuing CA, O=Vouch Test PKI`, `CN=${kind} Root CA, O=Vouch Test PKI`]);
            expect(pending.identity.method === 'pki' && pending.identity.subject).to.equal('CN=carol@example.com, O=Vouch Test PKI');
            expectCode(await acceptRequest(admin, boot.admin, pending, 'MEMBER', 'Carol V.'), 'ok');

            const status = await decided;
            expect(status.state).to.equal('accepted');
            const carolDevice = await finalize(pool, organizationId, boot.rootVerifyKey, carol, status);
            const info = value(await request<{ profile: string; humanHandle: { label: string; email: string } }>(carolDevice, 'session.info', {}));
            expect(info.profile).to.equal('MEMBER');
            expect(info.humanHandle).to.deep.equal({ email: 'carol@example.com', label: 'Carol V.' });
            expect(value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {})).requests).to.have.length(0);
            // Decided once: a second accept gets a clear answer.
            expectCode(await acceptRequest(admin, boot.admin, pending), 'JOIN_REQUEST_ALREADY_DECIDED');
        });

        it('an ECDSA (P-256) certificate proves a request too', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const dave = makeRequester(organizationId, 'dave@example.com');
            const leaf = await issueEcdsaLeaf({ commonName: 'Dave', email: 'dave@example.com' }, pki.intermediate);
            const anonymous = await pool.anonymous();
            expectCode(await request(anonymous, 'joinRequests.submit', { payload: dave.payload, proof: pkiProof(dave.payload, leaf, [pki.intermediate]) }), 'ok');
            const admin = await pool.device(organizationId, boot.admin);
            const pending = await pendingOf(admin, 'dave@example.com');
            expect(pending.identity).to.deep.include({ keyType: 'ec', subject: 'CN=Dave, O=Vouch Test PKI' });
            expectCode(await acceptRequest(admin, boot.admin, pending, 'ADMINISTRATOR'), 'ok');
        });

        it('refuses expired, untrusted, revoked, tampered, unfit and mismatched proofs, and none reaches an admin', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const anonymous = await pool.anonymous();
            const other = makeTestPki('Elsewhere');
            const email = 'eve@example.com';
            const eve = makeRequester(organizationId, email);
            const expired = pki.leaf(email, { notBefore: new Date(Date.now() - 400 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
            const selfSigned = issueRsa({ commonName: email, email });
            const tampered = { ...eve.payload, name: 'Mallory' };
            const cases: [string, object][] = [
                ['expired', { payload: eve.payload, proof: pkiProof(eve.payload, expired, [pki.intermediate]) }],
                ['untrusted CA', { payload: eve.payload, proof: pkiProof(eve.payload, other.leaf(email), [other.intermediate]) }],
                ['self-signed', { payload: eve.payload, proof: pkiProof(eve.payload, selfSigned) }],
                ['missing intermediate', { payload: eve.payload, proof: pkiProof(eve.payload, pki.leaf(email)) }],
                ['revoked by CRL', { payload: eve.payload, proof: pkiProof(eve.payload, pki.leaf(email, { serial: revokedSerial }), [pki.intermediate]) }],
                ['tampered payload', { payload: tampered, proof: pkiProof(eve.payload, pki.leaf(email), [pki.intermediate]) }],
                ['other email', { payload: eve.payload, proof: pkiProof(eve.payload, pki.leaf('someone@example.com'), [pki.intermediate]) }],
                ['server-only certificate', { payload: eve.payload, proof: pkiProof(eve.payload, pki.leaf(email, { clientAuth: false }), [pki.intermediate]) }],
                ['intermediate used as leaf', { payload: eve.payload, proof: pkiProof(eve.payload, pki.intermediate, [pki.root]) }],
                ['old payload', { payload: { ...eve.payload, timestamp: Date.now() - 3600_000 }, proof: pkiProof({ ...eve.payload, timestamp: Date.now() - 3600_000 }, pki.leaf(email), [pki.intermediate]) }]
            ];
            for (const [what, submission] of cases) {
                const reply = await request(anonymous, 'joinRequests.submit', submission);
                expect(code(reply), what).to.equal('JOIN_PROOF_INVALID');
                // The accepting admin's client, checking on its own with another library, refuses it too.
                const { payload, proof } = submission as { payload: typeof eve.payload; proof: PkiProof };
                if (what !== 'old payload') {
                    expect(await recheckPkiProof(payload, proof, [pki.root.pem], [crl]), what).to.be.a('string');
                }
            }
            expect(await recheckPkiProof(eve.payload, pkiProof(eve.payload, pki.leaf(email), [pki.intermediate]), [pki.root.pem], [crl])).to.equal(undefined);
            const ecLeaf = await issueEcdsaLeaf({ commonName: 'Eve', email }, pki.intermediate);
            expect(await recheckPkiProof(eve.payload, pkiProof(eve.payload, ecLeaf, [pki.intermediate]), [pki.root.pem], [crl])).to.equal(undefined);
            expectCode(await request(anonymous, 'joinRequests.submit', { payload: eve.payload, proof: { method: 'pki', certificates: ['bm90IGEgY2VydGlmaWNhdGU='], signature: 'AAAAAAAAAAAAAAAAAAAAAA' } }), 'JOIN_PROOF_INVALID');
            expectCode(await request(anonymous, 'joinRequests.submit', { payload: { ...eve.payload, email: 'not an email' }, proof: {} }), 'BAD_PAYLOAD');
            const admin = await pool.device(organizationId, boot.admin);
            expect(value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {})).requests).to.deep.equal([]);
            // The server kept serving: the genuine request still goes through.
            expectCode(await request(anonymous, 'joinRequests.submit', { payload: eve.payload, proof: pkiProof(eve.payload, pki.leaf(email), [pki.intermediate]) }), 'ok');
        });

        it('a rejected requester is told; a cancelled request can no longer be accepted', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const admin = await pool.device(organizationId, boot.admin);
            const anonymous = await pool.anonymous();
            const frank = makeRequester(organizationId, 'frank@example.com');
            const grace = makeRequester(organizationId, 'grace@example.com');
            for (const requester of [frank, grace]) {
                expectCode(await request(anonymous, 'joinRequests.submit', { payload: requester.payload, proof: pkiProof(requester.payload, pki.leaf(requester.payload.email), [pki.intermediate]) }), 'ok');
            }
            const frankSocket = await pool.anonymous();
            value(await request(frankSocket, 'joinRequests.status', { organizationId, claimSecret: frank.claimSecret }));
            const decided = new Promise<JoinRequestStatus>(resolve => frankSocket.once('joinRequests.decided', resolve));
            const frankPending = await pendingOf(admin, 'frank@example.com');
            expectCode(await request(admin, 'joinRequests.reject', { requestId: frankPending.requestId }), 'ok');
            expect((await decided).state).to.equal('rejected');
            expect(value(await request<JoinRequestStatus>(anonymous, 'joinRequests.status', { organizationId, claimSecret: frank.claimSecret })).state).to.equal('rejected');
            expectCode(await acceptRequest(admin, boot.admin, frankPending), 'JOIN_REQUEST_ALREADY_DECIDED');

            const gracePending = await pendingOf(admin, 'grace@example.com');
            expect(value(await request<JoinRequestStatus>(anonymous, 'joinRequests.cancel', { organizationId, claimSecret: grace.claimSecret })).state).to.equal('cancelled');
            expectCode(await acceptRequest(admin, boot.admin, gracePending), 'JOIN_REQUEST_ALREADY_DECIDED');
            expectCode(await request(admin, 'joinRequests.reject', { requestId: gracePending.requestId }), 'JOIN_REQUEST_ALREADY_DECIDED');
            expectCode(await request(anonymous, 'joinRequests.cancel', { organizationId, claimSecret: grace.claimSecret }), 'JOIN_REQUEST_ALREADY_DECIDED');
            expectCode(await request(anonymous, 'joinRequests.status', { organizationId, claimSecret: makeRequester(organizationId, 'x@example.com').claimSecret }), 'JOIN_REQUEST_NOT_FOUND');
            expect(value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {})).requests).to.deep.equal([]);
        });

        it('refuses an active member\'s email, and a second request for one email unless it asks to replace the first', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const anonymous = await pool.anonymous();
            const submit = (requester: TestRequester) => request(anonymous, 'joinRequests.submit', {
                payload: requester.payload, proof: pkiProof(requester.payload, pki.leaf(requester.payload.email), [pki.intermediate])
            });
            expectCode(await submit(makeRequester(organizationId, 'alice@example.com')), 'JOIN_REQUEST_EMAIL_TAKEN');
            const first = makeRequester(organizationId, 'henry@example.com', { deviceLabel: 'Old laptop' });
            expectCode(await submit(first), 'ok');
            expectCode(await submit(makeRequester(organizationId, 'henry@example.com')), 'JOIN_REQUEST_ALREADY_PENDING');
            // The same payload again (a replayed submission) is refused too.
            expectCode(await submit(first), 'JOIN_PROOF_INVALID');
            const second = makeRequester(organizationId, 'henry@example.com', { deviceLabel: 'New laptop', replace: true });
            expectCode(await submit(second), 'ok');
            expect(value(await request<JoinRequestStatus>(anonymous, 'joinRequests.status', { organizationId, claimSecret: first.claimSecret })).state).to.equal('replaced');
            const admin = await pool.device(organizationId, boot.admin);
            const pending = value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {})).requests;
            expect(pending.map(request => request.payload.deviceLabel)).to.deep.equal(['New laptop']);
            // Once accepted, the email belongs to an active user.
            expectCode(await acceptRequest(admin, boot.admin, pending[0]), 'ok');
            expectCode(await submit(makeRequester(organizationId, 'henry@example.com', { replace: true })), 'JOIN_REQUEST_EMAIL_TAKEN');
        });

        it('concurrent decisions: of two accepts, or an accept and a reject, exactly one wins and the other is told', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const adminA = await pool.device(organizationId, boot.admin);
            const second = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(adminA), email: 'bob@example.com', label: 'Bob Admin', profile: 'ADMINISTRATOR' });
            expectCode(await request(adminA, 'users.create', second.certificates), 'ok');
            const adminB = await pool.device(organizationId, second.device);
            const anonymous = await pool.anonymous();
            for (let round = 0; round < 4; round++) {
                const requester = makeRequester(organizationId, `race${round}@example.com`);
                expectCode(await request(anonymous, 'joinRequests.submit', { payload: requester.payload, proof: pkiProof(requester.payload, pki.leaf(requester.payload.email), [pki.intermediate]) }), 'ok');
                const pending = await pendingOf(adminA, requester.payload.email);
                const replies = round % 2 === 0
                    ? await Promise.all([acceptRequest(adminA, boot.admin, pending), acceptRequest(adminB, second.device, pending)])
                    : await Promise.all([acceptRequest(adminA, boot.admin, pending), request(adminB, 'joinRequests.reject', { requestId: pending.requestId })]);
                const codes = replies.map(code).sort();
                expect(codes, `round ${round}`).to.deep.equal(['JOIN_REQUEST_ALREADY_DECIDED', 'ok']);
                const status = value(await request<JoinRequestStatus>(anonymous, 'joinRequests.status', { organizationId, claimSecret: requester.claimSecret }));
                // Two accepts: accepted whoever won; accept against reject: what the winner did.
                expect(status.state, `round ${round}`).to.equal(round % 2 === 0 || replies[0].ok ? 'accepted' : 'rejected');
            }
            // Exactly one user per accepted request: no duplicate from the losing accept.
            const users = value(await request<{ users: { humanHandle?: { email: string } }[] }>(adminA, 'users.list', { query: 'race', limit: 50 }));
            const emails = users.users.map(user => user.humanHandle!.email);
            expect(new Set(emails).size).to.equal(emails.length);
            expect(emails).to.include.members(['race0@example.com', 'race2@example.com']);
        });

        it('only Administrators list, accept or reject; the admin must sign exactly the submitted keys', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const admin = await pool.device(organizationId, boot.admin);
            const member = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'ivan@example.com', label: 'Ivan', profile: 'MEMBER' });
            expectCode(await request(admin, 'users.create', member.certificates), 'ok');
            const memberSocket = await pool.device(organizationId, member.device);
            const anonymous = await pool.anonymous();
            const judy = makeRequester(organizationId, 'judy@example.com');
            expectCode(await request(anonymous, 'joinRequests.submit', { payload: judy.payload, proof: pkiProof(judy.payload, pki.leaf('judy@example.com'), [pki.intermediate]) }), 'ok');
            const pending = await pendingOf(admin, 'judy@example.com');
            expectCode(await request(memberSocket, 'joinRequests.list', {}), 'NOT_ALLOWED');
            expectCode(await request(memberSocket, 'joinRequests.reject', { requestId: pending.requestId }), 'NOT_ALLOWED');
            expectCode(await acceptRequest(memberSocket, member.device, pending), 'NOT_ALLOWED');
            // Certificates for other keys than the requester's, or another email, are refused before anything is stored.
            const otherKeys = makeRequester(organizationId, 'judy@example.com');
            expectCode(await acceptRequest(admin, boot.admin, { ...pending, payload: { ...pending.payload, deviceVerifyKey: otherKeys.payload.deviceVerifyKey } }), 'JOIN_REQUEST_MISMATCH');
            expectCode(await acceptRequest(admin, boot.admin, { ...pending, identity: { ...pending.identity, email: 'judith@example.com' } }), 'JOIN_REQUEST_MISMATCH');
            // Certificates the organization refuses (dated an hour ago) change nothing: the request stays pending, and accepting again works.
            expectCode(await acceptRequest(admin, boot.admin, pending, 'MEMBER', undefined, Date.now() - 3600_000), 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK');
            expect(value(await request<JoinRequestStatus>(anonymous, 'joinRequests.status', { organizationId, claimSecret: judy.claimSecret })).state).to.equal('pending');
            expectCode(await acceptRequest(admin, boot.admin, pending, 'ADMINISTRATOR'), 'ok');
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    pkiSuite(kind, open);
}

/**
 * The admin's client re-checks PKI requests against the anchors the organization pinned, not
 * against whatever the server serves: a server that also trusts another CA (misconfigured, or
 * taken over) lets that CA's requests through its own check, and the workbench refuses them.
 */
describe('PKI trust anchors pinned by the organization', function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let server: VouchServer;
    const pki = makeTestPki('Pinned');
    const rogue = makeTestPki('Rogue');
    const pool = new SocketPool(() => `http://127.0.0.1:${server.address}`);

    before(async () => {
        database = await TEST_DATABASES[0][1]();
        server = await VouchServer.start({
            config: loadServerConfig({}, {
                port: 0, host: '127.0.0.1', database: database.config, publicUrl: 'http://127.0.0.1:1',
                joinRequests: { trustAnchors: [pki.root.pem, rogue.root.pem], crls: [] }
            })
        });
    });
    afterEach(() => pool.closeAll());
    after(async () => {
        await server?.close();
        await database?.drop();
    });

    it('only an Administrator pins them; then a request from a CA the server also trusts is refused by the admin\'s own check', async () => {
        const { organizationId, boot } = await bootstrapOrganization(server, pool);
        const admin = await pool.device(organizationId, boot.admin);
        const trust = () => new CertificateTrustStore(fromBase64Url(boot.rootVerifyKey)!, portableEd25519);
        const anonymous = await pool.anonymous();
        for (const [email, from] of [['ana@example.com', pki], ['rex@example.com', rogue]] as const) {
            const requester = makeRequester(organizationId, email);
            expectCode(await request(anonymous, 'joinRequests.submit', { payload: requester.payload, proof: pkiProof(requester.payload, from.leaf(email), [from.intermediate]) }), 'ok');
        }
        const recheck = async () => {
            const page = value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {}));
            const anchors = anchorsToRecheck(page, trust());
            const verdicts = await Promise.all(page.requests.map(async one => [one.payload.email, await recheckPkiProof(one.payload, one.proof!, anchors.anchors, page.crls) ?? 'verified']));
            return { anchors, verdicts: Object.fromEntries(verdicts) };
        };
        // Not pinned: the server's word for both CAs.
        const before = await recheck();
        expect(before.anchors).to.deep.include({ anchors: [pki.root.pem, rogue.root.pem] });
        expect(before.anchors.pinnedBy).to.equal(undefined);
        expect(before.verdicts).to.deep.equal({ 'ana@example.com': 'verified', 'rex@example.com': 'verified' });

        // A Member may not pin; unsorted anchors are refused; an Administrator pins the organization's own root.
        const member = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await nextPosition(admin), email: 'mo@example.com', label: 'Mo', profile: 'MEMBER' });
        expectCode(await request(admin, 'users.create', member.certificates), 'ok');
        const memberSocket = await pool.device(organizationId, member.device);
        const pinContent = (author: string, anchors: string[]) => (position: LogPosition) =>
            ({ certificate: signCertificate({ kind: 'pki_anchors', version: 1, author, ...position, anchors }, (author === boot.admin.deviceId ? boot.admin : member.device).signingKey.secretKey, nodeEd25519) });
        const ours = anchorFingerprint(pki.root.der);
        const theirs = anchorFingerprint(rogue.root.der);
        expectCode(await sendSigned(memberSocket, 'joinRequests.pinAnchors', pinContent(member.device.deviceId, [ours])), 'NOT_ALLOWED');
        expectCode(await sendSigned(admin, 'joinRequests.pinAnchors', pinContent(boot.admin.deviceId, [ours, theirs].sort().reverse())), 'CERTIFICATE_INCONSISTENT');
        expectCode(await sendSigned(admin, 'joinRequests.pinAnchors', pinContent(boot.admin.deviceId, [ours])), 'ok');

        // Pinned: the rogue CA's request passes the server but not the admin's client.
        const after = await recheck();
        expect(after.anchors.anchors).to.deep.equal([pki.root.pem]);
        expect(after.anchors.pinnedBy?.author).to.equal(boot.admin.deviceId);
        expect(after.verdicts['ana@example.com']).to.equal('verified');
        expect(after.verdicts['rex@example.com']).to.match(/does not chain to a trust anchor/);
        // A pin the chain does not vouch for (another organization's root key) is not believed at all.
        const page = value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {}));
        const stranger = new CertificateTrustStore(generateSigningKeyPair().verifyKey, portableEd25519);
        expect(anchorsToRecheck(page, stranger).problem).to.match(/pinned trust anchors do not check out/);
    });
});
