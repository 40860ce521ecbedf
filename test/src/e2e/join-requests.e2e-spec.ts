import { expect } from 'chai';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { parseJoinLink } from '@vouch/protocol';
import { freePort, RunningApp, startApp } from './support/app-process';
import { launchChromium } from './support/chromium';
import { takeScreenshot } from './support/screenshots';
import { IdentityPeers, JoinRequestDialogPage, JoinRequestsView, startIdentityPeers } from './support/join-requests';
import { createOrganizationFromOffer, UI_TIMEOUT, UsersView, Workbench } from './support/workbench';

/**
 * As new people would: an Administrator copies the organization's join request link; three
 * people open it in their own browsers and prove who they are — with a certificate (PKCS#12),
 * by signing in at an OpenID provider, at a SAML IdP (both real, on loopback). The admin sees
 * each with its verified identity; one is accepted and enters the workbench, one is rejected and
 * told, one cancels and disappears from the admin's list.
 */
describe('join requests proven by PKI, OpenID Connect and SAML, seen from both sides', function () {
    this.timeout(240_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'Alice laptop', password: 'correct horse battery' };
    let peers: IdentityPeers | undefined;
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    let host: Workbench;
    let joinLink: string;
    const contexts: BrowserContext[] = [];

    async function requesterPage(): Promise<{ page: Page; workbench: Workbench; dialog: JoinRequestDialogPage }> {
        const context = await browser!.newContext();
        contexts.push(context);
        const page = await context.newPage();
        const workbench = new Workbench(page);
        await workbench.open(joinLink);
        const dialog = new JoinRequestDialogPage(page);
        await dialog.waitForOpen();
        return { page, workbench, dialog };
    }

    before(async () => {
        const port = await freePort();
        peers = await startIdentityPeers(`http://127.0.0.1:${port}`);
        app = await startApp({ port, env: peers.env });
        browser = await launchChromium();
        const context = await browser.newContext();
        contexts.push(context);
        host = new Workbench(await context.newPage());
        await host.open(app.url);
        await createOrganizationFromOffer(host, admin);

        await host.runCommand('Vouch: Copy Join Request Link');
        const notification = host.notification('Join request link copied');
        await notification.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        joinLink = /https?:\/\/\S+vouch-action=join\S+/.exec(await notification.innerText())![0];
        expect(parseJoinLink(joinLink)).to.include({ organizationId: 'MyOrganization', serverUrl: app.url });
    });

    after(async () => {
        for (const context of contexts) {
            await context.close().catch(() => undefined);
        }
        await browser?.close().catch(() => undefined);
        await app?.stop();
        await peers?.close();
    });

    it('PKI: a certificate from a PKCS#12 file; the requester closes and reopens the workbench, the admin accepts, the requester enters', async () => {
        const dora = await requesterPage();
        await dora.dialog.fill({ name: 'Dora Diaz', email: 'dora@example.com', deviceLabel: 'Dora laptop', password: 'dora password 1' }, 'pki');
        const p12 = peers!.pkcs12For('dora@example.com');
        await dora.dialog.choosePkcs12(p12.file, p12.password);
        await dora.dialog.submit();
        await dora.dialog.waitForState('pending');
        expect(await dora.dialog.text()).to.contain('Waiting for an administrator');

        // Closed and opened again (no link in the address any more): the request is still followed.
        await dora.workbench.open(app!.url);
        await dora.dialog.waitForOpen();
        await dora.dialog.waitForState('pending');

        const view = new JoinRequestsView(host);
        await view.open();
        const row = await view.rowText('dora@example.com');
        expect(row).to.contain('PKI: verified');
        expect(row).to.contain('Certificate: CN=dora@example.com');
        expect(row).to.contain('Issued by: CN=E2E Issuing CA');
        await view.accept('dora@example.com', 'MEMBER', 'Dora D. Diaz');

        await dora.dialog.waitForState('accepted');
        await dora.dialog.finish('dora password 1');
        await dora.dialog.waitForClosed();
        await dora.workbench.waitForSessionStatus('MyOrganization: connected');
        const users = new UsersView(dora.workbench);
        await users.root.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await users.rowFor('dora@example.com')).to.deep.include({ name: 'Dora D. Diaz', profile: 'Member' });
        await view.row('dora@example.com').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    });

    it('a certificate from a CA the organization does not trust is refused to the requester and never shown to the admin', async () => {
        const mal = await requesterPage();
        await mal.dialog.fill({ name: 'Mal Ory', email: 'mal@example.com', deviceLabel: 'Mal laptop', password: 'mal password 1' }, 'pki');
        const p12 = peers!.untrustedPkcs12For('mal@example.com');
        await mal.dialog.choosePkcs12(p12.file, p12.password);
        await mal.dialog.submit();
        await mal.dialog.waitForProblem('does not chain to a trust anchor');
        const view = new JoinRequestsView(host);
        await view.open();
        expect(await view.row('mal@example.com').count()).to.equal(0);
    });

    it('OIDC: signs in at the OpenID provider and comes back; the admin sees the verified identity and rejects; the requester is told', async () => {
        const eli = await requesterPage();
        await eli.dialog.fill({ name: 'Eli Evans', email: 'eli@example.com', deviceLabel: 'Eli laptop', password: 'eli password 1' }, 'oidc');
        peers!.oidc.nextAccount = { sub: 'eli-42', email: 'eli@example.com', email_verified: true, name: 'Eli Evans' };
        await eli.dialog.submit();
        // Off to the provider and back to the workbench, which reopens the request.
        await eli.page.waitForURL(url => url.searchParams.get('vouch-action') === 'join-return' || url.pathname === '/', { timeout: UI_TIMEOUT });
        await eli.workbench.waitForShell();
        await eli.dialog.waitForOpen();
        await eli.dialog.waitForState('pending');

        const view = new JoinRequestsView(host);
        await view.open();
        const row = await view.rowText('eli@example.com');
        expect(row).to.contain('OIDC: verified');
        expect(row).to.contain(`Signed in at ${peers!.oidc.issuer} as eli-42 (verified email eli@example.com)`);
        await view.reject('eli@example.com');
        await view.row('eli@example.com').waitFor({ state: 'detached', timeout: UI_TIMEOUT });

        await eli.dialog.waitForState('rejected');
        expect(await eli.dialog.text()).to.contain('An administrator rejected your request.');
    });

    it('SAML: signs in at the IdP and comes back; the admin sees it; the requester cancels and it leaves the admin\'s list', async () => {
        const fay = await requesterPage();
        await fay.dialog.fill({ name: 'Fay Fox', email: 'fay@example.com', deviceLabel: 'Fay laptop', password: 'fay password 1' }, 'saml');
        peers!.saml.nextEmail = 'fay@example.com';
        await fay.dialog.submit();
        await fay.page.waitForURL(url => url.searchParams.get('vouch-action') === 'join-return' || url.pathname === '/', { timeout: UI_TIMEOUT });
        await fay.workbench.waitForShell();
        await fay.dialog.waitForOpen();
        await fay.dialog.waitForState('pending');

        const view = new JoinRequestsView(host);
        await view.open();
        const row = await view.rowText('fay@example.com');
        expect(row).to.contain('SAML: verified');
        expect(row).to.contain(`Signed in at ${peers!.saml.entityId} as fay@example.com`);
        await view.waitForBadge(1);
        // The Administrator, busy elsewhere, was told as the request arrived.
        await host.notification('Fay Fox (fay@example.com) asks to join the organization').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await takeScreenshot(host.page, 'join-requests');

        await fay.dialog.cancelRequest();
        await fay.dialog.root.locator('.vouch-join-problem', { hasText: 'Your request was cancelled.' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await view.row('fay@example.com').waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    });

    it('"Accept all valid" accepts every verified request at once, with one profile', async () => {
        const people = [['gus@example.com', 'Gus Grant'], ['hal@example.com', 'Hal Hunt']];
        const requesters = [];
        for (const [email, name] of people) {
            const requester = await requesterPage();
            await requester.dialog.fill({ name, email, deviceLabel: `${name} laptop`, password: 'a long password' }, 'pki');
            const p12 = peers!.pkcs12For(email);
            await requester.dialog.choosePkcs12(p12.file, p12.password);
            await requester.dialog.submit();
            await requester.dialog.waitForState('pending');
            requesters.push(requester);
        }
        const view = new JoinRequestsView(host);
        await view.open();
        await view.waitForBadge(2);
        await view.acceptAllValid('EXTERNAL');
        for (const [email] of people) {
            await view.row(email).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        }
        for (const requester of requesters) {
            await requester.dialog.waitForState('accepted');
        }
        const users = new UsersView(host);
        await users.open();
        expect(await users.rowFor('gus@example.com')).to.deep.include({ name: 'Gus Grant', profile: 'External' });
        expect(await users.rowFor('hal@example.com')).to.deep.include({ name: 'Hal Hunt', profile: 'External' });
    });
});
