import { expect } from 'chai';
import { JoinMethodsInfo, JoinRequestsPage, JoinRequestStatus } from '@vouch/protocol';
import { loadServerConfig } from '../config';
import { VouchServer } from '../server';
import { SAML_ACS_PATH } from './join-requests-config';
import {
    acceptRequest, bootstrapOrganization, expectCode, finalize, makeRequester, pendingOf, request, SocketPool, TEST_DATABASES, TestDatabase, TestRequester, value
} from '../testing/join-request-fixtures';
import { freePort } from '../testing/test-oidc-provider';
import { editResponse, makeTestSamlIdp, postToAcs, RespondOptions, TestSamlIdp } from '../testing/test-saml-idp';

function samlSuite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Join requests proven by SAML (samlify IdP, @node-saml SP), on ${kind}`, function () {
        this.timeout(60_000);
        let database: TestDatabase;
        let server: VouchServer;
        let idp: TestSamlIdp;
        let publicUrl: string;
        let acsUrl: string;
        const spEntityId = 'https://vouch.test/saml';
        const pool = new SocketPool(() => publicUrl);

        before(async () => {
            database = await open();
            const port = await freePort();
            publicUrl = `http://127.0.0.1:${port}`;
            acsUrl = `${publicUrl}${SAML_ACS_PATH}`;
            idp = makeTestSamlIdp(`${kind} IdP`, { entityId: spEntityId, acsUrl });
            const config = loadServerConfig({}, {
                port, host: '127.0.0.1', database: database.config, publicUrl,
                joinRequests: {
                    trustAnchors: [], crls: [],
                    saml: { entryPoint: idp.ssoUrl, idpCertificates: [idp.certificate.pem], idpIssuer: idp.entityId, spEntityId, acsUrl, label: 'Test SAML' }
                }
            });
            server = await VouchServer.start({ config });
        });
        afterEach(() => pool.closeAll());
        after(async () => {
            await server?.close();
            await database?.drop();
        });

        async function begin(requester: TestRequester): Promise<string> {
            const anonymous = await pool.anonymous();
            const begun = value(await request<{ redirectUrl: string }>(anonymous, 'joinRequests.begin', { payload: requester.payload, method: 'saml' }));
            expect(begun.redirectUrl.startsWith(`${idp.ssoUrl}?SAMLRequest=`)).to.equal(true);
            return begun.redirectUrl;
        }

        async function signIn(requester: TestRequester, email = requester.payload.email, options: RespondOptions = {}): Promise<URL> {
            return postToAcs(acsUrl, await idp.respond(await begin(requester), email, options));
        }

        it('signs in at the IdP, the admin sees the verified identity and accepts, the requester finalizes and connects', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            expect(value(await request<JoinMethodsInfo>(await pool.anonymous(), 'joinRequests.methods', { organizationId }))).to.deep.equal({ pki: false, saml: { label: 'Test SAML' } });
            const nina = makeRequester(organizationId, 'nina@example.com', { name: 'Nina Ross' });
            const back = await signIn(nina);
            expect(Object.fromEntries(back.searchParams)).to.deep.equal({ 'vouch-action': 'join-return', 'vouch-org': organizationId, 'vouch-join-result': 'submitted' });
            const requesterSocket = await pool.anonymous();
            expect(value(await request<JoinRequestStatus>(requesterSocket, 'joinRequests.status', { organizationId, claimSecret: nina.claimSecret }))).to.include({ state: 'pending', method: 'saml' });
            const decided = new Promise<JoinRequestStatus>(resolve => requesterSocket.once('joinRequests.decided', resolve));
            const admin = await pool.device(organizationId, boot.admin);
            const pending = await pendingOf(admin, 'nina@example.com');
            expect(pending.identity).to.deep.equal({ method: 'saml', issuer: idp.entityId, nameId: 'nina@example.com', email: 'nina@example.com' });
            expectCode(await acceptRequest(admin, boot.admin, pending, 'EXTERNAL'), 'ok');
            const status = await decided;
            const device = await finalize(pool, organizationId, boot.rootVerifyKey, nina, status);
            expect(value(await request<{ profile: string }>(device, 'session.info', {})).profile).to.equal('EXTERNAL');
        });

        it('refuses tampered, unsigned, message-only-signed, wrapped, expired, foreign, wrong-audience and replayed assertions; none reaches an admin', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const email = 'omar@example.com';
            const stranger = makeTestSamlIdp('Stranger', { entityId: spEntityId, acsUrl });
            const cases: [string, (requester: TestRequester) => Promise<string>, string][] = [
                ['tampered', async requester => editResponse(await idp.respond(await begin(requester), email), xml => xml.replace(/>omar@example.com</g, '>mallory@example.com<')), 'Invalid signature'],
                ['unsigned', async requester => editResponse(await idp.respond(await begin(requester), email), xml => xml.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '')), 'Invalid signature'],
                ['message signed, assertion not', async requester => idp.respond(await begin(requester), email, { assertionSigned: false }), 'Invalid signature'],
                ['wrapped (forged assertion beside the signed one)', async requester => editResponse(await idp.respond(await begin(requester), email), xml => {
                    const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
                    const forged = assertion.replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/, '').replace(/ID="[^"]+"/, 'ID="_forged"').replace(/>omar@example.com</g, '>mallory@example.com<');
                    return xml.replace(assertion, forged + assertion);
                }), 'multiple assertions'],
                ['expired', async requester => idp.respond(await begin(requester), email, { shiftMs: -3600_000 }), 'No valid subject confirmation'],
                ['signed by another IdP', async requester => stranger.respond(await begin(requester), email), 'Invalid signature'],
                ['wrong audience', async requester => idp.respond(await begin(requester), email, { audience: 'https://elsewhere.test/saml' }), 'audience mismatch'],
                ['another email than requested', async requester => idp.respond(await begin(requester), 'someone-else@example.com'), 'vouched for someone-else@example.com'],
                ['answers no request of ours', async () => idp.respond(await begin(makeRequester(organizationId, email)), email).then(async response => {
                    // The attempt it answered is gone once used: posting it again is a replay.
                    await postToAcs(acsUrl, response);
                    return response;
                }), 'InResponseTo is not valid']
            ];
            for (const [what, make, reason] of cases) {
                const requester = makeRequester(organizationId, email);
                const back = await postToAcs(acsUrl, await make(requester));
                expect(back.searchParams.get('vouch-join-result'), `${what}: ${back.searchParams.get('vouch-join-message')}`).to.equal('JOIN_PROOF_INVALID');
                expect(back.searchParams.get('vouch-join-message'), what).to.contain(reason);
            }
            const admin = await pool.device(organizationId, boot.admin);
            const page = value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {}));
            // Only the one genuine response (posted once inside the last case) made a request.
            expect(page.requests.map(pending => [pending.method, pending.identity.email])).to.deep.equal([['saml', email]]);
            expectCode(await request(admin, 'joinRequests.reject', { requestId: page.requests[0].requestId }), 'ok');

            // A genuine response posted twice: the second is refused.
            const requester = makeRequester(organizationId, email);
            const response = await idp.respond(await begin(requester), email);
            expect((await postToAcs(acsUrl, response)).searchParams.get('vouch-join-result')).to.equal('submitted');
            const replay = await postToAcs(acsUrl, response);
            expect(replay.searchParams.get('vouch-join-result')).to.equal('JOIN_PROOF_INVALID');
        });

        it('beginning twice with the same request (a second tab, a double click) answers both, at once too, and the sign-in completes once', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const rosa = makeRequester(organizationId, 'rosa@example.com');
            await Promise.all([begin(rosa), begin(rosa)]);
            const third = await begin(rosa);
            const back = await postToAcs(acsUrl, await idp.respond(third, rosa.payload.email));
            expect(back.searchParams.get('vouch-join-result')).to.equal('submitted');
            const admin = await pool.device(organizationId, boot.admin);
            expect(value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {})).requests.map(pending => pending.identity.email)).to.deep.equal(['rosa@example.com']);
        });

        it('a SAML request can be cancelled by the requester and is then gone for admins', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const paul = makeRequester(organizationId, 'paul@example.com');
            expect((await signIn(paul)).searchParams.get('vouch-join-result')).to.equal('submitted');
            expect(value(await request<JoinRequestStatus>(await pool.anonymous(), 'joinRequests.cancel', { organizationId, claimSecret: paul.claimSecret })).state).to.equal('cancelled');
            const admin = await pool.device(organizationId, boot.admin);
            expect(value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {})).requests).to.deep.equal([]);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    samlSuite(kind, open);
}
