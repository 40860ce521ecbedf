import { Command, CommandContribution, CommandRegistry, CommandService, MenuModelRegistry, MessageService, nls } from '@theia/core';
import { AbstractViewContribution, codicon, FrontendApplicationContribution, KeybindingRegistry, ViewContainer } from '@theia/core/lib/browser';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { VouchLinkContribution } from '@vouch/core/lib/browser/vouch-link-handler';
import { INVITATIONS_VIEW_CONTAINER_ID } from '@vouch/core/lib/browser/vouch-views';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { NOTIFY_GUEST_WAITING, VouchNotificationPreferences } from '@vouch/core/lib/common/notification-preferences';
import { DeviceRequest, whenMay, whenMayNow } from '@vouch/core/lib/common/vouch-context-keys';
import { InvitationSummary, InviteResult, LinkAction, MailDelivery, VouchLink } from '@vouch/protocol';
import { GuestGreetingService } from './guest-greeting-service';
import { HostGreetingService } from './host-greeting-service';
import { InviteUsersDialog } from './invite-dialog';
import { InvitationClient } from './invitation-client';
import { invitedText } from './invitation-words';
import { InvitationsModel } from './invitations-model';
import { INVITATION_ROW_ACTIONS, INVITATION_ROW_CONTEXT_MENU, InvitationCommandIds } from './invitations-widget';

export const InvitationCommands = {
    SHOW: Command.toLocalizedCommand({ id: 'vouch.invitations.show', label: 'Show Invitations', category: 'Vouch' }, 'vouch/invitations/show'),
    INVITE_USER: Command.toLocalizedCommand({ id: InvitationCommandIds.INVITE_USER, label: 'Invite User', category: 'Vouch' }, 'vouch/invitations/inviteUserCommand'),
    ADD_DEVICE: Command.toLocalizedCommand({ id: InvitationCommandIds.ADD_DEVICE, label: 'Add a Device', category: 'Vouch' }, 'vouch/invitations/addDeviceCommand'),
    // Row actions: they take the invitation id, so they stay out of the palette.
    GREET: { id: InvitationCommandIds.GREET },
    COPY_LINK: { id: InvitationCommandIds.COPY_LINK },
    RESEND: { id: InvitationCommandIds.RESEND },
    CANCEL: { id: InvitationCommandIds.CANCEL }
};

const USERS_SHOW_COMMAND = 'vouch.users.show';

/**
 * The "Invitations & Join Requests" view, the invite and greet commands, the notifications
 * Administrators get when a guest waits, and the guest's way in when an invitation link is
 * opened.
 */
@injectable()
export class InvitationsContribution extends AbstractViewContribution<ViewContainer> implements CommandContribution, FrontendApplicationContribution, VouchLinkContribution {
    readonly actions: readonly LinkAction[] = ['claim'];

