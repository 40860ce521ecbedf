import { Command, CommandRegistry, MenuModelRegistry, MessageService, nls, QuickInputService } from '@theia/core';
import { AbstractViewContribution, ConfirmDialog, Dialog, FrontendApplicationContribution, KeybindingRegistry, SingleTextInputDialog } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { VouchContextKeys, whenMay, whenMayNow } from '@vouch/core/lib/common/vouch-context-keys';
import { WorkspaceId } from '@vouch/protocol';
import { WorkspaceInfo } from '../common/workspace-engine-api';
import { OpenWorkspaces } from './open-workspaces';
import { PeopleDirectory } from './people-directory';
import { ShareWorkspaceDialog } from './share-workspace-dialog';
import { VouchQuickFileOpen } from './vouch-quick-file-open';
import { describeWorkspaceError, ROLE_LABELS } from './workspace-words';
import { WorkspaceEngineHost } from './workspace-engine-host';
import { WORKSPACE_ROW_CONTEXT_MENU, WorkspaceCommandIds, WORKSPACES_WIDGET_ID, WorkspacesWidget } from './workspaces-widget';

export const WorkspaceCommands = {
    SHOW: Command.toLocalizedCommand({ id: 'vouch.workspaces.show', label: 'Show Workspaces', category: 'Vouch' }, 'vouch/workspaces/show'),
    CREATE: Command.toLocalizedCommand({ id: WorkspaceCommandIds.CREATE, label: 'Create Workspace', category: 'Vouch' }, 'vouch/workspaces/createCommand'),
    SHARE: Command.toLocalizedCommand({ id: WorkspaceCommandIds.SHARE, label: 'Share Workspace…', category: 'Vouch' }, 'vouch/workspaces/shareCommand'),
    OPEN: Command.toLocalizedCommand({ id: WorkspaceCommandIds.OPEN, label: 'Open Workspace', category: 'Vouch' }, 'vouch/workspaces/openCommand'),
    CLOSE: Command.toLocalizedCommand({ id: WorkspaceCommandIds.CLOSE, label: 'Close Workspace', category: 'Vouch' }, 'vouch/workspaces/closeCommand'),
    RENAME: Command.toLocalizedCommand({ id: WorkspaceCommandIds.RENAME, label: 'Rename Workspace', category: 'Vouch' }, 'vouch/workspaces/renameCommand'),
    LEAVE: Command.toLocalizedCommand({ id: WorkspaceCommandIds.LEAVE, label: 'Leave Workspace', category: 'Vouch' }, 'vouch/workspaces/leaveCommand'),
    GO_TO_FILE: Command.toLocalizedCommand({ id: 'vouch.workspaces.goToFile', label: 'Go to File in Vouch Workspaces…', category: 'Vouch' }, 'vouch/workspaces/goToFile')
};

const WHEN_HAS_DEVICE = `${VouchContextKeys.SESSION_STATE} != no-device`;
/**
 * Who is offered Share and Rename: the rules of roles say more (Managers share only as
 * Contributor or Reader), and the engine and the server apply them; this only hides what a
 * role can never do.
 */
const SHARING_ROLES: readonly WorkspaceInfo['role'][] = ['OWNER', 'MANAGER'];
/** Theia's Explorer. */
const EXPLORER_WIDGET_ID = 'files';

/**
 * The Workspaces view (Vouch side bar) and what one does with workspaces: create (Members and
 * Administrators, from the rights matrix), share, open in the Explorer, rename, leave. Each
 * command acts on the workspace it is given (a row of the view) or asks which one.
 */
@injectable()
export class WorkspacesContribution extends AbstractViewContribution<WorkspacesWidget> implements FrontendApplicationContribution {
    @inject(WorkspaceEngineHost) protected readonly engines: WorkspaceEngineHost;
    @inject(OpenWorkspaces) protected readonly openWorkspaces: OpenWorkspaces;
    @inject(PeopleDirectory) protected readonly people: PeopleDirectory;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(VouchQuickFileOpen) protected readonly quickFileOpen: VouchQuickFileOpen;

    constructor() {
        super({
            widgetId: WORKSPACES_WIDGET_ID,
            widgetName: nls.localize('vouch/workspaces/title', 'Workspaces'),
            defaultWidgetOptions: { area: 'left', rank: 610 }
        });
    }

    async initializeLayout(): Promise<void> {
        await this.openView({ activate: false });
    }

    onStart(): void {
        // Names of members come from the organization's certified users, once per unlock.
        this.engines.onDidChangeEngine(engine => engine && this.session.state === 'connected' && this.people.search(''));
        this.session.onDidChangeState(state => state === 'connected' && this.engines.engine && this.people.search(''));
    }

