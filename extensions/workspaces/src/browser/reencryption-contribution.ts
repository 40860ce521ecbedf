import { Command, CommandContribution, CommandRegistry, MenuContribution, MenuModelRegistry, MessageService, nls, QuickInputService } from '@theia/core';
import { BadgeService, FrontendApplicationContribution, Widget, WidgetManager } from '@theia/core/lib/browser';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { VouchContextKeys } from '@vouch/core/lib/common/vouch-context-keys';
import { WorkspaceId } from '@vouch/protocol';
import { pickWorkspacesToReencrypt } from './reencryption-pick';
import { ReencryptionRuns } from './reencryption-runs';
import { WORKSPACE_ROW_CONTEXT_MENU, WORKSPACES_WIDGET_ID } from './workspaces-widget';

export const ReencryptionCommands = {
    REENCRYPT: Command.toLocalizedCommand({ id: 'vouch.workspaces.reencrypt', label: 'Re-encrypt Workspace', category: 'Vouch' }, 'vouch/workspaces/reencryptCommand'),
    REENCRYPT_ALL: Command.toLocalizedCommand({ id: 'vouch.workspaces.reencryptAll', label: 'Re-encrypt All That Need It', category: 'Vouch' },
        'vouch/workspaces/reencryptAllCommand')
};

const WHEN_CONNECTED = VouchContextKeys.CONNECTED;

/**
 * The commands of re-encryption: one workspace (a row of the Workspaces view), several (picked
 * together), or all that need it. Offered to whoever may run them (the engine says so from the
 * workspace's certificates); the server checks again.
 */
@injectable()
export class ReencryptionContribution implements CommandContribution, MenuContribution, FrontendApplicationContribution {
    @inject(ReencryptionRuns) protected readonly runs: ReencryptionRuns;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;
    @inject(WidgetManager) protected readonly widgets: WidgetManager;
    @inject(BadgeService) protected readonly badges: BadgeService;

    onStart(): void {
        this.runs.onDidChange(() => this.showBadge());
        this.widgets.onDidCreateWidget(({ widget }) => widget.id === WORKSPACES_WIDGET_ID && this.showBadge(widget));
        this.showBadge();
    }

    /** The Workspaces view's badge: how many of the user's workspaces wait for them to re-encrypt. */
    protected async showBadge(widget?: Widget): Promise<void> {
        const view = widget ?? await this.widgets.getWidget(WORKSPACES_WIDGET_ID);
        if (!view) {
            return;
        }
        const count = this.runs.needing.length;
        this.badges.showBadge(view, count === 0 ? undefined : {
            value: count,
            tooltip: localizePlural('vouch/workspaces/reencrypt/badge', count, { one: '1 workspace needs re-encryption', other: '{0} workspaces need re-encryption' })
        });
    }

    registerCommands(commands: CommandRegistry): void {
        const connected = () => this.contextKeys.match(WHEN_CONNECTED);
        commands.registerCommand(ReencryptionCommands.REENCRYPT, {
            execute: (workspaceIds?: WorkspaceId | WorkspaceId[]) => this.reencrypt(workspaceIds),
            isVisible: (workspaceIds?: WorkspaceId | WorkspaceId[]) => workspaceIds === undefined
                ? this.runs.needing.length > 0
                : asList(workspaceIds).some(workspaceId => this.runs.mayRun(workspaceId)),
            isEnabled: (workspaceIds?: WorkspaceId | WorkspaceId[]) => connected() &&
                (workspaceIds === undefined || asList(workspaceIds).some(workspaceId => this.runs.mayRun(workspaceId) && !this.runs.running(workspaceId)))
        });
        commands.registerCommand(ReencryptionCommands.REENCRYPT_ALL, {
            execute: () => this.runs.reencrypt(this.runs.needing.map(info => info.workspaceId)),
            isVisible: () => this.runs.needing.length > 0,
            isEnabled: () => connected() && this.runs.needing.some(info => !this.runs.running(info.workspaceId))
        });
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction([...WORKSPACE_ROW_CONTEXT_MENU, '4_reencrypt'], {
            commandId: ReencryptionCommands.REENCRYPT.id, label: nls.localize('vouch/workspaces/reencryptShort', 'Re-encrypt'), order: '1'
        });
    }

    /** The workspaces given, else those picked among the ones that need it (all ticked). */
    protected async reencrypt(given: WorkspaceId | WorkspaceId[] | undefined): Promise<void> {
        const workspaceIds = given !== undefined ? asList(given).filter(workspaceId => this.runs.mayRun(workspaceId)) : await this.pick();
        if (workspaceIds && workspaceIds.length > 0) {
            await this.runs.reencrypt(workspaceIds);
        }
    }

    protected async pick(): Promise<WorkspaceId[] | undefined> {
        const needing = this.runs.needing;
        if (needing.length === 0) {
            this.messages.info(nls.localize('vouch/workspaces/reencrypt/none', 'No workspace of yours needs re-encryption.'));
            return undefined;
        }
        if (needing.length === 1) {
            return [needing[0].workspaceId];
        }
        return pickWorkspacesToReencrypt(this.quickInput, needing);
    }
}

function asList(workspaceIds: WorkspaceId | WorkspaceId[]): WorkspaceId[] {
    return Array.isArray(workspaceIds) ? workspaceIds : [workspaceIds];
}
