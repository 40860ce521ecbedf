import { Command, CommandRegistry, CommandService, MenuModelRegistry, nls, SelectionService } from '@theia/core';
import { AbstractViewContribution, FrontendApplicationContribution, KeybindingRegistry } from '@theia/core/lib/browser';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { ContextKeyService } from '@theia/core/lib/browser/context-key-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeys, whenMay } from '@vouch/core/lib/common/vouch-context-keys';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { HistoryCommands } from './history/organization-history-contribution';
import { OrganizationHistoryModel } from './history/organization-history-model';
import { USERS_FOCUS_CONTEXT_KEY, UsersMenus, WHEN_USERS_LIST_FOCUS } from './users-menus';
import { UsersModel } from './users-model';
import { UsersSelection } from './users-selection';
import { USERS_WIDGET_ID, UsersWidget } from './users-widget';

export const UsersCommands = {
    SHOW: Command.toLocalizedCommand({ id: 'vouch.users.show', label: 'Show Users', category: 'Vouch' }, 'vouch/users/show'),
    SHOW_HISTORY: Command.toLocalizedCommand({ id: 'vouch.users.showHistory', label: 'Show User History', category: 'Vouch' }, 'vouch/users/showHistory'),
    COPY_EMAIL: Command.toLocalizedCommand({ id: 'vouch.users.copyEmail', label: 'Copy Email', category: 'Vouch' }, 'vouch/users/copyEmail'),
    // Acts on the list only (Ctrl+A there); no label, so not in the palette.
    SELECT_ALL: { id: 'vouch.users.selectAll' }
};

/** Whoever has a device may look at the users (External users see them without names). */
const WHEN_HAS_DEVICE = `${VouchContextKeys.SESSION_STATE} != no-device`;
const WHEN_MAY_READ_HISTORY = whenMay('certificates.list');

/**
 * The Users view: where it sits, how to open it (palette, Ctrl+Alt+U), and what one does with
 * the selected users besides changing them: their history (Enter), their email (Ctrl+C).
 */
@injectable()
export class UsersViewContribution extends AbstractViewContribution<UsersWidget> implements FrontendApplicationContribution {
    @inject(SelectionService) protected readonly selectionService: SelectionService;
    @inject(UsersModel) protected readonly model: UsersModel;
    @inject(OrganizationHistoryModel) protected readonly history: OrganizationHistoryModel;
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;
    @inject(ContextKeyService) protected readonly contextKeyService: ContextKeyService;
    @inject(ClipboardService) protected readonly clipboard: ClipboardService;
    @inject(CommandService) protected readonly commandService: CommandService;

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

    onStart(): void {
        const focus = this.contextKeyService.createKey<boolean>(USERS_FOCUS_CONTEXT_KEY, false);
        const update = () => focus.set(this.shell.activeWidget instanceof UsersWidget);
        this.shell.onDidChangeActiveWidget(update);
        update();
    }

    protected get selectedRows(): UsersSelection | readonly [] {
        const selection = this.selectionService.selection;
        return UsersSelection.is(selection) ? selection : [];
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        commands.registerCommand(UsersCommands.SHOW, {
            execute: () => this.openView({ activate: true, reveal: true })
        });
        commands.registerCommand(UsersCommands.SHOW_HISTORY, {
            execute: () => this.showHistory(),
            isVisible: () => this.contextKeys.match(WHEN_MAY_READ_HISTORY),
            isEnabled: () => this.contextKeys.match(WHEN_MAY_READ_HISTORY) && this.selectedRows.length > 0
        });
        commands.registerCommand(UsersCommands.COPY_EMAIL, {
            execute: () => this.copyEmails(),
            // External users are shown no emails: nothing to copy, no entry.
            isVisible: () => this.selectedRows.some(row => row.humanHandle),
            isEnabled: () => this.selectedRows.some(row => row.humanHandle)
        });
        commands.registerCommand(UsersCommands.SELECT_ALL, {
            execute: () => this.model.selectAll()
        });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        menus.registerMenuAction(UsersMenus.INSPECT, { commandId: UsersCommands.SHOW_HISTORY.id, label: nls.localize('vouch/users/showHistoryShort', 'Show History'), order: '1', when: WHEN_MAY_READ_HISTORY });
        menus.registerMenuAction(UsersMenus.INSPECT, { commandId: UsersCommands.COPY_EMAIL.id, order: '2' });
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        keybindings.registerKeybindings(
            { command: UsersCommands.SHOW.id, keybinding: 'ctrlcmd+alt+u', when: WHEN_HAS_DEVICE },
            { command: UsersCommands.SHOW_HISTORY.id, keybinding: 'enter', when: `${WHEN_USERS_LIST_FOCUS} && ${WHEN_MAY_READ_HISTORY}` },
            { command: UsersCommands.COPY_EMAIL.id, keybinding: 'ctrlcmd+c', when: WHEN_USERS_LIST_FOCUS },
            { command: UsersCommands.SELECT_ALL.id, keybinding: 'ctrlcmd+a', when: WHEN_USERS_LIST_FOCUS }
        );
    }

    /** The history of the focused user: the Organization History view, filtered to them. */
    protected async showHistory(): Promise<void> {
        const user = this.selectedRows[0];
        if (!user) {
            return;
        }
        this.history.setFilter({ ...this.history.filter, userId: user.userId });
        await this.commandService.executeCommand(HistoryCommands.SHOW.id);
    }

    protected async copyEmails(): Promise<void> {
        const emails = this.selectedRows.flatMap(row => row.humanHandle ? [row.humanHandle.email] : []);
        await this.clipboard.writeText(emails.join('\n'));
    }
}