    override registerCommands(commands: CommandRegistry): void {
        super.registerCommands(commands);
        const unlocked = () => this.engines.engine !== undefined;
        const role = (workspaceId?: WorkspaceId) => workspaceId === undefined ? undefined : this.engines.workspace(workspaceId)?.role;
        commands.registerCommand(WorkspaceCommands.SHOW, {
            execute: () => this.openView({ activate: true, reveal: true }),
            isVisible: () => this.contextKeys.match(WHEN_HAS_DEVICE)
        });
        commands.registerCommand(WorkspaceCommands.CREATE, {
            execute: () => this.create(),
            isVisible: () => this.contextKeys.match(whenMay('workspaces.create')),
            isEnabled: () => unlocked() && this.contextKeys.match(whenMayNow('workspaces.create'))
        });
        commands.registerCommand(WorkspaceCommands.OPEN, {
            execute: (workspaceId?: WorkspaceId) => this.open(workspaceId),
            isVisible: (workspaceId?: WorkspaceId) => this.contextKeys.match(WHEN_HAS_DEVICE) && (workspaceId === undefined || !this.openWorkspaces.isOpen(workspaceId)),
            isEnabled: () => unlocked()
        });
        commands.registerCommand(WorkspaceCommands.CLOSE, {
            execute: (workspaceId?: WorkspaceId) => this.close(workspaceId),
            isVisible: (workspaceId?: WorkspaceId) => workspaceId === undefined ? this.openWorkspaces.workspaceIds.length > 0 : this.openWorkspaces.isOpen(workspaceId),
            isEnabled: () => this.openWorkspaces.workspaceIds.length > 0
        });
        commands.registerCommand(WorkspaceCommands.SHARE, {
            execute: (workspaceId?: WorkspaceId) => this.share(workspaceId),
            isVisible: (workspaceId?: WorkspaceId) => this.contextKeys.match(WHEN_HAS_DEVICE) && (workspaceId === undefined || SHARING_ROLES.includes(role(workspaceId)!)),
            isEnabled: () => unlocked() && this.contextKeys.match(VouchContextKeys.CONNECTED)
        });
        commands.registerCommand(WorkspaceCommands.RENAME, {
            execute: (workspaceId?: WorkspaceId) => this.rename(workspaceId),
            isVisible: (workspaceId?: WorkspaceId) => this.contextKeys.match(WHEN_HAS_DEVICE) && (workspaceId === undefined || SHARING_ROLES.includes(role(workspaceId)!)),
            isEnabled: () => unlocked()
        });
        commands.registerCommand(WorkspaceCommands.LEAVE, {
            execute: (workspaceId?: WorkspaceId) => this.leave(workspaceId),
            isVisible: () => this.contextKeys.match(WHEN_HAS_DEVICE),
            isEnabled: () => unlocked() && this.contextKeys.match(VouchContextKeys.CONNECTED)
        });
        commands.registerCommand(WorkspaceCommands.GO_TO_FILE, {
            execute: () => this.quickFileOpen.open(),
            isVisible: () => this.contextKeys.match(WHEN_HAS_DEVICE),
            isEnabled: () => this.openWorkspaces.workspaceIds.length > 0
        });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        const row = (group: string) => [...WORKSPACE_ROW_CONTEXT_MENU, group];
        menus.registerMenuAction(row('1_open'), { commandId: WorkspaceCommands.OPEN.id, label: nls.localize('vouch/workspaces/openShort', 'Open'), order: '1' });
        menus.registerMenuAction(row('1_open'), { commandId: WorkspaceCommands.CLOSE.id, label: nls.localize('vouch/workspaces/closeShort', 'Close'), order: '2' });
        menus.registerMenuAction(row('2_share'), { commandId: WorkspaceCommands.SHARE.id, label: nls.localize('vouch/workspaces/shareShort', 'Share…'), order: '1' });
        menus.registerMenuAction(row('2_share'), { commandId: WorkspaceCommands.RENAME.id, label: nls.localize('vouch/workspaces/renameShort', 'Rename'), order: '2' });
        menus.registerMenuAction(row('3_leave'), { commandId: WorkspaceCommands.LEAVE.id, label: nls.localize('vouch/workspaces/leaveShort', 'Leave'), order: '1' });
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        keybindings.registerKeybindings(
            { command: WorkspaceCommands.GO_TO_FILE.id, keybinding: 'ctrlcmd+p', when: WHEN_HAS_DEVICE }
        );
    }

    /** The workspace a command acts on: the one given, else the one picked (among those `filter` keeps). */
    protected async pick(workspaceId: WorkspaceId | undefined, title: string, filter: (info: WorkspaceInfo) => boolean = () => true): Promise<WorkspaceInfo | undefined> {
        if (workspaceId !== undefined) {
            const info = this.engines.workspace(workspaceId);
            if (!info) {
                this.messages.error(describeWorkspaceError({ code: 'WORKSPACE_NOT_FOUND', message: '' }));
            }
            return info;
        }
        const candidates = this.engines.workspaces.filter(filter);
        if (candidates.length === 0) {
            this.messages.info(nls.localize('vouch/workspaces/noneToPick', 'No workspace to choose from.'));
            return undefined;
        }
        const picked = await this.quickInput.showQuickPick(candidates.map(info => ({
            label: info.name ?? info.workspaceId,
            description: ROLE_LABELS[info.role](),
            workspaceId: info.workspaceId
        })), { title, placeholder: nls.localize('vouch/workspaces/pick', 'Choose a workspace') });
        return picked && this.engines.workspace(picked.workspaceId);
    }

