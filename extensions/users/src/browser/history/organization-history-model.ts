import { Disposable, DisposableCollection, Emitter, Event, nls } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CertificateLogItem, CertificatesPage, CERTIFICATES_PAGE_MAX, replayCertificateLog, Reply } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { filterHistory, HistoryFilter, HistoryRow, historyRows } from '../../common/history-rows';
import { precheckSignatures } from './prechecked-signatures';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

/** Bounded: 200 pages of 1,000 certificates. */
const MAX_PAGES = 200;

/**
 * The organization's history: the whole certificate log, re-checked in order from the root
 * key sealed in this device (not from anything the server says), so the server cannot
 * rewrite it unnoticed. Reloads when certificates are added.
 */
@injectable()
export class OrganizationHistoryModel implements Disposable {
    @inject(VouchSession) protected readonly session: VouchSession;

    protected allRows: readonly HistoryRow[] = [];
    protected currentFilter: HistoryFilter = {};
    protected currentError?: string;
    protected currentLoading = false;
    protected generation = 0;
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.session.onDidAddCertificates(() => this.reload()),
            this.session.onDidChangeState(state => {
                if (state === 'connected') {
                    this.reload();
                } else if ((state === 'no-device' || state === 'locked' || state === 'refused') && this.allRows.length > 0) {
                    // Names, emails and device labels leave the screen with the session.
                    this.generation++;
                    this.allRows = [];
                    this.onDidChangeEmitter.fire();
                }
            })
        ]);
    }

    get rows(): readonly HistoryRow[] { return filterHistory(this.allRows, this.currentFilter); }
    get everyRow(): readonly HistoryRow[] { return this.allRows; }
    get filter(): HistoryFilter { return this.currentFilter; }
    get error(): string | undefined { return this.currentError; }
    get loading(): boolean { return this.currentLoading; }

    /** Users who appear in the history, for the user filter. */
    get users(): { userId: string; name: string }[] {
        const users = new Map<string, string>();
        this.allRows.forEach(row => users.set(row.subjectUserId, row.subjectName));
        return [...users].map(([userId, name]) => ({ userId, name })).sort((a, b) => a.name.localeCompare(b.name));
    }

    setFilter(filter: HistoryFilter): void {
        this.currentFilter = filter;
        this.onDidChangeEmitter.fire();
    }

    async reload(): Promise<void> {
        const generation = ++this.generation;
        const rootVerifyKey = this.session.rootVerifyKey;
        if (!rootVerifyKey || this.session.state !== 'connected') {
            return;
        }
        this.currentLoading = true;
        this.onDidChangeEmitter.fire();
        const items: CertificateLogItem[] = [];
        let offset: number | undefined = 0;
        let failure: string | undefined;
        for (let page = 0; offset !== undefined && page < MAX_PAGES; page++) {
            const reply: Reply<CertificatesPage> = await this.session.request('certificates.list', { offset, limit: CERTIFICATES_PAGE_MAX });
            if (!reply.ok) {
                failure = nls.localize('vouch/history/loadFailed', 'Could not read the history: {0}', describeApiError(reply.error));
                break;
            }
            items.push(...reply.value.certificates);
            offset = reply.value.nextOffset;
        }
        if (generation !== this.generation) {
            return;
        }
        this.currentLoading = false;
        if (failure) {
            this.currentError = failure;
        } else {
            const scheme = await precheckSignatures(items, rootVerifyKey, globalThis.crypto?.subtle);
            if (generation !== this.generation) {
                return;
            }
            const replayed = replayCertificateLog(items, rootVerifyKey, scheme);
            this.allRows = replayed.ok ? historyRows(replayed.value) : [];
            this.currentError = replayed.ok ? undefined : nls.localize('vouch/history/forged',
                'The history sent by the server does not check out at certificate {0}: {1}. Nothing of it is shown.', replayed.error.index, replayed.error.error.message);
        }
        this.onDidChangeEmitter.fire();
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
