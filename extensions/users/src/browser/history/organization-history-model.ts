import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CertificateLogItem, CertificatesPage, CERTIFICATES_PAGE_MAX, replayCertificateLog, Reply } from '@vouch/protocol';
import { VouchModel } from '@vouch/core/lib/browser/vouch-model';
import { CertificateLogWatch } from '@vouch/core/lib/browser/certificate-log-watch';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { filterHistory, HistoryFilter, HistoryRow, historyRows } from '../../common/history-rows';
import { precheckSignatures } from './prechecked-signatures';

/** Bounded: 200 pages of 1,000 certificates. */
const MAX_PAGES = 200;
/** Where the history view shows Theia's progress while the log is read and re-checked. */
export const HISTORY_PROGRESS_LOCATION = 'vouch-organization-history';

/**
 * The organization's history: the whole certificate log, re-checked in order from the root
 * key sealed in this device (not from anything the server says), so the server cannot
 * rewrite, cut or fork it unnoticed. Read once the view was opened, and again when certificates are added.
 */
@injectable()
export class OrganizationHistoryModel extends VouchModel {
    @inject(CertificateLogWatch) protected readonly logWatch: CertificateLogWatch;
    protected override readonly progressLocation = HISTORY_PROGRESS_LOCATION;
    protected allRows: readonly HistoryRow[] = [];
    protected currentFilter: HistoryFilter = {};
    protected currentError?: string;
    /** Replaying a large log costs a signature check per certificate: only once someone looks. */
    protected wanted = false;

    protected override init(): void {
        super.init();
        this.toDispose.push(this.session.onDidAddCertificates(() => this.refresh()));
    }

    get rows(): readonly HistoryRow[] { return filterHistory(this.allRows, this.currentFilter); }
    get everyRow(): readonly HistoryRow[] { return this.allRows; }
    get filter(): HistoryFilter { return this.currentFilter; }
    get error(): string | undefined { return this.currentError; }
    /** Users who appear in the history, for the user filter. */
    get users(): { userId: string; name: string }[] {
        const users = new Map<string, string>();
        this.allRows.forEach(row => row.subjectUserId && users.set(row.subjectUserId, row.subjectName));
        return [...users].map(([userId, name]) => ({ userId, name })).sort((a, b) => a.name.localeCompare(b.name));
    }

    setFilter(filter: HistoryFilter): void {
        this.currentFilter = filter;
        this.fireDidChange();
    }

    /** The view is open: read the log now, and keep it current from then on. */
    open(): Promise<void> {
        this.wanted = true;
        return this.refresh();
    }

    override refresh(): Promise<void> {
        return this.wanted ? super.refresh() : Promise.resolve();
    }

    protected async load(superseded: () => boolean): Promise<void> {
        const rootVerifyKey = this.session.rootVerifyKey;
        if (!rootVerifyKey || this.session.state !== 'connected') {
            return;
        }
        const items: CertificateLogItem[] = [];
        let offset: number | undefined = 0;
        let failure: string | undefined;
        for (let page = 0; offset !== undefined && page < MAX_PAGES && !superseded(); page++) {
            const reply: Reply<CertificatesPage> = await this.session.request('certificates.list', { offset, limit: CERTIFICATES_PAGE_MAX });
            if (!reply.ok) {
                failure = nls.localize('vouch/history/loadFailed', 'Could not read the history: {0}', describeApiError(reply.error));
                break;
            }
            items.push(...reply.value.certificates);
            offset = reply.value.nextOffset;
        }
        if (superseded()) {
            return;
        }
        if (failure) {
            this.currentError = failure;
        } else {
            const scheme = await precheckSignatures(items, rootVerifyKey, globalThis.crypto?.subtle);
            if (superseded()) {
                return;
            }
            // Against the head this device verified before: a log cut short or forked since is refused too.
            const replayed = replayCertificateLog(items, rootVerifyKey, scheme, await this.logWatch.remembered());
            if (superseded()) {
                return;
            }
            if (replayed.ok && replayed.value.head) {
                await this.logWatch.remember(replayed.value.head);
            }
            this.allRows = replayed.ok ? historyRows(replayed.value.certificates) : [];
            this.currentError = replayed.ok ? undefined : nls.localize('vouch/history/forged',
                'The history sent by the server does not check out at certificate {0}: {1}. Nothing of it is shown.', replayed.error.index, replayed.error.error.message);
        }
        this.fireDidChange();
    }

    /** Names, emails and device labels leave the screen with the session. */
    protected clear(): void {
        this.allRows = [];
        this.currentError = undefined;
    }
}
