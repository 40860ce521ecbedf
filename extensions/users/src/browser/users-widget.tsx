import * as React from '@theia/core/shared/react';
import { codicon, ContextMenuRenderer, Message, ReactWidget } from '@theia/core/lib/browser';
import { isOSX, nls } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { UserRow } from '../common/user-rows';
import { SelectionGesture } from '../common/user-selection';
import { UsersModel } from './users-model';
import { USERS_CONTEXT_MENU } from './users-menus';

export const USERS_WIDGET_ID = 'vouch-users';


/** Renders the UsersModel: a filter box, a table of users with multi-select, and paging. */
@injectable()
export class UsersWidget extends ReactWidget {
    @inject(UsersModel) protected readonly model: UsersModel;
    @inject(ContextMenuRenderer) protected readonly contextMenu: ContextMenuRenderer;

    @postConstruct()
    protected init(): void {
        this.id = USERS_WIDGET_ID;
        this.title.label = nls.localize('vouch/users/title', 'Users');
        this.title.caption = this.title.label;
        this.title.iconClass = codicon('organization');
        this.title.closable = true;
        this.addClass('vouch-users');
        this.update();
    }

    protected override onAfterAttach(msg: Message): void {
        super.onAfterAttach(msg);
        this.toDisposeOnDetach.push(this.model.onDidChange(() => this.update()));
        this.update();
    }

    protected gesture(event: React.MouseEvent): SelectionGesture {
        if (event.shiftKey) {
            return 'range';
        }
        return (isOSX ? event.metaKey : event.ctrlKey) ? 'toggle' : 'single';
    }

    protected render(): React.ReactNode {
        const model = this.model;
        if (!model.connected && model.rows.length === 0) {
            return <div className='vouch-users-empty'>{nls.localize('vouch/users/notConnected', 'Connect to your organization to see its users.')}</div>;
        }
        return <div className='vouch-users-content'>
            <input className='theia-input vouch-users-filter' type='search' placeholder={nls.localize('vouch/users/filter', 'Filter by name or email')}
                value={model.filter} onChange={event => model.setFilter(event.target.value)} />
            <label className='vouch-users-show-revoked'>
                <input type='checkbox' checked={model.showRevoked} onChange={event => model.setShowRevoked(event.target.checked)} />
                {nls.localize('vouch/users/showRevoked', 'Show revoked users')}
            </label>
            {model.error && <div className='vouch-users-error'>{model.error}</div>}
            <table className='vouch-users-table'>
                <thead>
                    <tr>
                        <th>{nls.localize('vouch/users/column/name', 'Name')}</th>
                        <th>{nls.localize('vouch/users/column/email', 'Email')}</th>
                        <th>{nls.localize('vouch/users/column/profile', 'Profile')}</th>
                        <th>{nls.localize('vouch/users/column/status', 'Status')}</th>
                        <th>{nls.localize('vouch/users/column/joined', 'Joined')}</th>
                    </tr>
                </thead>
                <tbody>{model.rows.map(row => this.renderRow(row))}</tbody>
            </table>
            {model.rows.length === 0 && !model.loading && <div className='vouch-users-empty'>{nls.localize('vouch/users/none', 'No users match.')}</div>}
            {model.loading && <div className='vouch-users-loading'>{nls.localizeByDefault('Loading...')}</div>}
            {model.hasMore && <button className='theia-button secondary vouch-users-more' disabled={model.loading} onClick={() => model.loadMore()}>
                {nls.localize('vouch/users/loadMore', 'Load more')}
            </button>}
        </div>;
    }

    /** Right-click acts on the selection, which then includes the row clicked. */
    protected openContextMenu(event: React.MouseEvent, row: UserRow): void {
        event.preventDefault();
        if (!this.model.isSelected(row.userId)) {
            this.model.select(row.userId, 'single');
        }
        this.contextMenu.render({ menuPath: USERS_CONTEXT_MENU, anchor: { x: event.clientX, y: event.clientY }, context: this.node, includeAnchorArg: false });
    }

    protected renderRow(row: UserRow): React.ReactNode {
        const selected = this.model.isSelected(row.userId);
        const hidden = nls.localize('vouch/users/hidden', '(hidden)');
        return <tr key={row.userId} className={'vouch-users-row' + (selected ? ' theia-mod-selected' : '') + (row.revokedOn ? ' vouch-users-revoked' : '')}
            aria-selected={selected} data-user-id={row.userId}
            onMouseDown={event => { if (event.shiftKey) { event.preventDefault(); } }}
            onClick={event => this.model.select(row.userId, this.gesture(event))}
            onContextMenu={event => this.openContextMenu(event, row)}>
            <td className='vouch-users-name'>{row.humanHandle?.label ?? hidden}</td>
            <td className='vouch-users-email'>{row.humanHandle?.email ?? hidden}</td>
            <td className='vouch-users-profile'>{PROFILE_LABELS[row.profile]()}</td>
            <td className='vouch-users-status'>{row.revokedOn
                ? nls.localize('vouch/users/revokedByOn', 'Revoked by {0} on {1}', row.revokedBy ? this.model.nameOf(row.revokedBy) : '?', new Date(row.revokedOn).toLocaleString())
                : nls.localize('vouch/users/active', 'Active')}</td>
            <td className='vouch-users-joined'>{new Date(row.createdOn).toLocaleDateString()}</td>
        </tr>;
    }
}