    @inject(InvitationClient) protected readonly client: InvitationClient;
    @inject(InvitationsModel) protected readonly model: InvitationsModel;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ClipboardService) protected readonly clipboard: ClipboardService;
    @inject(CommandService) protected readonly commandService: CommandService;
    @inject(HostGreetingService) protected readonly hostGreetings: HostGreetingService;
    @inject(GuestGreetingService) protected readonly guestGreetings: GuestGreetingService;
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;
    @inject(VouchNotificationPreferences) protected readonly notificationPreferences: VouchNotificationPreferences;

    constructor() {
        super({
            widgetId: INVITATIONS_VIEW_CONTAINER_ID,
            widgetName: nls.localize('vouch/invitations/container', 'Invitations & Join Requests'),
            defaultWidgetOptions: { area: 'left', rank: 650 }
        });
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        /** Shown to the profiles the rights matrix lets send the request; enabled while connected. */
        const may = (request: DeviceRequest) => ({
            isVisible: () => this.contextKeys.match(whenMay(request)),
            isEnabled: () => this.contextKeys.match(whenMayNow(request))
        });
        /** A row action: on a listed invitation, by those the matrix lets send its request. */
        const onRow = (request: DeviceRequest, shown: (id: string) => boolean = () => true) => ({
            isVisible: (id: unknown) => typeof id === 'string' && this.model.find(id) !== undefined && shown(id) && this.contextKeys.match(whenMay(request)),
            isEnabled: () => this.contextKeys.match(whenMayNow(request))
        });
        registry.registerCommand(InvitationCommands.SHOW, { execute: () => this.openView({ activate: true, reveal: true }) });
        registry.registerCommand(InvitationCommands.INVITE_USER, { execute: () => this.inviteUsers(), ...may('invitation.inviteUsers') });
        registry.registerCommand(InvitationCommands.ADD_DEVICE, { execute: () => this.addDevice(), ...may('invitation.inviteDevice') });
        registry.registerCommand(InvitationCommands.GREET, { execute: (id: string) => this.hostGreetings.greet(id), ...onRow('greeting.start') });
        registry.registerCommand(InvitationCommands.COPY_LINK, {
            execute: (id: string) => this.copyLink(id), isVisible: (id: unknown) => typeof id === 'string' && this.model.find(id) !== undefined
        });
        // Resending means something only where email leaves the machine.
        registry.registerCommand(InvitationCommands.RESEND, { execute: (id: string) => this.resend(id), ...onRow('invitation.resend', () => this.model.mail?.kind === 'smtp') });
        registry.registerCommand(InvitationCommands.CANCEL, { execute: (id: string) => this.cancel(id), ...onRow('invitation.cancel') });
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        keybindings.registerKeybinding({ command: InvitationCommands.INVITE_USER.id, keybinding: 'ctrlcmd+alt+i', when: whenMayNow('invitation.inviteUsers') });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        INVITATION_ROW_ACTIONS.forEach((action, index) => menus.registerMenuAction([...INVITATION_ROW_CONTEXT_MENU, action.group], {
            commandId: action.command, label: action.label(), icon: action.icon, order: String(index)
        }));
    }

    onStart(): void {
        this.client.onGuestWaiting(event => this.offerGreeting(event));
        // Back on line (a reload and unlock, a reconnection): guests still waiting are offered again.
        this.client.session.onDidChangeState(async state => {
            if (state === 'connected') {
                await this.model.refresh();
                this.model.invitations.filter(invitation => invitation.guestOnline).forEach(invitation => this.offerGreeting(invitation));
            }
        });
    }

    /** A guest waits on its link: those who may greet it are offered Greet, unless this page greets it already. */
    protected async offerGreeting(guest: Pick<InvitationSummary, 'invitationId' | 'kind' | 'email'>): Promise<void> {
        // Who may greet a user invitation is who may invite users (the rights matrix); anyone greets their own new device.
        if (!this.notificationPreferences[NOTIFY_GUEST_WAITING] || (guest.kind === 'USER' && !this.contextKeys.may('invitation.inviteUsers'))
            || this.hostGreetings.isGreeting(guest.invitationId)) { return; }
        const greet = nls.localize('vouch/invitations/greet', 'Greet');
        const answer = await this.messages.info(guest.kind === 'USER'
            ? nls.localize('vouch/invitations/guestWaiting', '{0} is waiting to be greeted', guest.email)
            : nls.localize('vouch/invitations/deviceWaiting', 'Your new device is waiting to be greeted'), greet);
        if (answer === greet) {
            await this.hostGreetings.greet(guest.invitationId);
        }
    }

    protected async inviteUsers(): Promise<void> {
        const invitees = await new InviteUsersDialog().open();
        if (!invitees || invitees.length === 0) { return; }
        const reply = await this.client.request('invitation.inviteUsers', { invitees, sendEmail: true });
        if (!reply.ok) {
            this.messages.error(describeApiError(reply.error));
            return;
        }
        await this.model.refresh();
        this.openView({ activate: false, reveal: true });
        await this.report(reply.value.results, reply.value.mail);
    }

    /** Who was invited and where the invitations went; without SMTP, Copy link comes first. */
    protected async report(results: readonly InviteResult[], mail: MailDelivery): Promise<void> {
        for (const result of results) {
            if (result.outcome === 'refused') {
                this.messages.warn(nls.localize('vouch/invitations/refusedOne', '{0} was not invited: {1}', result.email, result.error ?? ''));
            } else if (result.emailError) {
                this.messages.warn(nls.localize('vouch/invitations/mailNotSent', '{0} The invitation stays pending: copy its link from the Invitations view.', result.emailError));
            }
        }
        const invited = results.filter(result => result.outcome !== 'refused' && result.invitation);
        if (invited.length === 0) { return; }
        if (mail.kind === 'smtp') {
            this.messages.info(invitedText(invited.map(result => result.email), mail));
            return;
        }
        const copy = invited.length === 1 ? nls.localize('vouch/invitations/copyLink', 'Copy link') : nls.localize('vouch/invitations/copyLinks', 'Copy links');
        if (await this.messages.info(invitedText(invited.map(result => result.email), mail), copy) === copy) {
            await this.clipboard.writeText(invited.length === 1
                ? invited[0].invitation!.link
                : invited.map(result => `${result.email}\t${result.invitation!.link}`).join('\n'));
        }
    }

    protected async addDevice(): Promise<void> {
        const reply = await this.client.request('invitation.inviteDevice', { sendEmail: false });
        if (!reply.ok || !reply.value.invitation) {
            this.messages.error(reply.ok
                ? nls.localize('vouch/invitations/deviceRefused', 'No device invitation was made: {0}', reply.value.error ?? '')
                : describeApiError(reply.error));
            return;
        }
        await this.model.refresh();
        this.openView({ activate: true, reveal: true });
        const copy = nls.localize('vouch/invitations/copyLink', 'Copy link');
        const answer = await this.messages.info(nls.localize('vouch/invitations/deviceLink',
            'Open this link on the new device, then click Greet here when it waits: {0}', reply.value.invitation.link), copy);
        if (answer === copy) {
            await this.clipboard.writeText(reply.value.invitation.link);
        }
    }

    protected async invitation(invitationId: string): Promise<InvitationSummary | undefined> {
        const found = await this.model.pending(invitationId);
        if (!found) {
            this.messages.warn(nls.localize('vouch/invitations/gone', 'This invitation is no longer pending'));
        }
        return found;
    }

    protected async copyLink(invitationId: string): Promise<void> {
        const invitation = await this.invitation(invitationId);
        if (invitation) {
            await this.clipboard.writeText(invitation.link);
            this.messages.info(nls.localize('vouch/invitations/linkCopied', 'The link of {0} is in the clipboard', invitation.email));
        }
    }

    protected async resend(invitationId: string): Promise<void> {
        const reply = await this.client.request('invitation.resend', { invitationId });
        if (!reply.ok) {
            this.messages.error(describeApiError(reply.error));
        } else if (reply.value.emailSent) {
            this.messages.info(nls.localize('vouch/invitations/resent', 'The email was sent again'));
        } else {
            this.messages.warn(reply.value.emailError ?? '');
        }
    }

    protected async cancel(invitationId: string): Promise<void> {
        const invitation = await this.invitation(invitationId);
        if (!invitation) { return; }
        const yes = nls.localize('vouch/invitations/cancelConfirm', 'Cancel the invitation');
        const answer = await this.messages.warn(nls.localize('vouch/invitations/cancelQuestion', 'Cancel the invitation of {0}? Its link stops working.', invitation.email), yes);
        if (answer !== yes) { return; }
        const reply = await this.client.request('invitation.cancel', { invitationId });
        if (!reply.ok) {
            this.messages.error(describeApiError(reply.error));
        }
        await this.model.refresh();
    }

    /** An invitation link was opened: claim it and wait to be greeted. */
    async openLink(link: VouchLink): Promise<void> {
        if (link.action !== 'claim') { return; }
        await this.client.session.ready;
        if (this.client.session.state !== 'no-device') {
            this.messages.warn(nls.localize('vouch/guest/hasDevice',
                'This browser already holds a device of {0}. Open the invitation link in another browser or profile.', this.client.session.device?.humanHandle.email ?? ''));
            return;
        }
        const reply = await this.client.requestAnonymous('invitation.claim', { organizationId: link.organizationId, token: link.token });
        if (!reply.ok) {
            this.messages.error(describeApiError(reply.error));
            return;
        }
        await this.guestGreetings.welcome(reply.value, link.token, () => {
            this.messages.info(nls.localize('vouch/guest/welcome', 'Welcome to {0}', reply.value.organizationId));
            this.commandService.executeCommand(USERS_SHOW_COMMAND).catch(() => undefined);
        });
    }
}

export const INVITATIONS_CONTAINER_ICON = codicon('mail');
