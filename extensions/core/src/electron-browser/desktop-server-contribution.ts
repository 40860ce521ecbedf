import { Command, CommandContribution, CommandRegistry, ILogger } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { readServerAnswer } from '../common/desktop-server-answer';
import { VouchServerLocation } from '../browser/vouch-server-location';
import { DesktopServerChoice } from './desktop-server-choice';
import { DesktopServerDialog } from './desktop-server-dialog';

export const DesktopServerCommands = {
    CHOOSE_SERVER: Command.toLocalizedCommand({ id: 'vouch.desktop.chooseServer', label: 'Connect to an Organization Server…', category: 'Vouch' },
        'vouch/desktop/chooseServer')
};

/** Asks on first run where the organization's server is; "Vouch: Connect to an Organization Server…" asks again. */
@injectable()
export class DesktopServerContribution implements FrontendApplicationContribution, CommandContribution {
    @inject(DesktopServerChoice) protected readonly choice: DesktopServerChoice;
    @inject(VouchServerLocation) protected readonly location: VouchServerLocation;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected dialog?: DesktopServerDialog;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(DesktopServerCommands.CHOOSE_SERVER, {
            execute: () => this.ask(),
            isEnabled: () => !this.dialog
        });
    }

    onStart(): void {
        this.choice.needsServer().then(needed => needed ? this.ask() : undefined)
            .catch(error => this.logger.error('Could not ask for the organization server', error));
    }

    protected async ask(): Promise<void> {
        if (this.dialog) {
            return;
        }
        const dialog = this.dialog = new DesktopServerDialog(async typed => {
            const answer = readServerAnswer(typed);
            if (answer.kind === 'server') {
                await this.choice.useServer(answer.serverUrl);
            } else if (answer.kind === 'link') {
                // The dialog closes first: the link's own dialog follows.
                this.choice.openLink(answer.link).catch(error => this.logger.error('Could not open the link', error));
            }
            return undefined;
        });
        // A link from the operating system while the question is open answers it.
        const answered = this.location.onDidChange(server => server.source !== 'page' && dialog.close());
        try {
            await dialog.open();
        } finally {
            answered.dispose();
            this.dialog = undefined;
        }
    }
}
