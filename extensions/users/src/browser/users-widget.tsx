import * as React from '@theia/core/shared/react';
import { codicon, ContextMenuRenderer, Message, ReactWidget } from '@theia/core/lib/browser';
import { ProgressBarFactory } from '@theia/core/lib/browser/progress-bar-factory';
import { Disposable, isOSX, nls, SelectionService } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { ViewProgress } from '@vouch/core/lib/browser/view-progress';
import { UserRow } from '../common/user-rows';
import { FocusMove, SelectionGesture } from '../common/user-selection';
import { UserColumn } from '../common/users-preferences';
import { USERS_PROGRESS_LOCATION, UsersModel } from './users-model';
import { USERS_CONTEXT_MENU } from './users-menus';
import { UsersSelection } from './users-selection';

export const USERS_WIDGET_ID = 'vouch-users';

const COLUMN_LABELS: Record<UserColumn, () => string> = {
    email: () => nls.localize('vouch/users/column/email', 'Email'),
    profile: () => nls.localize('vouch/users/column/profile', 'Profile'),
    status: () => nls.localize('vouch/users/column/status', 'Status'),
    joined: () => nls.localize('vouch/users/column/joined', 'Joined')
};

const KEY_MOVES: Readonly<Record<string, FocusMove>> = { ArrowDown: 'next', ArrowUp: 'previous', Home: 'first', End: 'last' };

/**
 * Renders the UsersModel: a filter box, a grid of users with multi-select by mouse and
 * keyboard, and paging. The selection goes to Theia's SelectionService, where the commands
 * read it; Enter, F2, Delete, Ctrl+C and Ctrl+A are keybindings (user-changes-contribution).
 */
@injectable()
export class UsersWidget extends ReactWidget {
    @inject(UsersModel) protected readonly model: UsersModel;
    @inject(ContextMenuRenderer) protected readonly contextMenu: ContextMenuRenderer;
    @inject(SelectionService) protected readonly selectionService: SelectionService;
    @inject(ProgressBarFactory) protected readonly progressBarFactory: ProgressBarFactory;

    protected grid?: HTMLTableElement;

    @postConstruct()
    protected init(): void {
        this.id = USERS_WIDGET_ID;
        this.title.label = nls.localize('vouch/users/title', 'Users');
        this.title.caption = this.title.label;
        this.title.iconClass = codicon('organization');
        this.title.closable = true;
        this.addClass('vouch-users');
        this.node.tabIndex = 0;
        this.toDispose.push(Disposable.create(() => this.releaseGlobalSelection()));
        this.update();
    }

    protected override onAfterAttach(msg: Message): void {
        super.onAfterAttach(msg);
        this.toDisposeOnDetach.push(this.model.onDidChange(() => {
            this.update();
            if (this.ownsGlobalSelection()) {
                this.updateGlobalSelection();
            }
        }));
        this.update();
    }

    /** Focus goes to the list, where the keyboard selects; without a list, to the view itself. */
    protected override onActivateRequest(msg: Message): void {
        super.onActivateRequest(msg);
        (this.grid ?? this.node).focus();
    }

    protected ownsGlobalSelection(): boolean {
        return UsersSelection.is(this.selectionService.selection);
    }

    protected updateGlobalSelection(): void {
        this.selectionService.selection = UsersSelection.create(this.model.selectedRows, this.model.focusedRow);
    }

    protected releaseGlobalSelection(): void {
        if (this.ownsGlobalSelection()) {
            this.selectionService.selection = undefined;
        }
    }

    protected gesture(event: React.MouseEvent | React.KeyboardEvent): SelectionGesture {
        if (event.shiftKey) {
            return 'range';
        }
        return (isOSX ? event.metaKey : event.ctrlKey) ? 'toggle' : 'single';
    }

    /** A gesture on the list: the model changes the selection, the SelectionService hears of it. */
    protected select(userId: string, gesture: SelectionGesture): void {
        this.model.select(userId, gesture);
        this.updateGlobalSelection();
    }

    protected handleKeyDown(event: React.KeyboardEvent): void {
        const ctrl = isOSX ? event.metaKey : event.ctrlKey;
        const move = KEY_MOVES[event.key];
        if (move) {
            this.model.moveFocus(move, event.shiftKey ? 'range' : ctrl ? 'focus' : 'single');
        } else if (event.key === ' ' && this.model.focusedRow) {
            this.model.select(this.model.focusedRow, ctrl ? 'toggle' : 'single');
        } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
            this.openContextMenuOnFocus();
        } else {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        this.updateGlobalSelection();
    }

