import { AddressInfo } from 'net';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { RunningApp, startApp } from './app-process';
import { launchChromium } from './chromium';
import { createOrganizationFromOffer, DialogPage, NewOrganizationForm, UI_TIMEOUT, Workbench } from './workbench';

/** An app, Chromium, and its first Administrator (the host) in a workbench of their own; guests open pages of their own. */
export interface GreetingStage {
    readonly app: RunningApp;
    readonly host: Workbench;
    /** A fresh browser profile opened on `url`: a guest's, or a second device's. */
    open(url: string): Promise<Workbench>;
    close(): Promise<void>;
}

export async function startGreetingStage(admin: NewOrganizationForm, options: {
    /** Extra environment for the app (e.g. VOUCH_SMTP_URL). */ env?: Record<string, string>;
    /** Permissions of the host's profile (the clipboard, to copy and paste as a person does). */ hostPermissions?: string[];
} = {}): Promise<GreetingStage> {
    const contexts: BrowserContext[] = [];
    let app: RunningApp | undefined;
    let browser: Browser | undefined;
    const close = async () => {
        for (const context of contexts) {
            await context.close().catch(() => undefined);
        }
        await browser?.close().catch(() => undefined);
        await app?.stop();
    };
    const newPage = async (permissions?: string[]): Promise<Page> => {
        const context = await browser!.newContext(permissions ? { permissions } : {});
        contexts.push(context);
        return context.newPage();
    };
    try {
        app = await startApp({ env: options.env });
        browser = await launchChromium();
        const host = new Workbench(await newPage(options.hostPermissions));
        await host.open(app.url);
        await createOrganizationFromOffer(host, admin);
        return {
            app, host, close,
            async open(url) {
                const workbench = new Workbench(await newPage());
                await workbench.open(url);
                return workbench;
            }
        };
    } catch (error) {
        await close();
        throw error;
    }
}

/** A real SMTP receiver on loopback; each message parsed as a mail client reads it. */
export class MailReceiver {
    readonly messages: ParsedMail[] = [];
    readonly server = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onData: (stream, _session, callback) => {
            simpleParser(stream).then(mail => { this.messages.push(mail); callback(); }, callback);
        }
    });

    async start(): Promise<string> {
        await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', () => resolve()));
        return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
    }

    async messageTo(address: string): Promise<ParsedMail> {
        const deadline = Date.now() + UI_TIMEOUT;
        while (Date.now() < deadline) {
            const found = this.messages.find(mail => mail.to && !Array.isArray(mail.to) && mail.to.value.some(to => to.address === address));
            if (found) { return found; }
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        throw new Error(`No email to ${address}`);
    }

    close(): Promise<void> {
        return new Promise(resolve => this.server.close(() => resolve()));
    }
}

/** "Vouch: Invite User": addresses typed as a column, a profile proposed per address. */
export class InviteUsersDialog extends DialogPage {
    constructor(page: Page) {
        super(page, 'vouch-invite-dialog');
    }

    async invite(addresses: readonly string[], profiles: Record<string, string> = {}): Promise<void> {
        await this.root.locator('#vouch-invite-addresses').fill(addresses.join('\n'));
        for (const [email, profile] of Object.entries(profiles)) {
            await this.root.locator(`tr[data-email="${email}"] select`).selectOption(profile);
        }
        await this.accept();
        await this.waitForClosed();
    }

    /** Pastes text from the clipboard into the addresses, as a person pastes a spreadsheet selection (Ctrl+V). */
    async paste(text: string): Promise<void> {
        const box = this.root.locator('#vouch-invite-addresses');
        await box.focus();
        await this.page.evaluate(async pasted => navigator.clipboard.writeText(pasted), text);
        await this.page.keyboard.press('Control+V');
        await this.page.waitForFunction(() => (document.querySelector('#vouch-invite-addresses') as HTMLTextAreaElement | null)?.value.includes('@'), undefined,
            { timeout: UI_TIMEOUT });
    }

    /** The rows the dialog will invite: address and the name read beside it. */
    async rows(): Promise<{ email: string; name: string }[]> {
        await this.root.locator('.vouch-invite-table tbody tr').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return this.root.locator('.vouch-invite-table tbody tr').evaluateAll(rows => rows.map(row => ({
            email: row.getAttribute('data-email') ?? '', name: (row.querySelector('.vouch-invite-name') as HTMLElement | null)?.innerText ?? ''
        })));
    }
}

/** Either side's greeting dialog: its own code, the candidates to pick from, the outcome. */
export class GreetingDialog extends DialogPage {
    constructor(page: Page, side: 'host' | 'guest') {
        super(page, side === 'host' ? 'vouch-host-greeting' : 'vouch-guest-greeting');
    }

