import { Disposable, nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { VouchModel } from '@vouch/core/lib/browser/vouch-model';
import { checkUsersPage, UserRow } from '../common/user-rows';
import {
    applySelectionGesture, EMPTY_SELECTION, FocusMove, focusTarget, ListSelection, retainSelection, selectAll, SelectionGesture
} from '../common/user-selection';
import { shownColumns, UserColumn, USERS_PAGE_SIZE_PREFERENCE, UsersPreferences } from '../common/users-preferences';

export const FILTER_DEBOUNCE_MS = 250;
/** Where the Users view shows Theia's progress while a page loads. */
export const USERS_PROGRESS_LOCATION = 'vouch-users';

/**
 * What the Users view shows: the organization's users, page by page, filtered on the server,
 * each row re-checked against the organization's root key. The widget renders this and
 * forwards gestures; every rule lives here.
 */
@injectable()
export class UsersModel extends VouchModel {
    @inject(UsersPreferences) protected readonly preferences: UsersPreferences;

    protected override readonly progressLocation = USERS_PROGRESS_LOCATION;
    protected currentRows: readonly UserRow[] = [];
    protected currentFilter = '';
    protected currentShowRevoked = true;
    protected currentSelection: ListSelection = EMPTY_SELECTION;
    protected currentNextOffset?: number;
    protected loadingMore = false;
    protected currentError?: string;
    protected filterTimer?: ReturnType<typeof setTimeout>;

    protected override init(): void {
        super.init();
        this.toDispose.pushAll([
            this.session.onDidAddCertificates(() => this.refresh()),
            this.preferences.onPreferenceChanged(change => {
                if (change.preferenceName === USERS_PAGE_SIZE_PREFERENCE) {
                    this.refresh();
                } else {
                    this.fireDidChange();
                }
            }),
            Disposable.create(() => clearTimeout(this.filterTimer))
        ]);
    }

    get rows(): readonly UserRow[] { return this.currentRows; }
    get filter(): string { return this.currentFilter; }
    get showRevoked(): boolean { return this.currentShowRevoked; }
    /** The columns after the name, as the preferences say. */
    get columns(): readonly UserColumn[] { return shownColumns(this.preferences); }
    /** The signed-in user, so views can mark "you". */
    get selfUserId(): string | undefined { return this.session.device?.userId; }
    /** The selected rows, as listed. */
    get selectedRows(): readonly UserRow[] { return this.currentRows.filter(row => this.currentSelection.selected.includes(row.userId)); }
    get selection(): readonly string[] { return this.currentSelection.selected; }
    /** The row the keyboard is on. */
    get focusedRow(): string | undefined { return this.currentSelection.focus; }
    get hasMore(): boolean { return this.currentNextOffset !== undefined; }
    override get loading(): boolean { return super.loading || this.loadingMore; }
    get error(): string | undefined { return this.currentError; }
    get connected(): boolean { return this.session.state === 'connected'; }

    /** A name for a user id: the listed name, or a short id when hidden or not listed. */
    nameOf(userId: string): string {
        const row = this.currentRows.find(candidate => candidate.userId === userId);
        return row?.humanHandle?.label ?? userId.slice(0, 8);
    }

    isSelected(userId: string): boolean {
        return this.currentSelection.selected.includes(userId);
    }

    /** Revoked users stay listed unless hidden here. */
    setShowRevoked(show: boolean): void {
        this.currentShowRevoked = show;
        this.fireDidChange();
        this.reload();
    }

    /** Typing filters after a short pause, so each keystroke does not hit the server. */
    setFilter(text: string): void {
        this.currentFilter = text;
        clearTimeout(this.filterTimer);
        this.filterTimer = setTimeout(() => this.reload(), FILTER_DEBOUNCE_MS);
        this.fireDidChange();
    }

    select(userId: string, gesture: SelectionGesture): void {
        this.setSelection(applySelectionGesture(this.order(), this.currentSelection, userId, gesture));
    }

    /** A key moved the focus: with `single` or `range` the selection follows, with `focus` it stays. */
    moveFocus(move: FocusMove, gesture: Exclude<SelectionGesture, 'toggle'>): void {
        const target = focusTarget(this.order(), this.currentSelection, move);
        if (target !== undefined) {
            this.select(target, gesture);
        }
    }

    selectAll(): void {
        this.setSelection(selectAll(this.order(), this.currentSelection));
    }

    protected order(): string[] {
        return this.currentRows.map(row => row.userId);
    }

    protected setSelection(selection: ListSelection): void {
        this.currentSelection = selection;
        this.fireDidChange();
    }

    /** The first page again, e.g. for a new filter. */
    reload(): Promise<void> {
        clearTimeout(this.filterTimer);
        return this.refresh();
    }

    async loadMore(): Promise<void> {
        const offset = this.currentNextOffset;
        if (offset === undefined || this.loading) {
            return;
        }
        this.loadingMore = true;
        this.fireDidChange();
        const generation = this.generation;
        try {
            await this.withProgress(() => this.loadPage(offset, () => generation !== this.generation || super.loading));
        } finally {
            this.loadingMore = false;
            this.fireDidChange();
        }
    }

    protected load(superseded: () => boolean): Promise<void> {
        return this.loadPage(0, superseded);
    }

    protected async loadPage(offset: number, superseded: () => boolean): Promise<void> {
        const trust = this.session.createTrustStore();
        if (!trust || this.session.state !== 'connected') {
            return;
        }
        const reply = await this.session.request('users.list', {
            query: this.currentFilter.trim(), offset, limit: this.preferences[USERS_PAGE_SIZE_PREFERENCE], includeRevoked: this.currentShowRevoked
        });
        if (superseded()) {
            return;
        }
        if (!reply.ok) {
            this.currentError = nls.localize('vouch/users/loadFailed', 'Could not list users: {0}', describeApiError(reply.error));
            this.fireDidChange();
            return;
        }
        const checked = checkUsersPage(reply.value, trust);
        this.currentRows = offset === 0 ? checked.rows : [...this.currentRows, ...checked.rows];
        this.currentNextOffset = reply.value.nextOffset;
        this.currentSelection = retainSelection(this.order(), this.currentSelection);
        this.currentError = checked.rejected === 0 ? undefined : checked.chainError
            ? nls.localize('vouch/users/chainRejected', 'The server sent users whose certificates do not chain to the organization: {0}', checked.chainError)
            : localizePlural('vouch/users/rowsRejected', checked.rejected, {
                one: 'One user hidden: their certificate does not check out.',
                other: '{0} users hidden: their certificates do not check out.'
            });
        this.fireDidChange();
    }

    protected clear(): void {
        this.currentRows = [];
        this.currentNextOffset = undefined;
        this.currentSelection = EMPTY_SELECTION;
        this.currentError = undefined;
    }
}
