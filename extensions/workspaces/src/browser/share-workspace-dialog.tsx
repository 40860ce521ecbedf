import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core';
import { DialogError, DialogMode } from '@theia/core/lib/browser/dialogs';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import { Message } from '@theia/core/lib/browser/widgets';
import { focusFirstField } from '@vouch/core/lib/browser/vouch-dialogs';
import { PROFILE_LABELS } from '@vouch/core/lib/browser/profile-labels';
import { WORKSPACE_ROLES, WorkspaceRole } from '@vouch/protocol';
import { UserRow } from '@vouch/users/lib/common/user-rows';
import { RoleChange, WorkspaceInfo } from '../common/workspace-engine-api';
import { PeopleDirectory } from './people-directory';
import { ROLE_LABELS } from './workspace-words';

/** How long typing pauses before the people picker asks the server. */
const SEARCH_DEBOUNCE_MS = 250;

/** The role a newly picked person gets unless changed. */
const DEFAULT_NEW_ROLE: WorkspaceRole = 'CONTRIBUTOR';

/**
 * Share Workspace…: the members with their roles (change one, or remove them), and people to
 * add, found through the same search as the Users view. The rules of roles are the engine's
 * and the server's: a refusal is shown here, with its reason, and the dialog stays open.
 */
export class ShareWorkspaceDialog extends ReactDialog<RoleChange[]> {
    /** Role wanted per user; null removes a member. */
    protected readonly wanted = new Map<string, WorkspaceRole | null>();
    protected readonly picked = new Map<string, UserRow>();
    protected query = '';
    protected results: readonly UserRow[] = [];
    protected searchProblem?: string;
    protected searchTimer?: ReturnType<typeof setTimeout>;
    protected busy = false;
    protected refusal?: string;

    constructor(
        protected readonly workspace: WorkspaceInfo,
        protected readonly selfUserId: string,
        protected readonly people: PeopleDirectory,
        protected readonly submit: (changes: RoleChange[]) => Promise<string | undefined>
    ) {
        super({ title: nls.localize('vouch/workspaces/share/title', 'Share {0}', workspace.name ?? workspace.workspaceId) });
        this.node.classList.add('vouch-share-workspace-dialog');
        this.appendCloseButton(nls.localizeByDefault('Cancel'));
        this.appendAcceptButton(nls.localize('vouch/workspaces/share/apply', 'Share'));
        this.toDispose.push({ dispose: () => clearTimeout(this.searchTimer) });
        this.search();
    }

    get value(): RoleChange[] {
        const changes: RoleChange[] = [];
        for (const [userId, role] of this.wanted) {
            const current = this.workspace.members.find(member => member.userId === userId)?.role ?? null;
            if (role !== current) {
                changes.push({ userId: userId as RoleChange['userId'], role });
            }
        }
        return changes;
    }

    protected override async isValid(value: RoleChange[], mode: DialogMode): Promise<DialogError> {
        if (value.length === 0) {
            return mode === 'preview' ? '' : nls.localize('vouch/workspaces/share/nothing', 'Pick someone to add, or change a role');
        }
        if (mode === 'preview') {
            return this.refusal ?? '';
        }
        this.busy = true;
        this.update();
        try {
            this.refusal = await this.submit(value);
            return this.refusal ?? '';
        } finally {
            this.busy = false;
            this.update();
        }
    }

    protected override async accept(): Promise<void> {
        if (!this.busy) {
            await super.accept();
        }
    }

    protected override onActivateRequest(msg: Message): void {
        if (!focusFirstField(this.contentNode)) {
            super.onActivateRequest(msg);
        }
    }

    protected changed(): void {
        this.refusal = undefined;
        this.update();
        this.validate();
    }

    protected typed(query: string): void {
        this.query = query;
        this.update();
        clearTimeout(this.searchTimer);
        this.searchTimer = setTimeout(() => this.search(), SEARCH_DEBOUNCE_MS);
    }

    protected async search(): Promise<void> {
        const query = this.query;
        const found = await this.people.search(query);
        if (query !== this.query) {
            return;
        }
        this.results = found.rows.filter(row => row.userId !== this.selfUserId && !this.workspace.members.some(member => member.userId === row.userId));
        this.searchProblem = found.problem;
        this.update();
    }

    protected pick(row: UserRow, checked: boolean): void {
        if (checked) {
            this.picked.set(row.userId, row);
            this.wanted.set(row.userId, DEFAULT_NEW_ROLE);
        } else {
            this.picked.delete(row.userId);
            this.wanted.delete(row.userId);
        }
        this.changed();
    }

    protected roleSelect(userId: string, role: WorkspaceRole | null, label: string): React.ReactNode {
        return <select className='theia-select vouch-share-role' aria-label={label} value={role ?? ''} disabled={this.busy || userId === this.selfUserId}
            onChange={event => { this.wanted.set(userId, (event.target.value || null) as WorkspaceRole | null); this.changed(); }}>
            {WORKSPACE_ROLES.map(option => <option key={option} value={option}>{ROLE_LABELS[option]()}</option>)}
            {this.workspace.members.some(member => member.userId === userId) &&
                <option value=''>{nls.localize('vouch/workspaces/share/remove', 'Remove from workspace')}</option>}
        </select>;
    }

    protected render(): React.ReactNode {
        return <div className='vouch-form vouch-share-form'>
            <label htmlFor='vouch-share-search'>{nls.localize('vouch/workspaces/share/add', 'Add people')}</label>
            <input id='vouch-share-search' className='theia-input vouch-share-search' type='search' value={this.query} disabled={this.busy}
                placeholder={nls.localize('vouch/workspaces/share/searchPlaceholder', 'Name or email')}
                onChange={event => this.typed(event.target.value)} />
            {this.searchProblem && <div className='vouch-share-problem'>{this.searchProblem}</div>}
            <ul className='vouch-share-results'>
                {[...this.picked.values(), ...this.results.filter(row => !this.picked.has(row.userId))].map(row => {
                    const label = row.humanHandle ? `${row.humanHandle.label} (${row.humanHandle.email})` : this.people.label(row.userId);
                    const picked = this.picked.has(row.userId);
                    return <li key={row.userId} className='vouch-share-person' data-user-id={row.userId} data-email={row.humanHandle?.email ?? ''}>
                        <label>
                            <input type='checkbox' className='vouch-share-pick' checked={picked} disabled={this.busy} onChange={event => this.pick(row, event.target.checked)} />
                            {label} <span className='vouch-share-profile'>{PROFILE_LABELS[row.profile]()}</span>
                        </label>
                        {picked && this.roleSelect(row.userId, this.wanted.get(row.userId) ?? DEFAULT_NEW_ROLE, label)}
                    </li>;
                })}
            </ul>
            <div className='vouch-share-members-title'>{nls.localize('vouch/workspaces/share/members', 'Members')}</div>
            <ul className='vouch-share-members'>
                {this.workspace.members.map(member => {
                    const label = member.userId === this.selfUserId ? nls.localize('vouch/workspaces/share/you', 'You') : this.people.label(member.userId);
                    const role = this.wanted.has(member.userId) ? this.wanted.get(member.userId)! : member.role;
                    return <li key={member.userId} className='vouch-share-member' data-user-id={member.userId} data-role={member.role}>
                        <span className='vouch-share-member-name'>{label}</span>
                        {this.roleSelect(member.userId, role, label)}
                    </li>;
                })}
            </ul>
        </div>;
    }
}
