import { Command, CommandContribution, CommandRegistry, ILogger, MessageService, nls } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { readServerAnswer } from '../common/desktop-server-answer';
import { VouchServerLocation } from '../browser/vouch-server-location';
import { DesktopLocalServer } from './desktop-local-server';
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
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(DesktopLocalServer) @optional() protected readonly localServer: DesktopLocalServer | undefined;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected dialog?: DesktopServerDialog;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(DesktopServerCommands.CHOOSE_SERVER, {
            execute: () => this.ask(false),
            // A device talks to the server it was enrolled on: there is nothing to choose.
            isEnabled: () => !this.dialog && !this.choice.holdsDevice
        });
    }

    onStart(): void {
        this.choice.needsServer().then(needed => needed ? this.ask(true) : undefined)
            .catch(error => this.logger.error('Could not ask for the organization server', error));
    }

    /** `onlyIfNeeded`: the first-run question, not asked when a link from the system named a server meanwhile. */
    protected async ask(onlyIfNeeded: boolean): Promise<void> {
        if (this.dialog) {
            return;
        }
        let answeredHere = false;
        const dialog = this.dialog = new DesktopServerDialog(async typed => {
            const answer = readServerAnswer(typed);
            if (answer.kind === 'server') {
                // The dialog closes itself once this resolves.
                answeredHere = true;
                await this.choice.useServer(answer.serverUrl);
            } else if (answer.kind === 'link') {
                // The dialog closes first: the link's own dialog follows.
                this.choice.openLink(answer.link).catch(error => this.logger.error('Could not open the link', error));
            }
            return undefined;
        }, this.localServer && (() => this.tryLocally()));
        // A link from the operating system while the question is open answers it.
        const answered = this.location.onDidChange(server => {
            if (!answeredHere && server.source !== 'page') {
                dialog.close();
            }
        });
        try {
            if (onlyIfNeeded && this.location.server.source !== 'page') {
                return;
            }
            await dialog.open();
        } finally {
            answered.dispose();
            this.dialog = undefined;
        }
    }

    /** The one-person trial: the local server becomes this workbench's, and its organization is offered for creation. */
    protected async tryLocally(): Promise<void> {
        try {
            const local = await this.localServer!.start();
            await this.choice.useServer(local.serverUrl);
            if (local.bootstrapLink) {
                await this.choice.openLink(local.bootstrapLink);
            }
        } catch (error) {
            this.messages.error(nls.localize('vouch/desktop/tryLocallyFailed', 'The server on this computer could not start: {0}',
                error instanceof Error ? error.message : String(error)));
        }
    }
}