    protected render(): React.ReactNode {
        const model = this.model;
        if (!model.connected && model.rows.length === 0) {
            return <div className='vouch-users-empty'>{nls.localize('vouch/users/notConnected', 'Connect to your organization to see its users.')}</div>;
        }
        const columns = model.columns;
        return <div className='vouch-users-content'>
            <ViewProgress factory={this.progressBarFactory} locationId={USERS_PROGRESS_LOCATION} />
            <input className='theia-input vouch-users-filter' type='search' placeholder={nls.localize('vouch/users/filter', 'Filter by name or email')}
                aria-label={nls.localize('vouch/users/filter', 'Filter by name or email')}
                value={model.filter} onChange={event => model.setFilter(event.target.value)} />
            <label className='vouch-users-show-revoked'>
                <input type='checkbox' checked={model.showRevoked} onChange={event => model.setShowRevoked(event.target.checked)} />
                {nls.localize('vouch/users/showRevoked', 'Show revoked users')}
            </label>
            {model.stale && <div className='vouch-users-stale'>{nls.localize('vouch/users/stale', 'Reconnecting: this list may be out of date.')}</div>}
            {model.error && <div className='vouch-users-error'>{model.error}</div>}
            <table className='vouch-users-table' role='grid' aria-multiselectable='true' aria-label={this.title.label} tabIndex={0}
                aria-activedescendant={model.focusedRow ? rowElementId(model.focusedRow) : undefined}
                ref={element => { this.grid = element ?? undefined; }}
                onKeyDown={event => this.handleKeyDown(event)}
                onFocus={() => { if (!this.ownsGlobalSelection() && model.selectedRows.length > 0) { this.updateGlobalSelection(); } }}
                onContextMenu={event => this.handleContextMenu(event)}>
                <thead>
                    <tr role='row'>
                        <th role='columnheader'>{nls.localize('vouch/users/column/name', 'Name')}</th>
                        {columns.map(column => <th key={column} role='columnheader'>{COLUMN_LABELS[column]()}</th>)}
                    </tr>
                </thead>
                <tbody>{model.rows.map(row => this.renderRow(row, columns))}</tbody>
            </table>
            {model.rows.length === 0 && !model.loading && <div className='vouch-users-empty'>{nls.localize('vouch/users/none', 'No users match.')}</div>}
            {model.loading && <div className='vouch-users-loading'>{nls.localizeByDefault('Loading...')}</div>}
            {model.hasMore && <button className='theia-button secondary vouch-users-more' disabled={model.loading} onClick={() => model.loadMore()}>
                {nls.localize('vouch/users/loadMore', 'Load more')}
            </button>}
        </div>;
    }

    /** Right-click acts on the selection, which then includes the row clicked; the context-menu key, on the focused row. */
    protected handleContextMenu(event: React.MouseEvent): void {
        event.preventDefault();
        // A right-click lands on a row; the context-menu key and Shift+F10 on the list itself.
        const userId = (event.target as HTMLElement).closest<HTMLElement>('[data-user-id]')?.dataset.userId;
        if (userId) {
            if (!this.model.isSelected(userId)) {
                this.select(userId, 'single');
            }
            this.renderContextMenu(event.clientX, event.clientY);
        } else {
            this.openContextMenuOnFocus();
        }
    }

    protected openContextMenuOnFocus(): void {
        const focused = this.model.focusedRow ?? this.model.selection[0];
        const row = focused && this.grid?.querySelector<HTMLElement>(`#${rowElementId(focused)}`);
        if (!focused || !row) {
            return;
        }
        if (!this.model.isSelected(focused)) {
            this.select(focused, 'single');
        }
        const box = row.getBoundingClientRect();
        this.renderContextMenu(box.left + 16, box.bottom);
    }

    protected renderContextMenu(x: number, y: number): void {
        this.updateGlobalSelection();
        this.contextMenu.render({ menuPath: USERS_CONTEXT_MENU, anchor: { x, y }, context: this.node, includeAnchorArg: false, onHide: () => this.grid?.focus() });
    }

    protected renderRow(row: UserRow, columns: readonly UserColumn[]): React.ReactNode {
        const selected = this.model.isSelected(row.userId);
        const focused = this.model.focusedRow === row.userId;
        const hidden = nls.localize('vouch/users/hidden', '(hidden)');
        const cells: Record<UserColumn, () => React.ReactNode> = {
            email: () => row.humanHandle?.email ?? hidden,
            profile: () => PROFILE_LABELS[row.profile](),
            status: () => row.revokedOn
                ? nls.localize('vouch/users/revokedByOn', 'Revoked by {0} on {1}', row.revokedBy ? this.model.nameOf(row.revokedBy) : '?', new Date(row.revokedOn).toLocaleString())
                : nls.localize('vouch/users/active', 'Active'),
            joined: () => new Date(row.createdOn).toLocaleDateString()
        };
        return <tr key={row.userId} id={rowElementId(row.userId)} role='row'
            className={'vouch-users-row' + (selected ? ' theia-mod-selected' : '') + (focused ? ' theia-mod-focus' : '') + (row.revokedOn ? ' vouch-users-revoked' : '')}
            aria-selected={selected} data-user-id={row.userId}
            onMouseDown={event => { if (event.shiftKey) { event.preventDefault(); } }}
            onClick={event => this.select(row.userId, this.gesture(event))}>
            <td role='gridcell' className='vouch-users-name'>{row.humanHandle?.label ?? hidden}</td>
            {columns.map(column => <td key={column} role='gridcell' className={`vouch-users-${column}`}>{cells[column]()}</td>)}
        </tr>;
    }
}

/** The element id of a row, for `aria-activedescendant`. */
function rowElementId(userId: string): string {
    return `vouch-user-${userId}`;
}