    protected async create(): Promise<void> {
        const engine = this.engines.engine;
        if (!engine) {
            return;
        }
        let created: WorkspaceId | undefined;
        const dialog = new SingleTextInputDialog({
            title: nls.localize('vouch/workspaces/createTitle', 'Create a workspace'),
            placeholder: nls.localize('vouch/workspaces/namePlaceholder', 'Workspace name'),
            confirmButtonLabel: nls.localize('vouch/workspaces/createButton', 'Create'),
            validate: async (name, mode) => {
                const problem = checkName(name);
                if (problem || mode === 'preview') {
                    return mode === 'preview' && !name ? '' : problem;
                }
                try {
                    created = await engine.create(name.trim());
                    return '';
                } catch (error) {
                    return describeWorkspaceError(error);
                }
            }
        });
        if (await dialog.open() !== undefined && created) {
            await this.open(created);
        }
    }

    protected async open(workspaceId: WorkspaceId | undefined): Promise<void> {
        const info = await this.pick(workspaceId, WorkspaceCommands.OPEN.label!, candidate => !this.openWorkspaces.isOpen(candidate.workspaceId));
        if (!info) {
            return;
        }
        try {
            await this.openWorkspaces.open(info.workspaceId);
            await this.shell.revealWidget(EXPLORER_WIDGET_ID);
        } catch (error) {
            this.messages.error(nls.localize('vouch/workspaces/openFailed', 'The workspace could not be opened: {0}', describeWorkspaceError(error)));
        }
    }

    protected async close(workspaceId: WorkspaceId | undefined): Promise<void> {
        const info = await this.pick(workspaceId, WorkspaceCommands.CLOSE.label!, candidate => this.openWorkspaces.isOpen(candidate.workspaceId));
        if (info) {
            await this.openWorkspaces.close(info.workspaceId);
        }
    }

    protected async share(workspaceId: WorkspaceId | undefined): Promise<void> {
        const engine = this.engines.engine;
        const info = await this.pick(workspaceId, WorkspaceCommands.SHARE.label!, candidate => SHARING_ROLES.includes(candidate.role));
        const self = this.session.device?.userId;
        if (!engine || !info || !self) {
            return;
        }
        const dialog = new ShareWorkspaceDialog(info, self, this.people, async changes => {
            try {
                await engine.share(info.workspaceId, changes);
                return undefined;
            } catch (error) {
                return describeWorkspaceError(error);
            }
        });
        await dialog.open();
    }

    protected async rename(workspaceId: WorkspaceId | undefined): Promise<void> {
        const engine = this.engines.engine;
        const info = await this.pick(workspaceId, WorkspaceCommands.RENAME.label!, candidate => SHARING_ROLES.includes(candidate.role));
        if (!engine || !info) {
            return;
        }
        const dialog = new SingleTextInputDialog({
            title: nls.localize('vouch/workspaces/renameTitle', 'Rename {0}', info.name ?? info.workspaceId),
            initialValue: info.name ?? '',
            confirmButtonLabel: nls.localize('vouch/workspaces/renameButton', 'Rename'),
            validate: async (name, mode) => {
                const problem = checkName(name);
                if (problem || mode === 'preview') {
                    return problem;
                }
                try {
                    await engine.rename(info.workspaceId, name.trim());
                    return '';
                } catch (error) {
                    return describeWorkspaceError(error);
                }
            }
        });
        await dialog.open();
    }

    protected async leave(workspaceId: WorkspaceId | undefined): Promise<void> {
        const engine = this.engines.engine;
        const info = await this.pick(workspaceId, WorkspaceCommands.LEAVE.label!);
        if (!engine || !info) {
            return;
        }
        const confirmed = await new ConfirmDialog({
            title: nls.localize('vouch/workspaces/leaveTitle', 'Leave {0}?', info.name ?? info.workspaceId),
            msg: nls.localize('vouch/workspaces/leaveMessage', 'You will no longer see this workspace or its new content. An Owner or Manager can share it with you again.'),
            ok: nls.localize('vouch/workspaces/leaveButton', 'Leave'),
            cancel: Dialog.CANCEL
        }).open();
        if (!confirmed) {
            return;
        }
        try {
            await this.openWorkspaces.close(info.workspaceId);
            await engine.leave(info.workspaceId);
        } catch (error) {
            this.messages.error(nls.localize('vouch/workspaces/leaveFailed', 'You could not leave the workspace: {0}', describeWorkspaceError(error)));
        }
    }
}

/** The most characters of a workspace name (it travels encrypted in the root manifest). */
export const WORKSPACE_NAME_MAX = 255;

function checkName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed) {
        return nls.localize('vouch/workspaces/nameEmpty', 'Enter a name');
    }
    if (trimmed.length > WORKSPACE_NAME_MAX) {
        return nls.localize('vouch/workspaces/nameTooLong', 'At most {0} characters', WORKSPACE_NAME_MAX);
    }
    if (trimmed.includes('/')) {
        return nls.localize('vouch/workspaces/nameSlash', 'A workspace name cannot contain "/"');
    }
    return '';
}
