import { nls } from '@theia/core';
import { codicon } from '@theia/core/lib/browser';
import { TabBarToolbarContribution, TabBarToolbarRegistry } from '@theia/core/lib/browser/shell/tab-bar-toolbar';
import { injectable } from '@theia/core/shared/inversify';
import { InvitationCommandIds } from './invitations-widget';

/** The Users view's id (extensions/users): "Invite User" sits in its toolbar too. */
const USERS_WIDGET_ID = 'vouch-users';

@injectable()
export class UsersToolbarContribution implements TabBarToolbarContribution {
    registerToolbarItems(registry: TabBarToolbarRegistry): void {
        registry.registerItem({
            id: 'vouch.users.toolbar.inviteUser',
            command: InvitationCommandIds.INVITE_USER,
            icon: codicon('person-add'),
            tooltip: nls.localize('vouch/invitations/inviteUser', 'Invite User'),
            isVisible: widget => widget?.id === USERS_WIDGET_ID
        });
    }
}
