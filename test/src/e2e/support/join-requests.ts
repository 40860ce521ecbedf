import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { Locator, Page } from 'playwright-core';
import { makeTestPki, pkcs12 } from '@vouch/server/lib/testing/test-pki';
import { startTestOidcProvider, TestOidcProvider } from '@vouch/server/lib/testing/test-oidc-provider';
import { makeTestSamlIdp, TestSamlIdp } from '@vouch/server/lib/testing/test-saml-idp';
import { DialogPage, UI_TIMEOUT, Workbench } from './workbench';

/** Real identity peers on loopback for the app: a test CA, an OpenID provider, a SAML IdP that answers over HTTP. */
export interface IdentityPeers {
    /** Environment that points the app's server at them. */
    readonly env: Record<string, string>;
    readonly oidc: TestOidcProvider;
    readonly saml: TestSamlIdp & { nextEmail: string };
    /** A PKCS#12 file holding a certificate for `email`, and its password. */
    pkcs12For(email: string): { file: string; password: string };
    /** The same from a CA the organization does not trust. */
    untrustedPkcs12For(email: string): { file: string; password: string };
    close(): Promise<void>;
}

export async function startIdentityPeers(appUrl: string): Promise<IdentityPeers> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-e2e-identity-'));
    const pki = makeTestPki('E2E');
    const stranger = makeTestPki('Stranger');
    fs.writeFileSync(path.join(dir, 'anchors.pem'), pki.root.pem);
    const oidc = await startTestOidcProvider(`${appUrl}/vouch/join/oidc/callback`);
    const samlServer = http.createServer();
    await new Promise<void>(resolve => samlServer.listen(0, '127.0.0.1', resolve));
    const ssoUrl = `http://127.0.0.1:${(samlServer.address() as AddressInfo).port}/sso`;
    const acsUrl = `${appUrl}/vouch/join/saml/acs`;
    const spEntityId = `${appUrl}/vouch/join/saml`;
    const saml = Object.assign(makeTestSamlIdp('E2E', { entityId: spEntityId, acsUrl }, ssoUrl), { nextEmail: 'nobody@example.com' });
    fs.writeFileSync(path.join(dir, 'idp.pem'), saml.certificate.pem);
    // The IdP's page: signs the person in at once and posts the answer back, as a browser form does.
    samlServer.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
        saml.respond(new URL(request.url ?? '/', ssoUrl).toString(), saml.nextEmail).then(samlResponse => {
            response.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><html><body><form method="post" action="${acsUrl}">` +
                `<input type="hidden" name="SAMLResponse" value="${samlResponse}"/></form><script>document.forms[0].submit()</script></body></html>`);
        }, error => response.writeHead(400).end(String(error)));
    });
    return {
        env: {
            VOUCH_PKI_TRUST_ANCHORS: path.join(dir, 'anchors.pem'),
            VOUCH_OIDC_ISSUER: oidc.issuer, VOUCH_OIDC_CLIENT_ID: oidc.clientId, VOUCH_OIDC_CLIENT_SECRET: oidc.clientSecret, VOUCH_OIDC_LABEL: 'Test OpenID',
            VOUCH_SAML_ENTRY_POINT: ssoUrl, VOUCH_SAML_IDP_CERT: path.join(dir, 'idp.pem'), VOUCH_SAML_IDP_ISSUER: saml.entityId, VOUCH_SAML_LABEL: 'Test SAML'
        },
        oidc, saml,
        pkcs12For(email) {
            const file = path.join(dir, `${email}.p12`);
            fs.writeFileSync(file, pkcs12(pki.leaf(email), [pki.intermediate], 'p12 secret'));
            return { file, password: 'p12 secret' };
        },
        untrustedPkcs12For(email) {
            const file = path.join(dir, `untrusted-${email}.p12`);
            fs.writeFileSync(file, pkcs12(stranger.leaf(email), [stranger.intermediate], 'p12 secret'));
            return { file, password: 'p12 secret' };
        },
        async close() {
            await oidc.close();
            samlServer.closeAllConnections();
            await new Promise(resolve => samlServer.close(resolve));
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
}

export interface JoinFormInput {
    readonly name: string;
    readonly email: string;
    readonly deviceLabel: string;
    readonly password: string;
}

/** The requester's dialog. */
export class JoinRequestDialogPage extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-join-dialog');
    }

    async fill(form: JoinFormInput, method: 'pki' | 'oidc' | 'saml'): Promise<void> {
        await this.root.locator('#vouch-join-name').fill(form.name);
        await this.root.locator('#vouch-join-email').fill(form.email);
        await this.root.locator('#vouch-join-device').fill(form.deviceLabel);
        await this.root.locator('#vouch-join-password').fill(form.password);
        await this.root.locator('#vouch-join-confirm').fill(form.password);
        await this.root.locator(`input[name="vouch-join-method"][value="${method}"]`).check();
    }

    async choosePkcs12(file: string, password: string): Promise<void> {
        await this.root.locator('#vouch-join-pki-files').setInputFiles(file);
        await this.root.locator('#vouch-join-pki-password').fill(password);
    }

    async waitForProblem(text: string): Promise<void> {
        await this.root.locator('.vouch-join-problem', { hasText: text }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async submit(): Promise<void> {
        await this.root.locator('.vouch-join-submit').click();
    }

    async waitForState(state: string): Promise<void> {
        await this.root.locator(`.vouch-join-waiting[data-state="${state}"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async text(): Promise<string> {
        return (await this.root.locator('.dialogContent').innerText()).trim();
    }

    async finish(password: string): Promise<void> {
        await this.root.locator('#vouch-join-finalize-password').fill(password);
        await this.root.locator('.vouch-join-finalize').click();
    }

    async cancelRequest(): Promise<void> {
        await this.root.locator('.vouch-join-cancel').click();
    }
}

/** The Administrator's "Join Requests" part. */
export class JoinRequestsView {
    constructor(readonly workbench: Workbench) { }

    get root(): Locator {
        return this.workbench.page.locator('.vouch-join-requests');
    }

    async open(): Promise<void> {
        await this.workbench.runCommand('Vouch: Show Join Requests');
        await this.root.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    row(email: string): Locator {
        return this.root.locator(`.vouch-join-request-row[data-email="${email}"]`);
    }

    async rowText(email: string): Promise<string> {
        const row = this.row(email);
        await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return row.innerText();
    }

    async accept(email: string, profile: string, name?: string): Promise<void> {
        await this.row(email).locator('.vouch-accept-request').click();
        const dialog = new DialogPage(this.workbench.page, 'vouch-accept-join-dialog');
        await dialog.waitForOpen();
        if (name !== undefined) {
            await dialog.root.locator('#vouch-accept-name').fill(name);
        }
        await dialog.root.locator('#vouch-accept-profile').selectOption(profile);
        await dialog.accept();
        await dialog.waitForClosed();
    }

    async acceptAllValid(profile: string): Promise<void> {
        await this.root.locator('.vouch-accept-all').click();
        const dialog = new DialogPage(this.workbench.page, 'vouch-accept-join-dialog');
        await dialog.waitForOpen();
        await dialog.root.locator('#vouch-accept-profile').selectOption(profile);
        await dialog.accept();
        await dialog.waitForClosed();
    }

    async reject(email: string): Promise<void> {
        await this.row(email).locator('.vouch-reject-request').click();
        await this.workbench.clickNotificationAction(`Reject the request of ${email}?`, 'Reject');
    }

    /** Waits until the count badge on the part's title in the view container reads `count`. */
    async waitForBadge(count: number): Promise<void> {
        const part = this.workbench.page.locator('.part', { has: this.workbench.page.locator('.vouch-join-requests') });
        await part.locator('.notification-count', { hasText: new RegExp(`^${count}$`) }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }
}
