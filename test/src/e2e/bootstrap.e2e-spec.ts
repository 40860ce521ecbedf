import { expect } from 'chai';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { portIsFree, RunningApp, startApp } from './support/app-process';
import { launchChromium } from './support/chromium';
import { GreetingDialog } from './support/greeting';
import { printedBootstrapLink } from './support/organization-script';
import { CreateOrganizationDialog, UI_TIMEOUT, UnlockDialog, UsersView, Workbench } from './support/workbench';

/**
 * A person opens a fresh Vouch, creates the organization the embedded server offers, sees
 * themselves as its Administrator, reloads, unlocks their device (after one wrong password)
 * and finds the same organization again.
 */
describe('bootstrap an organization in the browser app', function () {
    this.timeout(120_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'E2E laptop', password: 'correct horse battery' };
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    let page: Page;
    let workbench: Workbench;

    before(async () => {
        app = await startApp();
        browser = await launchChromium();
        page = await browser.newPage();
        workbench = new Workbench(page);
    });

    after(async () => {
        await browser?.close().catch(() => undefined);
        if (app) {
            await app.stop();
            expect(await portIsFree(app.port), `port ${app.port} still in use after stop`).to.equal(true);
        }
    });

    it('opens Create Organization on its first field, says what an empty form misses, and Escape closes it before the notification', async () => {
        await workbench.open(app!.url);
        const offer = workbench.notification('waiting for its first Administrator');
        await offer.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await workbench.runCommand('Vouch: Create Organization');
        const dialog = new CreateOrganizationDialog(page);
        await dialog.waitForOpen();
        expect(await dialog.focusedElement()).to.equal('vouch-bootstrap-name');

        await dialog.root.locator('.dialogControl button.main').click();
        await dialog.waitForError('Fill in: Your name, Your email, This device, Password protecting this device');
        // It stays said: the form is not valid until filled in.
        await page.waitForTimeout(300);
        await dialog.waitForError('Fill in: Your name');
        expect(await dialog.root.locator('#vouch-bootstrap-email').getAttribute('aria-invalid')).to.equal('true');

        // With the offer still on screen, the first Escape is the dialog's.
        await dialog.root.locator('#vouch-bootstrap-name').focus();
        await page.keyboard.press('Escape');
        await dialog.waitForClosed();
        expect(await offer.isVisible()).to.equal(true);
    });

    it('creates the organization from the offer and lists its Administrator', async () => {
        await workbench.clickNotificationAction('waiting for its first Administrator', 'Create Organization');
        const dialog = new CreateOrganizationDialog(page);
        await dialog.waitForOpen();
        await dialog.fill(admin);
        await dialog.accept();
        await dialog.waitForClosed();
        await workbench.waitForSessionStatus('MyOrganization: connected');

        const users = new UsersView(workbench);
        await users.open();
        expect(await users.rowFor(admin.email)).to.deep.equal({ name: admin.name, email: admin.email, profile: 'Administrator', status: 'Active' });

        await users.select(admin.email);
        expect(await users.isSelected(admin.email)).to.equal(true);
        await users.filter('nobody-by-that-name');
        await users.waitForNoMatch();
        await users.filter('alice');
        expect(await users.rowFor(admin.email)).to.deep.include({ name: admin.name });
    });

    it('registers each Vouch command once (the log has no "is already registered")', async () => {
        // The frontend logger forwards to the backend's output; every command was registered by now.
        await workbench.runCommand('Vouch: Show Users');
        const twice = app!.output().split('\n').filter(line => /A command vouch\.\S+ is already registered/.test(line));
        expect(twice).to.deep.equal([]);
    });

    it('asks for the password after a reload, refuses a wrong one, and reconnects with the right one', async () => {
        await workbench.reload();
        const unlock = new UnlockDialog(page);
        await unlock.waitForOpen();
        await workbench.waitForSessionStatus('MyOrganization: locked');

        await unlock.unlockWith('not the password');
        await unlock.waitForError('Wrong password');

        await unlock.unlockWith(admin.password);
        await unlock.waitForClosed();
        await workbench.waitForSessionStatus('MyOrganization: connected');

        const users = new UsersView(workbench);
        await users.open();
        expect(await users.rowFor(admin.email)).to.deep.include({ name: admin.name, profile: 'Administrator' });
    });

    it('reconnects by itself, with a fresh challenge, when the server restarts', async () => {
        await app!.halt();
        await workbench.waitForSessionStatus('MyOrganization: reconnecting');
        await app!.relaunch();
        await workbench.waitForSessionStatus('MyOrganization: connected');
        expect(await new UsersView(workbench).rowFor(admin.email)).to.deep.include({ name: admin.name, profile: 'Administrator' });
    });
});

