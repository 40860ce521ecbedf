import * as React from '@theia/core/shared/react';
import { CommandRegistry, nls } from '@theia/core';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { InvitationSummary } from '@vouch/protocol';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
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

/** The "Invitations" part of the Invitations & Join Requests view: pending invitations and what one can do with each. */
@injectable()
export class InvitationsWidget extends ReactWidget {
    @inject(InvitationsModel) protected readonly model: InvitationsModel;
    @inject(CommandRegistry) protected readonly commands: CommandRegistry;

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
        return <div className='vouch-invitations-body'>
            <div className='vouch-invitations-actions'>
                {this.button(InvitationCommandIds.INVITE_USER, 'theia-button vouch-invite-user', nls.localize('vouch/invitations/inviteUser', 'Invite User'))}
                {this.button(InvitationCommandIds.ADD_DEVICE, 'theia-button secondary vouch-add-device', nls.localize('vouch/invitations/addDevice', 'Add a Device'))}
            </div>
            {this.model.error && <div className='vouch-invitations-error'>{this.model.error}</div>}
            {invitations.length === 0
                ? <div className='vouch-invitations-empty'>{nls.localize('vouch/invitations/none', 'No pending invitation.')}</div>
                : <ul className='vouch-invitations-list'>{invitations.map(invitation => this.renderRow(invitation))}</ul>}
        </div>;
    }

    /** A button for a command, shown only when this profile may run it (the command decides, from the rights matrix). */
    protected button(command: string, className: string, label: string, ...args: unknown[]): React.ReactNode {
        if (!this.commands.isEnabled(command, ...args)) {
            return undefined;
        }
        return <button className={className} onClick={() => this.commands.executeCommand(command, ...args)}>{label}</button>;
    }

    protected renderRow(invitation: InvitationSummary): React.ReactNode {
        const who = invitation.kind === 'DEVICE'
            ? nls.localize('vouch/invitations/deviceOf', 'New device of {0}', invitation.email)
            : invitation.email;
        return <li key={invitation.invitationId} className='vouch-invitation-row' data-email={invitation.email} data-online={invitation.guestOnline ? 'true' : 'false'}>
            <div className='vouch-invitation-who'>
                <span className={`vouch-online-marker ${invitation.guestOnline ? 'online' : 'offline'}`}
                    title={invitation.guestOnline ? nls.localize('vouch/invitations/online', 'The guest is waiting now') : nls.localize('vouch/invitations/offline', 'The guest is not online')} />
                <span className='vouch-invitation-email'>{who}</span>
                {invitation.guestOnline && <span className='vouch-invitation-waiting'>{nls.localize('vouch/invitations/waiting', 'waiting')}</span>}
            </div>
            <div className='vouch-invitation-meta'>
                {nls.localize('vouch/invitations/createdBy', 'by {0}, {1}', invitation.createdBy.label, new Date(invitation.createdOn).toLocaleString())}
                {invitation.proposedProfile && ` · ${PROFILE_LABELS[invitation.proposedProfile]()}`}
            </div>
            {invitation.emailError && <div className='vouch-invitation-mail-error' title={invitation.emailError}>{nls.localize('vouch/invitations/mailFailed', 'The email could not be sent')}</div>}
            <div className='vouch-invitation-buttons'>
                {this.button(InvitationCommandIds.GREET, 'theia-button vouch-greet', nls.localize('vouch/invitations/greet', 'Greet'), invitation.invitationId)}
                {this.button(InvitationCommandIds.COPY_LINK, 'theia-button secondary vouch-copy-link', nls.localize('vouch/invitations/copyLink', 'Copy link'), invitation.invitationId)}
                {this.button(InvitationCommandIds.RESEND, 'theia-button secondary vouch-resend', nls.localize('vouch/invitations/resend', 'Resend email'), invitation.invitationId)}
                {this.button(InvitationCommandIds.CANCEL, 'theia-button secondary vouch-cancel-invitation', nls.localize('vouch/invitations/cancel', 'Cancel'), invitation.invitationId)}
            </div>
        </li>;
    }
}
