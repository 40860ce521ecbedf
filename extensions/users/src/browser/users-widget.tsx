import * as React from '@theia/core/shared/react';
import { codicon, Message, ReactWidget } from '@theia/core/lib/browser';
import { isOSX, nls } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { UserProfile } from '@vouch/protocol';
import { UserRow } from '../common/user-rows';
import { SelectionGesture } from '../common/user-selection';
import { UsersModel } from './users-model';

export const USERS_WIDGET_ID = 'vouch-users';

const PROFILE_LABELS: Record<UserProfile, () => string> = {
    ADMINISTRATOR: () => nls.localize('vouch/users/profile/administrator', 'Administrator'),
    MEMBER: () => nls.localize('vouch/users/profile/member', 'Member'),
    EXTERNAL: () => nls.localize('vouch/users/profile/external', 'External')
};

/** Renders the UsersModel: a filter box, a table of users with multi-select, and paging. */
@injectable()
export class UsersWidget extends ReactWidget {
    @inject(UsersModel) protected readonly model: UsersModel;

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

    protected renderRow(row: UserRow): React.ReactNode {
        const selected = this.model.isSelected(row.userId);
        const hidden = nls.localize('vouch/users/hidden', '(hidden)');
        return <tr key={row.userId} className={'vouch-users-row' + (selected ? ' theia-mod-selected' : '') + (row.revokedOn ? ' vouch-users-revoked' : '')}
            aria-selected={selected} data-user-id={row.userId}
            onMouseDown={event => { if (event.shiftKey) { event.preventDefault(); } }}
            onClick={event => this.model.select(row.userId, this.gesture(event))}>
            <td className='vouch-users-name'>{row.humanHandle?.label ?? hidden}</td>
            <td className='vouch-users-email'>{row.humanHandle?.email ?? hidden}</td>
            <td className='vouch-users-profile'>{PROFILE_LABELS[row.profile]()}</td>
            <td className='vouch-users-status'>{row.revokedOn ? nls.localize('vouch/users/revoked', 'Revoked') : nls.localize('vouch/users/active', 'Active')}</td>
            <td className='vouch-users-joined'>{new Date(row.createdOn).toLocaleDateString()}</td>
        </tr>;
    }
}
