import * as React from '@theia/core/shared/react';
import { CommandRegistry, MenuPath, nls } from '@theia/core';
import { codicon, ContextMenuRenderer } from '@theia/core/lib/browser';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { InvitationSummary } from '@vouch/protocol';
import { invitationsCount, mailDeliveryLabel } from './invitation-words';
import { InvitationsModel } from './invitations-model';

export const INVITATIONS_WIDGET_ID = 'vouch-invitations';

export const InvitationCommandIds = {
    INVITE_USER: 'vouch.invitations.inviteUser',
    ADD_DEVICE: 'vouch.invitations.addDevice',
    GREET: 'vouch.invitations.greet',
    COPY_LINK: 'vouch.invitations.copyLink',
    RESEND: 'vouch.invitations.resend',
    CANCEL: 'vouch.invitations.cancel'
};

/** The context menu of a pending invitation's row: every action on it (its argument is the invitation id). */
export const INVITATION_ROW_CONTEXT_MENU: MenuPath = ['vouch-invitation-row-context-menu'];

export interface InvitationRowAction {
    readonly command: string;
    readonly icon: string;
    /** The context menu's group. */
    readonly group: string;
    readonly className: string;
    label(): string;
}

/** What one can do with a pending invitation: inline icons on its row, and its context menu. */
export const INVITATION_ROW_ACTIONS: readonly InvitationRowAction[] = [
    { command: InvitationCommandIds.GREET, icon: codicon('call-outgoing'), group: '1_greet', className: 'vouch-greet',
        label: () => nls.localize('vouch/invitations/greet', 'Greet') },
    { command: InvitationCommandIds.COPY_LINK, icon: codicon('link'), group: '2_link', className: 'vouch-copy-link',
        label: () => nls.localize('vouch/invitations/copyLink', 'Copy link') },
    { command: InvitationCommandIds.RESEND, icon: codicon('mail'), group: '2_link', className: 'vouch-resend',
        label: () => nls.localize('vouch/invitations/resend', 'Resend email') },
    { command: InvitationCommandIds.CANCEL, icon: codicon('close'), group: '3_cancel', className: 'vouch-cancel-invitation',
        label: () => nls.localize('vouch/invitations/cancelInvitation', 'Cancel invitation') }
];

/**
 * The "Invitations" part of the Invitations & Join Requests view: where invitation emails go, and
 * the pending invitations with their actions as inline icons (as Theia's SCM view shows them) and
 * in each row's context menu. Which actions a row offers is each command's to say.
 */
@injectable()
export class InvitationsWidget extends ReactWidget {
    @inject(InvitationsModel) protected readonly model: InvitationsModel;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;
    @inject(ContextMenuRenderer) protected readonly contextMenu: ContextMenuRenderer;

    @postConstruct()
    protected init(): void {
        this.id = INVITATIONS_WIDGET_ID;
        this.title.label = nls.localize('vouch/invitations/title', 'Invitations');
        this.title.caption = this.title.label;
        this.title.closable = false;
        this.addClass('vouch-invitations');
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.update();
    }

    protected render(): React.ReactNode {
        const invitations = this.model.invitations;
        const mail = this.model.mail;
        return <div className='vouch-invitations-body'>
            <div className='vouch-invitations-actions'>
                {this.button(InvitationCommandIds.INVITE_USER, 'theia-button vouch-invite-user', nls.localize('vouch/invitations/inviteUser', 'Invite User'))}
                {this.button(InvitationCommandIds.ADD_DEVICE, 'theia-button secondary vouch-add-device', nls.localize('vouch/invitations/addDevice', 'Add a Device'))}
            </div>
            {mail && <div className={`vouch-invitations-mail ${mail.kind}`} data-kind={mail.kind}>
                <span className={codicon(mail.kind === 'smtp' ? 'mail' : 'warning')} /> {mailDeliveryLabel(mail)}
            </div>}
            {this.model.error && <div className='vouch-invitations-error'>{this.model.error}</div>}
            {invitations.length === 0
                ? <div className='vouch-invitations-empty'>{nls.localize('vouch/invitations/none', 'No pending invitation.')}</div>
                : <>
                    <div className='vouch-invitations-count'>{nls.localize('vouch/invitations/pendingCount', '{0} pending', invitationsCount(invitations.length))}</div>
                    <ul className='vouch-invitations-list'>{invitations.map(invitation => this.renderRow(invitation))}</ul>
                </>}
        </div>;
    }