    async ownCode(): Promise<string> {
        const code = this.root.locator('.vouch-own-code');
        await code.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return (await code.getAttribute('data-code', { timeout: UI_TIMEOUT }))!;
    }

    async candidates(): Promise<string[]> {
        const first = this.root.locator('.vouch-code-candidate').first();
        await first.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return this.root.locator('.vouch-code-candidate').evaluateAll(buttons => buttons.map(button => button.getAttribute('data-code')!));
    }

    async pick(code: string): Promise<void> {
        await this.root.locator(`.vouch-code-candidate[data-code="${code}"]`).click({ timeout: UI_TIMEOUT });
    }

    async waitForText(text: string): Promise<void> {
        await this.root.locator('.dialogContent', { hasText: text }).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async close(): Promise<void> {
        await this.root.locator('.dialogControl button', { hasText: 'Close' }).click({ timeout: UI_TIMEOUT });
        await this.waitForClosed();
    }

    /** The dialog's own primary button, by its label (Confirm, Send, Greet again). */
    async clickPrimary(label: string): Promise<void> {
        await this.root.locator('.dialogControl button.vouch-greeting-primary', { hasText: label }).click({ timeout: UI_TIMEOUT });
    }

    /** Guest: its details, then Send. */
    async sendDetails(details: { name?: string; deviceLabel: string; password: string }): Promise<void> {
        if (details.name !== undefined) {
            await this.root.locator('#vouch-guest-name').fill(details.name, { timeout: UI_TIMEOUT });
        }
        await this.root.locator('#vouch-guest-device').fill(details.deviceLabel, { timeout: UI_TIMEOUT });
        await this.root.locator('#vouch-guest-password').fill(details.password);
        await this.root.locator('#vouch-guest-password-again').fill(details.password);
        await this.clickPrimary('Send');
    }

    /** Guest: what its name field holds when the form appears. */
    async nameField(): Promise<string> {
        const input = this.root.locator('#vouch-guest-name');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return input.inputValue();
    }

    /** Host of a device invitation: nothing to correct, only Confirm. */
    async confirmDevice(): Promise<void> {
        await this.clickPrimary('Confirm');
    }

    /** Host: the name as the guest sent it, corrected, the profile chosen, then Confirm. */
    async confirm(name: string, profile: string): Promise<string> {
        const input = this.root.locator('#vouch-greeting-name');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const sent = await input.inputValue();
        await input.fill(name);
        await this.root.locator('#vouch-greeting-profile').selectOption(profile);
        await this.clickPrimary('Confirm');
        return sent;
    }

    /** The buttons of the dialog's own button row that a person sees. */
    async controls(): Promise<string[]> {
        return this.root.locator('.dialogControl button:visible').allInnerTexts();
    }
}

/** The Invitations part of the "Invitations & Join Requests" view. */
export class InvitationsView {
    readonly root: Locator;

    constructor(readonly workbench: Workbench) {
        this.root = workbench.page.locator('#vouch-invitations');
    }

    async open(): Promise<void> {
        await this.workbench.runCommand('Vouch: Show Invitations');
        await this.root.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    row(email: string): Locator {
        return this.root.locator(`.vouch-invitation-row[data-email="${email}"]`);
    }

    async waitForOnline(email: string): Promise<void> {
        await this.root.locator(`.vouch-invitation-row[data-email="${email}"][data-online="true"]`).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    }

    async greet(email: string): Promise<void> {
        await this.row(email).locator('.vouch-greet').click({ timeout: UI_TIMEOUT });
    }

    /** The row's inline icons, by their titles, in order. */
    async inlineActions(email: string): Promise<string[]> {
        const row = this.row(email);
        await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        return row.locator('.vouch-inline-action').evaluateAll(buttons => buttons.map(button => button.getAttribute('title') ?? ''));
    }

    /** The row's context menu (right click), by its items' labels. */
    async contextMenu(email: string): Promise<string[]> {
        await this.row(email).click({ button: 'right', timeout: UI_TIMEOUT });
        const menu = this.workbench.page.locator('.lm-Menu');
        await menu.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const items = await menu.locator('.lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel').allInnerTexts();
        // Closed as a person closes it: a click elsewhere.
        await this.workbench.page.mouse.click(700, 600);
        await menu.first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
        return items.filter(item => item.trim().length > 0);
    }

    /** What the view says about where invitation emails go. */
    async mailLabel(): Promise<string> {
        return this.root.locator('.vouch-invitations-mail').innerText({ timeout: UI_TIMEOUT });
    }
}
