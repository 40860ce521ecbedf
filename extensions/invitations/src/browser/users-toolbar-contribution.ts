import { nls } from '@theia/core';
import { codicon } from '@theia/core/lib/browser';
import { TabBarToolbarContribution, TabBarToolbarRegistry } from '@theia/core/lib/browser/shell/tab-bar-toolbar';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { whenMay } from '@vouch/core/lib/common/vouch-context-keys';
import { InvitationCommandIds } from './invitations-widget';

/** The Users view's id (extensions/users): "Invite User" sits in its toolbar too. */
const USERS_WIDGET_ID = 'vouch-users';
const WHEN_MAY_INVITE = whenMay('invitation.inviteUsers');

@injectable()
export class UsersToolbarContribution implements TabBarToolbarContribution {
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;

    registerToolbarItems(registry: TabBarToolbarRegistry): void {
        registry.registerItem({
            id: 'vouch.users.toolbar.inviteUser',
            command: InvitationCommandIds.INVITE_USER,
            icon: codicon('person-add'),
            tooltip: nls.localize('vouch/invitations/inviteUser', 'Invite User'),
            // Those who may not invite see no button at all (not a greyed one). Theia ignores `when` once an item has
            // `isVisible`, so both are checked here; `when` still makes the toolbar re-render as its keys change.
            isVisible: widget => widget?.id === USERS_WIDGET_ID && this.contextKeys.match(WHEN_MAY_INVITE),
            when: WHEN_MAY_INVITE
        });
    }
}