/**
 * What a newcomer met once the organization existed: an offer to create it that stayed on
 * screen and failed when clicked, a used link that showed the whole form before saying no, the
 * token left in the address bar, and "Create Organization" in the palette of people with
 * nothing to create.
 */
describe('the bootstrap offer holds only while the organization waits for its first Administrator', function () {
    this.timeout(180_000);

    const admin = { name: 'Alice Admin', email: 'alice@example.com', deviceLabel: 'E2E laptop', password: 'correct horse battery' };
    const OFFER = 'waiting for its first Administrator';
    const EXISTS = 'The organization MyOrganization already exists';
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    let bootstrapLink: string;
    const contexts: BrowserContext[] = [];

    /** Another browser profile (its own IndexedDB), opened at `url`. */
    async function person(url: string): Promise<Workbench> {
        const context = await browser!.newContext();
        contexts.push(context);
        const workbench = new Workbench(await context.newPage());
        await workbench.open(url);
        return workbench;
    }

    function vouchParameters(page: Page): string[] {
        return [...new URL(page.url()).searchParams.keys()].filter(name => name.startsWith('vouch-'));
    }

    before(async () => {
        app = await startApp();
        browser = await launchChromium();
        bootstrapLink = printedBootstrapLink(app.output());
    });

    after(async () => {
        for (const context of contexts) {
            await context.close().catch(() => undefined);
        }
        await browser?.close().catch(() => undefined);
        await app?.stop();
    });

    let alice: Workbench;
    let latecomer: Workbench;

    it('a followed bootstrap link opens Create at once and leaves the address bar', async () => {
        const follower = await person(bootstrapLink);
        const create = new CreateOrganizationDialog(follower.page);
        await create.waitForOpen();
        expect(vouchParameters(follower.page)).to.deep.equal([]);
        expect(await follower.notification(OFFER).count(), 'no offer next to the dialog').to.equal(0);
        await create.root.locator('.dialogControl button', { hasText: 'Cancel' }).click({ timeout: UI_TIMEOUT });
        await create.waitForClosed();
    });

    it('takes the offer back once the organization exists, in the palette too', async () => {
        alice = await person(app!.url);
        latecomer = await person(app!.url);
        await alice.notification(OFFER).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await latecomer.notification(OFFER).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await alice.paletteOffers('Vouch: Create Organization')).to.equal(true);

        await alice.runCommand('Vouch: Create Organization');
        const create = new CreateOrganizationDialog(alice.page);
        await create.waitForOpen();
        await create.fill(admin);
        await create.accept();
        await create.waitForClosed();
        await alice.waitForSessionStatus('MyOrganization: connected');
        await alice.notification('The organization MyOrganization is ready').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        await alice.notification(OFFER).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        expect(await alice.paletteOffers('Vouch: Create Organization'), 'a device already enrolled has nothing to create').to.equal(false);
    });

    it('an offer left open elsewhere says at once that the organization exists when clicked', async () => {
        await latecomer.clickNotificationAction(OFFER, 'Create Organization');
        await latecomer.notification(EXISTS).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await new CreateOrganizationDialog(latecomer.page).root.count()).to.equal(0);
        expect(await latecomer.paletteOffers('Vouch: Create Organization')).to.equal(false);
    });

    it('the used bootstrap link, opened elsewhere, says so before any form', async () => {
        const follower = await person(bootstrapLink);
        await follower.notification(EXISTS).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        expect(await new CreateOrganizationDialog(follower.page).root.count()).to.equal(0);
        expect(vouchParameters(follower.page)).to.deep.equal([]);
        expect(await follower.paletteOffers('Vouch: Create Organization')).to.equal(false);
    });

    it('a guest of the organization is not offered to create it', async () => {
        await alice.runCommand('Vouch: Add a Device');
        const notice = alice.notification('Open this link on the new device');
        await notice.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const claimLink = /https?:\/\/\S+vouch-action=claim\S+/.exec(await notice.innerText())![0];
        const guest = await person(claimLink);
        const waiting = new GreetingDialog(guest.page, 'guest');
        await waiting.waitForOpen();
        expect(vouchParameters(guest.page)).to.deep.equal([]);
        await waiting.close();
        expect(await guest.notification(OFFER).count()).to.equal(0);
        expect(await guest.paletteOffers('Vouch: Create Organization')).to.equal(false);
    });
});
