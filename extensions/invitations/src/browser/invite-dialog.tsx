import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError, DialogMode } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { Message } from '@theia/core/lib/browser/widgets';
import { INVITATIONS_MAX_PER_REQUEST, USER_PROFILES, UserProfile } from '@vouch/protocol';
import { Invitee, invitees, parseAddresses } from '../common/invite-form';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { usersCount } from './invitation-words';

/**
 * Addresses typed or pasted (a column, a list, or a spreadsheet selection of names and
 * addresses), each with an optional profile proposal.
 */
export class InviteUsersDialog extends ReactDialog<Invitee[]> {
    protected text = '';
    protected profiles: Record<string, UserProfile | undefined> = {};

    constructor() {
        super({ title: nls.localize('vouch/invite/title', 'Invite users') });
        this.node.classList.add('vouch-invite-dialog');
        this.appendCloseButton(nls.localizeByDefault('Cancel'));
        this.appendAcceptButton(nls.localize('vouch/invite/invite', 'Invite'));
    }

    get value(): Invitee[] {
        return invitees(parseAddresses(this.text), this.profiles);
    }

    protected override isValid(_value: Invitee[], mode: DialogMode): DialogError {
        const parsed = parseAddresses(this.text);
        if (parsed.invalid.length > 0) {
            return nls.localize('vouch/invite/invalid', 'Not an email address: {0}', parsed.invalid.join(', '));
        }
        if (parsed.invitees.length === 0) {
            return mode === 'preview' ? '' : nls.localize('vouch/invite/none', 'Enter at least one email address');
        }
        if (parsed.invitees.length > INVITATIONS_MAX_PER_REQUEST) {
            return nls.localize('vouch/invite/tooMany', 'At most {0} addresses at once', INVITATIONS_MAX_PER_REQUEST);
        }
        return '';
    }

    protected override onUpdateRequest(msg: Message): void {
        super.onUpdateRequest(msg);
        const count = parseAddresses(this.text).invitees.length;
        if (this.acceptButton) {
            this.acceptButton.textContent = count > 0
                ? nls.localize('vouch/invite/inviteCount', 'Invite {0}', usersCount(count))
                : nls.localize('vouch/invite/invite', 'Invite');
        }
    }

    protected render(): React.ReactNode {
        const parsed = parseAddresses(this.text);
        return <div className='vouch-form'>
            <label htmlFor='vouch-invite-addresses'>
                {nls.localize('vouch/invite/addresses', 'Email addresses (one per line, or paste a column, or names and addresses from a spreadsheet)')}
            </label>
            <textarea id='vouch-invite-addresses' className='theia-input vouch-invite-addresses' rows={5} value={this.text} autoFocus
                onChange={event => { this.text = event.target.value; this.update(); this.validate(); }} />
            {parsed.header && <div className='vouch-invite-header-note'>
                {nls.localize('vouch/invite/headerLeftOut', 'Header row left out: {0}', parsed.header.replace(/\t/g, ' · '))}
            </div>}
            {parsed.invitees.length > 0 && <table className='vouch-invite-table'>
                <thead><tr>
                    <th>{nls.localize('vouch/invite/email', 'Email')}</th>
                    <th>{nls.localize('vouch/invite/name', 'Name')}</th>
                    <th>{nls.localize('vouch/invite/profile', 'Proposed profile')}</th>
                </tr></thead>
                <tbody>{parsed.invitees.map(({ email, name }) => <tr key={email} data-email={email}>
                    <td>{email}</td>
                    <td className='vouch-invite-name'>{name ?? ''}</td>
                    <td><select className='theia-select vouch-invite-profile' value={this.profiles[email] ?? ''}
                        onChange={event => { this.profiles = { ...this.profiles, [email]: (event.target.value || undefined) as UserProfile | undefined }; this.update(); }}>
                        <option value=''>{nls.localize('vouch/invite/noProposal', 'Decide when greeting')}</option>
                        {USER_PROFILES.map(profile => <option key={profile} value={profile}>{PROFILE_LABELS[profile]()}</option>)}
                    </select></td>
                </tr>)}</tbody>
            </table>}
        </div>;
    }
}