    /** A button for a command, shown only when this profile may run it (the command decides, from the rights matrix). */
    protected button(command: string, className: string, label: string): React.ReactNode {
        if (!this.commands.isEnabled(command)) {
            return undefined;
        }
        return <button className={className} onClick={() => this.commands.executeCommand(command)}>{label}</button>;
    }

    /** The row's inline actions; without SMTP, Copy link comes first (the link is how the guest gets it). */
    protected inlineActions(invitation: InvitationSummary): InvitationRowAction[] {
        const visible = INVITATION_ROW_ACTIONS.filter(action => this.commands.isVisible(action.command, invitation.invitationId));
        const copyFirst = this.model.mail?.kind !== 'smtp';
        return copyFirst ? [...visible.filter(a => a.command === InvitationCommandIds.COPY_LINK), ...visible.filter(a => a.command !== InvitationCommandIds.COPY_LINK)] : visible;
    }

    protected showContextMenu(invitation: InvitationSummary, anchor: MouseEvent | { x: number; y: number }): void {
        this.contextMenu.render({ menuPath: INVITATION_ROW_CONTEXT_MENU, anchor, args: [invitation.invitationId], context: this.node });
    }

    protected renderRow(invitation: InvitationSummary): React.ReactNode {
        const who = invitation.kind === 'DEVICE'
            ? nls.localize('vouch/invitations/deviceOf', 'New device of {0}', invitation.email)
            : invitation.email;
        const onKeyDown = (event: React.KeyboardEvent<HTMLLIElement>) => {
            if (event.target === event.currentTarget && (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey))) {
                event.preventDefault();
                const box = event.currentTarget.getBoundingClientRect();
                this.showContextMenu(invitation, { x: box.left + 16, y: box.bottom });
            }
        };
        return <li key={invitation.invitationId} className='vouch-invitation-row' tabIndex={0} data-email={invitation.email}
            data-online={invitation.guestOnline ? 'true' : 'false'} onKeyDown={onKeyDown}
            onContextMenu={event => { event.preventDefault(); this.showContextMenu(invitation, event.nativeEvent); }}>
            <div className='vouch-invitation-main'>
                <div className='vouch-invitation-who'>
                    <span className={`vouch-online-marker ${invitation.guestOnline ? 'online' : 'offline'}`}
                        title={invitation.guestOnline ? nls.localize('vouch/invitations/online', 'The guest is waiting now') : nls.localize('vouch/invitations/offline', 'The guest is not online')} />
                    <span className='vouch-invitation-email'>{who}</span>
                    {invitation.guestOnline && <span className='vouch-invitation-waiting'>{nls.localize('vouch/invitations/waiting', 'waiting')}</span>}
                </div>
                <div className='vouch-invitation-meta'>
                    {invitation.proposedName && <span className='vouch-invitation-name'>{invitation.proposedName} · </span>}
                    {nls.localize('vouch/invitations/createdBy', 'by {0}, {1}', invitation.createdBy.label, new Date(invitation.createdOn).toLocaleString())}
                    {invitation.proposedProfile && <span className='vouch-invitation-profile'>
                        {' · '}{nls.localize('vouch/invitations/proposedProfile', 'proposed: {0}', PROFILE_LABELS[invitation.proposedProfile]())}
                    </span>}
                </div>
                {invitation.emailError && <div className='vouch-invitation-mail-error' title={invitation.emailError}>
                    {nls.localize('vouch/invitations/mailFailed', 'The email could not be sent')}
                </div>}
            </div>
            <div className='vouch-invitation-inline-actions'>
                {this.inlineActions(invitation).map(action => <button key={action.command} className={`vouch-inline-action ${action.className} ${action.icon}`}
                    title={action.label()} aria-label={action.label()} disabled={!this.commands.isEnabled(action.command, invitation.invitationId)}
                    onClick={() => this.commands.executeCommand(action.command, invitation.invitationId)} />)}
            </div>
        </li>;
    }
}
