import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { Message } from '@theia/core/lib/browser/widgets';
import { UserProfile } from '@vouch/protocol';
import { planProfileChange, planRevocation, proposedNewProfile, SkippedUser, SkipReason, UserChangePlan } from '../common/user-changes-plan';
import { UserRow } from '../common/user-rows';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { focusFirstField } from '@vouch/core/lib/browser/vouch-dialogs';

const REASONS: Record<SkipReason, () => string> = {
    'external': () => nls.localize('vouch/users/skip/external', 'External user: changes from External are refused'),
    'to-external': () => nls.localize('vouch/users/skip/toExternal', 'changes to External are refused'),
    'self': () => nls.localize('vouch/users/skip/self', 'yourself'),
    'revoked': () => nls.localize('vouch/users/skip/revoked', 'revoked'),
    'same-profile': () => nls.localize('vouch/users/skip/same', 'already has this profile')
};

/** Runs the change in a service; resolves to a message to show, or undefined when it worked. */
export type UserChangeSubmit = (plan: UserChangePlan, profile?: UserProfile) => Promise<string | undefined>;

function userName(row: UserRow): string {
    return row.humanHandle ? `${row.humanHandle.label} <${row.humanHandle.email}>` : row.userId.slice(0, 8);
}

function SkippedList({ skipped }: { skipped: readonly SkippedUser[] }): React.ReactElement | null {
    if (skipped.length === 0) {
        return null;
    }
    return <div className='vouch-users-skipped'>
        <div className='vouch-users-warning'>{nls.localize('vouch/users/notAffected', 'Not affected ({0}):', skipped.length)}</div>
        <ul>{skipped.map(({ row, reason }) => <li key={row.userId} data-user-id={row.userId}>{userName(row)} — {REASONS[reason]()}</li>)}</ul>
    </div>;
}

/** Shows the changes before they are signed, and the server's refusal when there is one. */
abstract class UserChangeDialog<T> extends ReactDialog<T> {
    protected refusal?: string;
    protected busy = false;

    constructor(title: string, protected readonly submit: UserChangeSubmit, okLabel: string) {
        super({ title });
        this.appendCloseButton(nls.localizeByDefault('Cancel'));
        this.appendAcceptButton(okLabel);
    }

    protected abstract plan(): UserChangePlan;
    protected abstract profile(): UserProfile | undefined;

    protected override async isValid(_value: T, mode: 'open' | 'preview'): Promise<DialogError> {
        if (this.plan().affected.length === 0) {
            return nls.localize('vouch/users/nobody', 'Nobody selected can be changed.');
        }
        if (mode === 'preview') {
            return this.refusal ?? '';
        }
        this.busy = true;
        this.update();
        try {
            this.refusal = await this.submit(this.plan(), this.profile());
        } finally {
            this.busy = false;
            this.update();
        }
        return this.refusal ?? '';
    }

    /** A second click or Enter while the first batch is being signed and sent does nothing. */
    protected override async accept(): Promise<void> {
        if (!this.busy) {
            await super.accept();
        }
    }
}

export class ChangeProfileDialog extends UserChangeDialog<UserProfile> {
    protected selected: UserProfile;

    constructor(protected readonly rows: readonly UserRow[], protected readonly selfUserId: string | undefined, submit: UserChangeSubmit) {
        super(nls.localize('vouch/users/changeProfileTitle', 'Change Profile'), submit, nls.localize('vouch/users/change', 'Change'));
        this.node.classList.add('vouch-change-profile-dialog');
        this.selected = proposedNewProfile(rows, selfUserId);
        this.update();
    }

    /** The profile choice has the focus first (the accept button would change at once on Enter). */
    protected override onActivateRequest(msg: Message): void {
        if (!focusFirstField(this.contentNode)) {
            super.onActivateRequest(msg);
        }
    }

    get value(): UserProfile { return this.selected; }
    protected profile(): UserProfile { return this.selected; }
    protected plan(): UserChangePlan { return planProfileChange(this.rows, this.selfUserId, this.selected); }

    protected render(): React.ReactNode {
        const plan = this.plan();
        return <div className='vouch-users-dialog'>
            <label>{nls.localize('vouch/users/newProfile', 'New profile')}{' '}
                <select className='theia-select vouch-users-new-profile' value={this.selected} disabled={this.busy} autoFocus
                    onChange={event => { this.selected = event.target.value as UserProfile; this.refusal = undefined; this.validate(); this.update(); }}>
                    {(['MEMBER', 'ADMINISTRATOR'] as const).map(profile => <option key={profile} value={profile}>{PROFILE_LABELS[profile]()}</option>)}
                </select>
            </label>
            <div className='vouch-users-affected'>{localizePlural('vouch/users/willChange', plan.affected.length, { one: 'One user will become {1}.', other: '{0} users will become {1}.' }, PROFILE_LABELS[this.selected]())}</div>
            <SkippedList skipped={plan.skipped} />
        </div>;
    }
}

export class RevokeUsersDialog extends UserChangeDialog<void> {
    /** What the revocation will cause (workspaces to re-encrypt, last Owners); undefined while it is being asked. */
    protected consequences: readonly string[] | undefined;

    constructor(protected readonly rows: readonly UserRow[], protected readonly selfUserId: string | undefined, submit: UserChangeSubmit,
        consequences?: (userIds: readonly string[]) => Promise<readonly string[]>) {
        super(nls.localize('vouch/users/revokeTitle', 'Revoke User'), submit, nls.localize('vouch/users/revokeAction', 'Revoke'));
        this.node.classList.add('vouch-revoke-dialog');
        const affected = this.plan().affected.map(row => row.userId);
        if (consequences && affected.length > 0) {
            consequences(affected).then(lines => { this.consequences = lines; this.update(); },
                error => { this.consequences = [nls.localize('vouch/users/consequencesUnknown', 'What it causes in workspaces could not be read: {0}', String(error))]; this.update(); });
        } else {
            this.consequences = [];
        }
        this.update();
    }

    get value(): void { return undefined; }
    protected profile(): undefined { return undefined; }
    protected plan(): UserChangePlan { return planRevocation(this.rows, this.selfUserId); }

    protected render(): React.ReactNode {
        const plan = this.plan();
        return <div className='vouch-users-dialog'>
            <div className='vouch-users-warning'>{nls.localize('vouch/users/revokeWarning',
                'Revocation is irreversible: every device of these users loses access at once. A revoked person who needs to come back must be invited again as a new user.')}</div>
            <div className='vouch-users-affected'>{localizePlural('vouch/users/willRevoke', plan.affected.length, { one: 'One user will be revoked:', other: '{0} users will be revoked:' })}</div>
            <ul>{plan.affected.map(row => <li key={row.userId} data-user-id={row.userId}>{userName(row)}</li>)}</ul>
            <div className='vouch-revoke-consequences'>{this.consequences === undefined
                ? nls.localize('vouch/users/consequencesLoading', 'Reading what it will cause in workspaces…')
                : this.consequences.map((line, index) => <div key={index} className='vouch-revoke-consequence'>{line}</div>)}</div>
            <SkippedList skipped={plan.skipped} />
        </div>;
    }
}
