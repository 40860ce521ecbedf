import { Disposable, DisposableCollection, Emitter, Event, nls } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { checkUsersPage, UserRow } from '../common/user-rows';
import { applySelectionGesture, EMPTY_SELECTION, ListSelection, retainSelection, SelectionGesture } from '../common/user-selection';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

export const USERS_PAGE_SIZE = 50;
export const FILTER_DEBOUNCE_MS = 250;

/**
 * What the Users view shows: the organization's users, page by page, filtered on the server,
 * each row re-checked against the organization's root key. The widget renders this and
 * forwards gestures; every rule lives here.
 */
@injectable()
export class UsersModel implements Disposable {
    @inject(VouchSession) protected readonly session: VouchSession;

    protected currentRows: readonly UserRow[] = [];
    protected currentFilter = '';
    protected currentShowRevoked = true;
    protected currentSelection: ListSelection = EMPTY_SELECTION;
    protected currentNextOffset?: number;
    protected currentLoading = false;
    protected currentError?: string;
    /** Bumped by every reload so a late page of an older query is dropped. */
    protected generation = 0;
    protected filterTimer?: ReturnType<typeof setTimeout>;
    protected readonly toDispose = new DisposableCollection();

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.session.onDidChangeState(state => {
                if (state === 'connected') {
                    this.reload();
                } else if (state === 'no-device' || state === 'locked' || state === 'refused') {
                    // Nothing of the organization stays on screen for a device that may not see it.
                    this.clear();
                }
            }),
            this.session.onDidAddCertificates(() => this.reload()),
            Disposable.create(() => clearTimeout(this.filterTimer))
        ]);
        if (this.session.state === 'connected') {
            this.reload();
        }
    }

    get rows(): readonly UserRow[] { return this.currentRows; }
    get filter(): string { return this.currentFilter; }
    get showRevoked(): boolean { return this.currentShowRevoked; }
    /** The signed-in user, so views can mark "you". */
    get selfUserId(): string | undefined { return this.session.device?.userId; }
    /** The selected rows, as listed. */
    get selectedRows(): readonly UserRow[] { return this.currentRows.filter(row => this.currentSelection.selected.includes(row.userId)); }

    /** A name for a user id: the listed name, or a short id when hidden or not listed. */
    nameOf(userId: string): string {
        const row = this.currentRows.find(candidate => candidate.userId === userId);
        return row?.humanHandle?.label ?? userId.slice(0, 8);
    }

    /** Revoked users stay listed unless hidden here. */
    setShowRevoked(show: boolean): void {
        this.currentShowRevoked = show;
        this.onDidChangeEmitter.fire();
        this.reload();
    }
    get selection(): readonly string[] { return this.currentSelection.selected; }
    get hasMore(): boolean { return this.currentNextOffset !== undefined; }
    get loading(): boolean { return this.currentLoading; }
    get error(): string | undefined { return this.currentError; }
    get connected(): boolean { return this.session.state === 'connected'; }

    isSelected(userId: string): boolean {
        return this.currentSelection.selected.includes(userId);
    }

    /** Typing filters after a short pause, so each keystroke does not hit the server. */
    setFilter(text: string): void {
        this.currentFilter = text;
        clearTimeout(this.filterTimer);
        this.filterTimer = setTimeout(() => this.reload(), FILTER_DEBOUNCE_MS);
        this.onDidChangeEmitter.fire();
    }

    select(userId: string, gesture: SelectionGesture): void {
        this.currentSelection = applySelectionGesture(this.currentRows.map(row => row.userId), this.currentSelection, userId, gesture);
        this.onDidChangeEmitter.fire();
    }

    async reload(): Promise<void> {
        clearTimeout(this.filterTimer);
        await this.load(0, ++this.generation);
    }

    async loadMore(): Promise<void> {
        if (this.currentNextOffset !== undefined && !this.currentLoading) {
            await this.load(this.currentNextOffset, this.generation);
        }
    }

    protected async load(offset: number, generation: number): Promise<void> {
        const trust = this.session.createTrustStore();
        if (!trust || this.session.state !== 'connected') {
            return;
        }
        this.currentLoading = true;
        this.onDidChangeEmitter.fire();
        const reply = await this.session.request('users.list', { query: this.currentFilter.trim(), offset, limit: USERS_PAGE_SIZE, includeRevoked: this.currentShowRevoked });
        if (generation !== this.generation) {
            return;
        }
        this.currentLoading = false;
        if (!reply.ok) {
            this.currentError = nls.localize('vouch/users/loadFailed', 'Could not list users: {0}', describeApiError(reply.error));
            this.onDidChangeEmitter.fire();
            return;
        }
        const checked = checkUsersPage(reply.value, trust);
        this.currentRows = offset === 0 ? checked.rows : [...this.currentRows, ...checked.rows];
        this.currentNextOffset = reply.value.nextOffset;
        this.currentSelection = retainSelection(this.currentRows.map(row => row.userId), this.currentSelection);
        this.currentError = checked.rejected === 0 ? undefined : checked.chainError
            ? nls.localize('vouch/users/chainRejected', 'The server sent users whose certificates do not chain to the organization: {0}', checked.chainError)
            : nls.localize('vouch/users/rowsRejected', '{0} user(s) hidden: their certificate does not check out.', checked.rejected);
        this.onDidChangeEmitter.fire();
    }

    protected clear(): void {
        this.generation++;
        this.currentRows = [];
        this.currentNextOffset = undefined;
        this.currentSelection = EMPTY_SELECTION;
        this.currentLoading = false;
        this.currentError = undefined;
        this.onDidChangeEmitter.fire();
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
