import * as React from '@theia/core/shared/react';
import { CommandRegistry, MenuPath, nls } from '@theia/core';
import { codicon, ContextMenuRenderer } from '@theia/core/lib/browser';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { WorkspaceInfo } from '../common/workspace-engine-api';
import { OpenWorkspaces } from './open-workspaces';
import { PeopleDirectory } from './people-directory';
import { membersCount, ROLE_LABELS, syncStateLabel } from './workspace-words';
import { WorkspaceEngineHost } from './workspace-engine-host';

export const WORKSPACES_WIDGET_ID = 'vouch-workspaces';

export const WorkspaceCommandIds = {
    CREATE: 'vouch.workspaces.create',
    OPEN: 'vouch.workspaces.open',
    CLOSE: 'vouch.workspaces.close',
    SHARE: 'vouch.workspaces.share',
    RENAME: 'vouch.workspaces.rename',
    LEAVE: 'vouch.workspaces.leave'
};

/** The context menu of a workspace's row (its argument is the workspace id). */
export const WORKSPACE_ROW_CONTEXT_MENU: MenuPath = ['vouch-workspace-row-context-menu'];

/**
 * The Workspaces view: each workspace of the user with its name, the user's role, its members,
 * how it stands against the server, and a marker when it needs re-encryption. Double-click or
 * Enter opens it in the Explorer; the row's context menu holds what the role allows.
 */
@injectable()
export class WorkspacesWidget extends ReactWidget {
    @inject(WorkspaceEngineHost) protected readonly engines: WorkspaceEngineHost;
    @inject(OpenWorkspaces) protected readonly openWorkspaces: OpenWorkspaces;
    @inject(PeopleDirectory) protected readonly people: PeopleDirectory;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;
    @inject(ContextMenuRenderer) protected readonly contextMenu: ContextMenuRenderer;

    @postConstruct()
    protected init(): void {
        this.id = WORKSPACES_WIDGET_ID;
        this.title.label = nls.localize('vouch/workspaces/title', 'Workspaces');
        this.title.caption = this.title.label;
        this.title.iconClass = codicon('folder-library');
        this.title.closable = true;
        this.addClass('vouch-workspaces');
        this.toDispose.pushAll([
            this.engines.onDidChangeWorkspaces(() => this.update()),
            this.openWorkspaces.onDidChange(() => this.update()),
            this.people.onDidChange(() => this.update()),
            this.session.onDidChangeState(() => this.update())
        ]);
        this.update();
    }

    protected render(): React.ReactNode {
        const workspaces = this.engines.workspaces;
        const unlocked = this.engines.engine !== undefined;
        return <div className='vouch-workspaces-body'>
            <div className='vouch-workspaces-actions'>
                {this.commands.isVisible(WorkspaceCommandIds.CREATE) && <button className='theia-button vouch-create-workspace'
                    disabled={!this.commands.isEnabled(WorkspaceCommandIds.CREATE)}
                    onClick={() => this.commands.executeCommand(WorkspaceCommandIds.CREATE)}>
                    {nls.localize('vouch/workspaces/create', 'Create Workspace')}
                </button>}
            </div>
            {!unlocked
                ? <div className='vouch-workspaces-empty'>{nls.localize('vouch/workspaces/locked', 'Unlock your device to see your workspaces.')}</div>
                : workspaces.length === 0
                    ? <div className='vouch-workspaces-empty'>{nls.localize('vouch/workspaces/none', 'No workspace is shared with you yet.')}</div>
                    : <ul className='vouch-workspaces-list' role='listbox' aria-label={this.title.label}>
                        {workspaces.map(workspace => this.renderRow(workspace))}
                    </ul>}
        </div>;
    }

    protected showContextMenu(workspace: WorkspaceInfo, anchor: MouseEvent | { x: number; y: number }): void {
        this.contextMenu.render({ menuPath: WORKSPACE_ROW_CONTEXT_MENU, anchor, args: [workspace.workspaceId], context: this.node });
    }

    protected renderRow(workspace: WorkspaceInfo): React.ReactNode {
        const open = this.openWorkspaces.isOpen(workspace.workspaceId);
        const name = workspace.name ?? nls.localize('vouch/workspaces/unnamed', '(name not read yet)');
        const members = workspace.members.map(member => `${this.people.label(member.userId)} — ${ROLE_LABELS[member.role]()}`).join('\n');
        const onKeyDown = (event: React.KeyboardEvent<HTMLLIElement>) => {
            if (event.target !== event.currentTarget) {
                return;
            }
            if (event.key === 'Enter') {
                event.preventDefault();
                this.commands.executeCommand(WorkspaceCommandIds.OPEN, workspace.workspaceId);
            } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
                event.preventDefault();
                const box = event.currentTarget.getBoundingClientRect();
                this.showContextMenu(workspace, { x: box.left + 16, y: box.bottom });
            }
        };
        return <li key={workspace.workspaceId} className='vouch-workspace-row' tabIndex={0} role='option' aria-selected={false}
            data-workspace-id={workspace.workspaceId} data-name={workspace.name ?? ''} data-role={workspace.role} data-sync={workspace.sync.kind}
            data-open={open ? 'true' : 'false'} onKeyDown={onKeyDown}
            onDoubleClick={() => this.commands.executeCommand(WorkspaceCommandIds.OPEN, workspace.workspaceId)}
            onContextMenu={event => { event.preventDefault(); this.showContextMenu(workspace, event.nativeEvent); }}>
            <div className='vouch-workspace-main'>
                <span className={`${codicon(open ? 'folder-opened' : 'folder')} vouch-workspace-icon`} />
                <span className='vouch-workspace-name'>{name}</span>
                {workspace.needsReencryption && <span className={`${codicon('warning')} vouch-workspace-reencrypt`}
                    title={nls.localize('vouch/workspaces/needsReencryption', 'A revoked member could still read this workspace\'s current key: an Owner should re-encrypt it')} />}
            </div>
            <div className='vouch-workspace-meta'>
                <span className='vouch-workspace-role'>{ROLE_LABELS[workspace.role]()}</span>
                {' · '}<span className='vouch-workspace-members' title={members}>{membersCount(workspace.members.length)}</span>
                {' · '}<span className={`vouch-workspace-sync ${workspace.sync.kind}`}>{syncStateLabel(workspace.sync)}</span>
            </div>
        </li>;
    }
}
