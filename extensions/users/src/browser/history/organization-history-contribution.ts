import { Command, CommandRegistry, MessageService, nls } from '@theia/core';
import { AbstractViewContribution } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { mayRequest, whoMayRequest } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { ORGANIZATION_HISTORY_WIDGET_ID, OrganizationHistoryWidget } from './organization-history-widget';

export const HistoryCommands = {
    SHOW: Command.toLocalizedCommand({ id: 'vouch.organization.history', label: 'Show Organization History', category: 'Vouch' }, 'vouch/history/show')
};

/** "Vouch: Show Organization History": Administrators and Members (without others' device labels); not External users. */
@injectable()
export class OrganizationHistoryContribution extends AbstractViewContribution<OrganizationHistoryWidget> {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(MessageService) protected readonly messages: MessageService;

    constructor() {
        super({
            widgetId: ORGANIZATION_HISTORY_WIDGET_ID,
            widgetName: nls.localize('vouch/history/title', 'Organization History'),
            defaultWidgetOptions: { area: 'main' }
        });
    }

    protected mayRead(): boolean {
        const profile = this.session.profile;
        return profile !== undefined && mayRequest(profile, 'certificates.list');
    }

    override registerCommands(commands: CommandRegistry): void {
        commands.registerCommand(HistoryCommands.SHOW, {
            execute: async () => {
                if (!this.mayRead()) {
                    this.messages.warn(nls.localize('vouch/users/mayNot', 'You cannot do this: {0}.', whoMayRequest('certificates.list')));
                    return;
                }
                await this.openView({ activate: true, reveal: true });
            },
            isVisible: () => this.mayRead(),
            isEnabled: () => this.mayRead()
        });
    }
}
