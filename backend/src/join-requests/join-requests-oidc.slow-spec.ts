import { expect } from 'chai';
import { generateKeyPairSync } from 'crypto';
import { JoinMethodsInfo, JoinRequestsPage, JoinRequestStatus } from '@vouch/protocol';
import { loadServerConfig } from '../config';
import { VouchServer } from '../server';
import { OIDC_CALLBACK_PATH } from './join-requests-config';
import {
    acceptRequest, bootstrapOrganization, expectCode, finalize, makeRequester, pendingOf, request, SocketPool, TEST_DATABASES, TestDatabase, TestRequester, value
} from '../testing/join-request-fixtures';
import { followRedirects, freePort, jwtClaims, signJwt, startTestOidcProvider, TestOidcProvider } from '../testing/test-oidc-provider';

/** Each refusal for its own reason, not some other failure. */
const REASONS: Record<string, string> = {
    'forged claims': 'JWT signature verification failed',
    'signed by another key under the provider\'s key id': 'JWT signature verification failed',
    'expired': 'timestamp',
    'wrong audience': 'unexpected JWT claim value',
    'wrong nonce (bound to other keys)': 'unexpected JWT claim value',
    'unverified email': 'has not verified',
    'another email than requested': 'vouched for someone-else@example.com'
};

function oidcSuite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Join requests proven by OpenID Connect (oidc-provider on loopback), on ${kind}`, function () {
        this.timeout(60_000);
        let database: TestDatabase;
        let server: VouchServer;
        let idp: TestOidcProvider;
        let publicUrl: string;
        const pool = new SocketPool(() => publicUrl);

        before(async () => {
            database = await open();
            const port = await freePort();
            publicUrl = `http://127.0.0.1:${port}`;
            idp = await startTestOidcProvider(`${publicUrl}${OIDC_CALLBACK_PATH}`);
            const config = loadServerConfig({
                VOUCH_OIDC_ISSUER: idp.issuer, VOUCH_OIDC_CLIENT_ID: idp.clientId, VOUCH_OIDC_CLIENT_SECRET: idp.clientSecret, VOUCH_OIDC_LABEL: 'Test IdP'
            }, { port, host: '127.0.0.1', database: database.config, publicUrl });
            server = await VouchServer.start({ config });
        });
        afterEach(() => {
            pool.closeAll();
            idp.tamper = undefined;
        });
        after(async () => {
            await server?.close();
            await idp?.close();
            await database?.drop();
        });

        /** The requester's browser: asks the server where to sign in, signs in, comes back to the workbench. */
        async function signIn(requester: TestRequester, account: { sub: string; email: string; email_verified?: boolean; name?: string }, editUrl = (url: URL) => url): Promise<URL> {
            idp.nextAccount = { email_verified: true, ...account };
            const anonymous = await pool.anonymous();
            const begun = value(await request<{ redirectUrl: string }>(anonymous, 'joinRequests.begin', { payload: requester.payload, method: 'oidc' }));
            const authorization = editUrl(new URL(begun.redirectUrl));
            expect(authorization.searchParams.get('code_challenge_method')).to.equal('S256');
            return followRedirects(authorization.toString(), `${publicUrl}/?`);
        }

        it('signs in at the provider, the admin sees the verified identity and accepts, the requester finalizes and connects', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const anonymous = await pool.anonymous();
            expect(value(await request<JoinMethodsInfo>(anonymous, 'joinRequests.methods', { organizationId }))).to.deep.equal({ pki: false, oidc: { label: 'Test IdP' } });
            const kim = makeRequester(organizationId, 'kim@example.com', { name: 'Kim Lee' });
            const back = await signIn(kim, { sub: 'kim-123', email: 'kim@example.com', name: 'Kim Lee' });
            expect(Object.fromEntries(back.searchParams)).to.deep.equal({ 'vouch-action': 'join-return', 'vouch-org': organizationId, 'vouch-join-result': 'submitted' });

            const requesterSocket = await pool.anonymous();
            expect(value(await request<JoinRequestStatus>(requesterSocket, 'joinRequests.status', { organizationId, claimSecret: kim.claimSecret }))).to.include({ state: 'pending', method: 'oidc' });
            const decided = new Promise<JoinRequestStatus>(resolve => requesterSocket.once('joinRequests.decided', resolve));
            const admin = await pool.device(organizationId, boot.admin);
            const pending = await pendingOf(admin, 'kim@example.com');
            expect(pending.identity).to.deep.equal({ method: 'oidc', issuer: idp.issuer, subject: 'kim-123', email: 'kim@example.com', name: 'Kim Lee' });
            expectCode(await acceptRequest(admin, boot.admin, pending), 'ok');
            const status = await decided;
            expect(status.state).to.equal('accepted');
            const device = await finalize(pool, organizationId, boot.rootVerifyKey, kim, status);
            expect(value(await request<{ profile: string }>(device, 'session.info', {})).profile).to.equal('MEMBER');
        });

        it('refuses forged, re-signed, expired, wrong-audience and wrong-nonce ID tokens, replays and unverified emails; none reaches an admin', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
            const now = () => Math.floor(Date.now() / 1000);
            const cases: [string, ((token: string) => string) | undefined, { email_verified?: boolean; email?: string }, (url: URL) => URL][] = [
                // The provider's signature kept, the claims changed: the signature no longer matches.
                ['forged claims', token => {
                    const [header, , signature] = token.split('.');
                    return `${header}.${Buffer.from(JSON.stringify({ ...jwtClaims(token), email: 'mallory@example.com' })).toString('base64url')}.${signature}`;
                }, {}, url => url],
                ['signed by another key under the provider\'s key id', token => signJwt(jwtClaims(token), attacker), {}, url => url],
                ['expired', token => signJwt({ ...jwtClaims(token), iat: now() - 7200, exp: now() - 3600 }, idp.signingKey), {}, url => url],
                ['wrong audience', token => signJwt({ ...jwtClaims(token), aud: 'another-client' }, idp.signingKey), {}, url => url],
                ['wrong nonce (bound to other keys)', undefined, {}, url => {
                    url.searchParams.set('nonce', 'A'.repeat(43));
                    return url;
                }],
                ['unverified email', undefined, { email_verified: false }, url => url],
                ['another email than requested', undefined, { email: 'someone-else@example.com' }, url => url]
            ];
            for (const [what, tamper, account, editUrl] of cases) {
                idp.tamper = tamper;
                const requester = makeRequester(organizationId, 'lee@example.com');
                const back = await signIn(requester, { sub: 'lee-1', email: 'lee@example.com', ...account }, editUrl);
                expect(back.searchParams.get('vouch-join-result'), `${what}: ${back.searchParams.get('vouch-join-message')}`).to.equal('JOIN_PROOF_INVALID');
                expect(back.searchParams.get('vouch-join-message'), what).to.contain(REASONS[what]);
                expectCode(await request((await pool.anonymous()), 'joinRequests.status', { organizationId, claimSecret: requester.claimSecret }), 'JOIN_REQUEST_NOT_FOUND');
            }
            idp.tamper = undefined;
            // A genuine answer, replayed: the first one counts, the second is refused.
            const requester = makeRequester(organizationId, 'lee@example.com');
            idp.nextAccount = { sub: 'lee-1', email: 'lee@example.com', email_verified: true };
            const begun = value(await request<{ redirectUrl: string }>(await pool.anonymous(), 'joinRequests.begin', { payload: requester.payload, method: 'oidc' }));
            let callback = '';
            await followRedirects(begun.redirectUrl, `${publicUrl}${OIDC_CALLBACK_PATH}`).then(url => { callback = url.toString(); });
            const first = await followRedirects(callback, `${publicUrl}/?`);
            expect(first.searchParams.get('vouch-join-result')).to.equal('submitted');
            const replay = await followRedirects(callback, `${publicUrl}/?`);
            expect(replay.searchParams.get('vouch-join-result')).to.equal('JOIN_PROOF_INVALID');

            const admin = await pool.device(organizationId, boot.admin);
            const page = value(await request<JoinRequestsPage>(admin, 'joinRequests.list', {}));
            expect(page.requests.map(pending => [pending.payload.email, pending.identity.email])).to.deep.equal([['lee@example.com', 'lee@example.com']]);
        });

        it('a request through the provider can be rejected, and the requester is told', async () => {
            const { organizationId, boot } = await bootstrapOrganization(server, pool);
            const max = makeRequester(organizationId, 'max@example.com');
            expect((await signIn(max, { sub: 'max', email: 'max@example.com' })).searchParams.get('vouch-join-result')).to.equal('submitted');
            const requesterSocket = await pool.anonymous();
            value(await request(requesterSocket, 'joinRequests.status', { organizationId, claimSecret: max.claimSecret }));
            const decided = new Promise<JoinRequestStatus>(resolve => requesterSocket.once('joinRequests.decided', resolve));
            const admin = await pool.device(organizationId, boot.admin);
            expectCode(await request(admin, 'joinRequests.reject', { requestId: (await pendingOf(admin, 'max@example.com')).requestId }), 'ok');
            expect((await decided).state).to.equal('rejected');
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    oidcSuite(kind, open);
}
