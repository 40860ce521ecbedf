import { Command, CommandContribution, CommandRegistry, MenuContribution, MenuModelRegistry, MessageService, nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { DeviceSchemas, mayRequest, UserProfile, whoMayRequest } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { UserChangePlan } from '../common/user-changes-plan';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { ChangeProfileDialog, RevokeUsersDialog } from './user-changes-dialogs';
import { UserChangesClient } from './user-changes-client';
import { UsersModel } from './users-model';
import { UsersViewContribution } from './users-view-contribution';

import { USERS_CONTEXT_MENU } from './users-menus';

export const UserChangesCommands = {
    CHANGE_PROFILE: Command.toLocalizedCommand({ id: 'vouch.users.changeProfile', label: 'Change Profile…', category: 'Vouch' }, 'vouch/users/changeProfile'),
    REVOKE: Command.toLocalizedCommand({ id: 'vouch.users.revoke', label: 'Revoke User', category: 'Vouch' }, 'vouch/users/revoke')
};

/**
 * Change Profile… and Revoke User, from the palette and the Users view's context menu. Shown
 * only to profiles the rights matrix allows (read at each opening, so a profile change shows
 * at once); a refusal from the server is shown with its reason.
 */
@injectable()
export class UserChangesContribution implements CommandContribution, MenuContribution {
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(UsersModel) protected readonly users: UsersModel;
    @inject(UserChangesClient) protected readonly client: UserChangesClient;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(UsersViewContribution) protected readonly usersView: UsersViewContribution;

    protected may(request: keyof DeviceSchemas): boolean {
        const profile = this.session.profile;
        return profile !== undefined && mayRequest(profile, request);
    }

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(UserChangesCommands.CHANGE_PROFILE, {
            execute: () => this.changeProfile(),
            isVisible: () => this.may('users.changeProfiles'),
            isEnabled: () => this.may('users.changeProfiles')
        });
        registry.registerCommand(UserChangesCommands.REVOKE, {
            execute: () => this.revoke(),
            isVisible: () => this.may('users.revoke'),
            isEnabled: () => this.may('users.revoke')
        });
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(USERS_CONTEXT_MENU, { commandId: UserChangesCommands.CHANGE_PROFILE.id, order: '1' });
        menus.registerMenuAction(USERS_CONTEXT_MENU, { commandId: UserChangesCommands.REVOKE.id, order: '2' });
    }

    /** Refused before anything is signed when this session may not (a keybinding, a stale menu). */
    protected refusedLocally(request: keyof DeviceSchemas): boolean {
        if (this.may(request)) {
            return false;
        }
        this.messages.warn(nls.localize('vouch/users/mayNot', 'You cannot do this: {0}.', whoMayRequest(request)));
        return true;
    }

    protected async selection(): Promise<UserChangePlan['affected'] | undefined> {
        const rows = this.users.selectedRows;
        if (rows.length === 0) {
            await this.usersView.openView({ activate: true, reveal: true });
            this.messages.info(nls.localize('vouch/users/selectFirst', 'Select one or more users in the Users view first.'));
            return undefined;
        }
        return rows;
    }

    protected async changeProfile(): Promise<void> {
        if (this.refusedLocally('users.changeProfiles')) {
            return;
        }
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
            this.messages.info(nls.localize('vouch/users/changed', '{0} user(s) are now {1}.', done.count, PROFILE_LABELS[done.profile]()));
        }
    }

    protected async revoke(): Promise<void> {
        if (this.refusedLocally('users.revoke')) {
            return;
        }
        const rows = await this.selection();
        if (!rows) {
            return;
        }
        let count: number | undefined;
        const dialog = new RevokeUsersDialog(rows, this.users.selfUserId, async plan => {
            const result = await this.client.revoke(plan.affected.map(row => row.userId));
            count = result.ok ? result.count : undefined;
            return result.ok ? undefined : result.message;
        });
        await dialog.open();
        if (count !== undefined) {
            this.messages.info(nls.localize('vouch/users/revokedDone', '{0} user(s) revoked: their devices have lost access.', count));
        }
    }
}
