import {
    Command, CommandContribution, CommandRegistry, MenuContribution, MenuModelRegistry, MessageService, nls, SelectionService
} from '@theia/core';
import { KeybindingContribution, KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { UserProfile } from '@vouch/protocol';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { whenMay, whenMayNow } from '@vouch/core/lib/common/vouch-context-keys';
import { UserChangePlan } from '../common/user-changes-plan';
import { RevocationImpactProvider } from './revocation-impact';
import { ChangeProfileDialog, RevokeUsersDialog } from './user-changes-dialogs';
import { UserChangesClient } from './user-changes-client';
import { UsersMenus, WHEN_USERS_LIST_FOCUS } from './users-menus';
import { UsersModel } from './users-model';
import { UsersSelection } from './users-selection';
import { UsersViewContribution } from './users-view-contribution';

export const UserChangesCommands = {
    CHANGE_PROFILE: Command.toLocalizedCommand({ id: 'vouch.users.changeProfile', label: 'Change Profile…', category: 'Vouch' }, 'vouch/users/changeProfile'),
    REVOKE: Command.toLocalizedCommand({ id: 'vouch.users.revoke', label: 'Revoke User', category: 'Vouch' }, 'vouch/users/revoke')
};

/**
 * Change Profile… (F2 in the Users view) and Revoke User (Delete there), from the palette, the
 * keys and the Users view's context menu, on the users selected there (SelectionService).
 * Who sees them is the rights matrix, through the `vouchMay` context keys; a refusal from the
 * server is shown with its reason.
 */
@injectable()
export class UserChangesContribution implements CommandContribution, MenuContribution, KeybindingContribution {
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;
    @inject(SelectionService) protected readonly selectionService: SelectionService;
    @inject(UsersModel) protected readonly users: UsersModel;
    @inject(UserChangesClient) protected readonly client: UserChangesClient;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(UsersViewContribution) protected readonly usersView: UsersViewContribution;
    @inject(RevocationImpactProvider) @optional() protected readonly impact: RevocationImpactProvider | undefined;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(UserChangesCommands.CHANGE_PROFILE, {
            execute: () => this.changeProfile(),
            isVisible: () => this.contextKeys.match(whenMay('users.changeProfiles')),
            isEnabled: () => this.contextKeys.match(whenMayNow('users.changeProfiles'))
        });
        registry.registerCommand(UserChangesCommands.REVOKE, {
            execute: () => this.revoke(),
            isVisible: () => this.contextKeys.match(whenMay('users.revoke')),
            isEnabled: () => this.contextKeys.match(whenMayNow('users.revoke'))
        });
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(UsersMenus.CHANGE, { commandId: UserChangesCommands.CHANGE_PROFILE.id, order: '1', when: whenMay('users.changeProfiles') });
        menus.registerMenuAction(UsersMenus.CHANGE, { commandId: UserChangesCommands.REVOKE.id, order: '2', when: whenMay('users.revoke') });
    }

    registerKeybindings(keybindings: KeybindingRegistry): void {
        keybindings.registerKeybindings(
            { command: UserChangesCommands.CHANGE_PROFILE.id, keybinding: 'f2', when: `${WHEN_USERS_LIST_FOCUS} && ${whenMayNow('users.changeProfiles')}` },
            { command: UserChangesCommands.REVOKE.id, keybinding: 'delete', when: `${WHEN_USERS_LIST_FOCUS} && ${whenMayNow('users.revoke')}` }
        );
    }

    /** The users selected in the Users view; with none, the view opens and says to select first. */
    protected async selection(): Promise<UserChangePlan['affected'] | undefined> {
        const rows = UsersSelection.rowsOf(this.selectionService.selection);
        if (rows.length === 0) {
            await this.usersView.openView({ activate: true, reveal: true });
            this.messages.info(nls.localize('vouch/users/selectFirst', 'Select one or more users in the Users view first.'));
            return undefined;
        }
        return rows;
    }

    protected async changeProfile(): Promise<void> {
        const rows = await this.selection();
        if (!rows) {
            return;
        }
        let done: { count: number; profile: UserProfile } | undefined;
        const dialog = new ChangeProfileDialog(rows, this.users.selfUserId, async (plan, profile) => {
            const result = await this.client.changeProfiles(plan.affected.map(row => row.userId), profile!);
            done = result.ok ? { count: result.count, profile: profile! } : undefined;
            return result.ok ? undefined : result.message;
        });
        if (await dialog.open() !== undefined && done) {
            this.messages.info(localizePlural('vouch/users/changed', done.count, { one: 'One user is now {1}.', other: '{0} users are now {1}.' }, PROFILE_LABELS[done.profile]()));
        }
    }

    protected async revoke(): Promise<void> {
        const rows = await this.selection();
        if (!rows) {
            return;
        }
        let count: number | undefined;
        const dialog = new RevokeUsersDialog(rows, this.users.selfUserId, async plan => {
            const result = await this.client.revoke(plan.affected.map(row => row.userId));
            count = result.ok ? result.count : undefined;
            return result.ok ? undefined : result.message;
        }, this.impact && (userIds => this.impact!.describe(userIds)));
        await dialog.open();
        if (count !== undefined) {
            this.messages.info(localizePlural('vouch/users/revokedDone', count, {
                one: 'One user revoked: their devices have lost access.',
                other: '{0} users revoked: their devices have lost access.'
            }));
        }
    }
}
