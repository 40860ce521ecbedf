import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError, DialogMode } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { USER_PROFILES, UserProfile } from '@vouch/protocol';
import { Invitee, invitees, parseAddresses } from '../common/invite-form';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';

/** Addresses typed or pasted (a column, a list), each with an optional profile proposal. */
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
        if (parsed.emails.length === 0) {
            return mode === 'preview' ? '' : nls.localize('vouch/invite/none', 'Enter at least one email address');
        }
        if (parsed.emails.length > 100) {
            return nls.localize('vouch/invite/tooMany', 'At most 100 addresses at once');
        }
        return '';
    }

    protected render(): React.ReactNode {
        const parsed = parseAddresses(this.text);
        return <div className='vouch-form'>
            <label htmlFor='vouch-invite-addresses'>{nls.localize('vouch/invite/addresses', 'Email addresses (one per line, or paste a column)')}</label>
            <textarea id='vouch-invite-addresses' className='theia-input vouch-invite-addresses' rows={5} value={this.text} autoFocus
                onChange={event => { this.text = event.target.value; this.update(); this.validate(); }} />
            {parsed.emails.length > 0 && <table className='vouch-invite-table'>
                <thead><tr><th>{nls.localize('vouch/invite/email', 'Email')}</th><th>{nls.localize('vouch/invite/profile', 'Proposed profile')}</th></tr></thead>
                <tbody>{parsed.emails.map(email => <tr key={email} data-email={email}>
                    <td>{email}</td>
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
