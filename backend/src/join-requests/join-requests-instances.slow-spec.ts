import { expect } from 'chai';
import { JoinRequestStatus } from '@vouch/protocol';
import { loadServerConfig } from '../config';
import { VouchServer } from '../server';
import { OIDC_CALLBACK_PATH, SAML_ACS_PATH } from './join-requests-config';
import { bootstrapOrganization, freshMariaDb, makeRequester, request, SocketPool, TestDatabase, value } from '../testing/join-request-fixtures';
import { followRedirects, freePort, startTestOidcProvider, TestOidcProvider } from '../testing/test-oidc-provider';
import { makeTestSamlIdp, postToAcs, TestSamlIdp } from '../testing/test-saml-idp';

/**
 * Two server instances on one MariaDB: the sign-in starts on one and the provider's answer
 * lands on the other (as behind a load balancer). Nothing about it lives in one process.
 */
describe('join sign-ins across two server instances (MariaDB)', function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let first: VouchServer;
    let second: VouchServer;
    let idp: TestOidcProvider;
    let samlIdp: TestSamlIdp;
    let secondUrl: string;
    const firstPool = new SocketPool(() => `http://127.0.0.1:${first.address}`);
    const secondPool = new SocketPool(() => secondUrl);

    before(async () => {
        database = await freshMariaDb();
        const port = await freePort();
        secondUrl = `http://127.0.0.1:${port}`;
        const acsUrl = `${secondUrl}${SAML_ACS_PATH}`;
        const spEntityId = 'https://vouch.test/saml';
        idp = await startTestOidcProvider(`${secondUrl}${OIDC_CALLBACK_PATH}`);
        samlIdp = makeTestSamlIdp('Shared', { entityId: spEntityId, acsUrl });
        // The public URL (where providers send the browser back) is the second instance's for both.
        const joinRequests = {
            trustAnchors: [], crls: [],
            oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUrl: `${secondUrl}${OIDC_CALLBACK_PATH}`, scopes: 'openid email', label: 'IdP' },
            saml: { entryPoint: samlIdp.ssoUrl, idpCertificates: [samlIdp.certificate.pem], spEntityId, acsUrl, label: 'SAML' }
        };
        first = await VouchServer.start({ config: loadServerConfig({}, { port: 0, host: '127.0.0.1', database: database.config, publicUrl: secondUrl, joinRequests }) });
        second = await VouchServer.start({ config: loadServerConfig({}, { port, host: '127.0.0.1', database: database.config, publicUrl: secondUrl, joinRequests }) });
    });
    afterEach(() => {
        firstPool.closeAll();
        secondPool.closeAll();
    });
    after(async () => {
        await first?.close();
        await second?.close();
        await idp?.close();
        await database?.drop();
    });

    it('an OIDC sign-in begun on one instance completes on the other, and a replay there or back is refused', async () => {
        const { organizationId } = await bootstrapOrganization(first, firstPool);
        const requester = makeRequester(organizationId, 'ruth@example.com');
        idp.nextAccount = { sub: 'ruth', email: 'ruth@example.com', email_verified: true };
        const begun = value(await request<{ redirectUrl: string }>(await firstPool.anonymous(), 'joinRequests.begin', { payload: requester.payload, method: 'oidc' }));
        const callback = (await followRedirects(begun.redirectUrl, `${secondUrl}${OIDC_CALLBACK_PATH}`)).toString();
        expect((await followRedirects(callback, `${secondUrl}/?`)).searchParams.get('vouch-join-result')).to.equal('submitted');
        expect((await followRedirects(callback.replace(secondUrl, `http://127.0.0.1:${first.address}`), `${secondUrl}/?`)).searchParams.get('vouch-join-result')).to.equal('JOIN_PROOF_INVALID');
        const status = value(await request<JoinRequestStatus>(await firstPool.anonymous(), 'joinRequests.status', { organizationId, claimSecret: requester.claimSecret }));
        expect(status).to.include({ state: 'pending', method: 'oidc' });
    });

    it('a SAML sign-in begun on one instance is answered on the other; the same response on the first is a replay', async () => {
        const { organizationId } = await bootstrapOrganization(first, firstPool);
        const requester = makeRequester(organizationId, 'sam@example.com');
        const begun = value(await request<{ redirectUrl: string }>(await firstPool.anonymous(), 'joinRequests.begin', { payload: requester.payload, method: 'saml' }));
        const response = await samlIdp.respond(begun.redirectUrl, 'sam@example.com');
        expect((await postToAcs(`${secondUrl}${SAML_ACS_PATH}`, response)).searchParams.get('vouch-join-result')).to.equal('submitted');
        expect((await postToAcs(`http://127.0.0.1:${first.address}${SAML_ACS_PATH}`, response)).searchParams.get('vouch-join-result')).to.equal('JOIN_PROOF_INVALID');
        const status = value(await request<JoinRequestStatus>(await secondPool.anonymous(), 'joinRequests.status', { organizationId, claimSecret: requester.claimSecret }));
        expect(status).to.include({ state: 'pending', method: 'saml' });
    });
});
