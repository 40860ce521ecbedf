import { AddressInfo } from 'net';
import { Locator, Page } from 'playwright-core';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DialogPage, UI_TIMEOUT, Workbench } from './workbench';

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

    /** Guest: its details, then Send. */
    async sendDetails(details: { name?: string; deviceLabel: string; password: string }): Promise<void> {
        if (details.name !== undefined) {
            await this.root.locator('#vouch-guest-name').fill(details.name, { timeout: UI_TIMEOUT });
        }
        await this.root.locator('#vouch-guest-device').fill(details.deviceLabel, { timeout: UI_TIMEOUT });
        await this.root.locator('#vouch-guest-password').fill(details.password);
        await this.root.locator('#vouch-guest-password-again').fill(details.password);
        await this.root.locator('.vouch-guest-submit').click();
    }

    /** Host of a device invitation: nothing to correct, only Confirm. */
    async confirmDevice(): Promise<void> {
        await this.root.locator('.vouch-greeting-confirm-button').click({ timeout: UI_TIMEOUT });
    }

    /** Host: the name as the guest sent it, corrected, the profile chosen, then Confirm. */
    async confirm(name: string, profile: string): Promise<string> {
        const input = this.root.locator('#vouch-greeting-name');
        await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
        const sent = await input.inputValue();
        await input.fill(name);
        await this.root.locator('#vouch-greeting-profile').selectOption(profile);
        await this.root.locator('.vouch-greeting-confirm-button').click();
        return sent;
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
}
