import { Command, CommandRegistry, nls } from '@theia/core';
import { AbstractViewContribution, FrontendApplicationContribution } from '@theia/core/lib/browser';
import { injectable } from '@theia/core/shared/inversify';
import { USERS_WIDGET_ID, UsersWidget } from './users-widget';

export const UsersCommands = {
    SHOW: Command.toLocalizedCommand({ id: 'vouch.users.show', label: 'Show Users', category: 'Vouch' }, 'vouch/users/show')
};

@injectable()
export class UsersViewContribution extends AbstractViewContribution<UsersWidget> implements FrontendApplicationContribution {
    constructor() {
        super({
            widgetId: USERS_WIDGET_ID,
            widgetName: nls.localize('vouch/users/title', 'Users'),
            defaultWidgetOptions: { area: 'left', rank: 600 }
        });
    }

    /** On a fresh layout the Users view has its place in the side bar, so people find it. */
    async initializeLayout(): Promise<void> {
        await this.openView({ activate: false });
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(UsersCommands.SHOW, {
            execute: () => this.openView({ activate: true, reveal: true })
        });
    }
}
