import { Command, CommandRegistry, nls } from '@theia/core';
import { AbstractViewContribution, KeybindingRegistry } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { whenMay, whenMayNow } from '@vouch/core/lib/common/vouch-context-keys';
import { ORGANIZATION_HISTORY_WIDGET_ID, OrganizationHistoryWidget } from './organization-history-widget';

export const HistoryCommands = {
    SHOW: Command.toLocalizedCommand({ id: 'vouch.organization.history', label: 'Show Organization History', category: 'Vouch' }, 'vouch/history/show')
};

/** "Vouch: Show Organization History" (Ctrl+Alt+H): Administrators and Members (without others' device labels); not External users. */
@injectable()
export class OrganizationHistoryContribution extends AbstractViewContribution<OrganizationHistoryWidget> {
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;

    constructor() {
        super({
            widgetId: ORGANIZATION_HISTORY_WIDGET_ID,
            widgetName: nls.localize('vouch/history/title', 'Organization History'),
            defaultWidgetOptions: { area: 'main' }
        });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(HistoryCommands.SHOW, {
            execute: () => this.openView({ activate: true, reveal: true }),
            isVisible: () => this.contextKeys.match(whenMay('certificates.list')),
            isEnabled: () => this.contextKeys.match(whenMayNow('certificates.list'))
        });
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        keybindings.registerKeybinding({ command: HistoryCommands.SHOW.id, keybinding: 'ctrlcmd+alt+h', when: whenMayNow('certificates.list') });
    }
}
