import { ReplayedCertificate, UserProfile } from '@vouch/protocol';

export type HistoryKind = 'bootstrap' | 'user' | 'device' | 'profile' | 'revocation' | 'trust-anchors';
export const HISTORY_KINDS: readonly HistoryKind[] = ['bootstrap', 'user', 'device', 'profile', 'revocation', 'trust-anchors'];

/** One line of the organization's history, from a certificate the client re-checked. */
export interface HistoryRow {
    readonly index: number;
    /** ISO time the author signed it. */
    readonly time: string;
    readonly kind: HistoryKind;
    /** Author's user; absent for the organization root key (bootstrap). */
    readonly authorUserId?: string;
    readonly authorName: string;
    /** The author's profile then. */
    readonly authorProfile?: UserProfile;
    /** The user it is about; absent for the organization's own settings (pinned trust anchors). */
    readonly subjectUserId?: string;
    readonly subjectName: string;
    readonly profile?: UserProfile;
    readonly previousProfile?: UserProfile;
    /** Device label; absent when redacted for this reader. */
    readonly deviceLabel?: string;
    readonly deviceId?: string;
    /** Pinned PKI trust anchors: their SHA-256 fingerprints. */
    readonly anchors?: readonly string[];
}

/**
 * Names come from the user certificates in the same log (absent in redacted copies: then a
 * short id), so nothing is shown that the log does not vouch for.
 */
export function historyRows(replayed: readonly ReplayedCertificate[]): HistoryRow[] {
    const names = new Map<string, string>();
    for (const entry of replayed) {
        if (entry.certificate.kind === 'user' && entry.certificate.humanHandle) {
            names.set(entry.certificate.userId, `${entry.certificate.humanHandle.label} <${entry.certificate.humanHandle.email}>`);
        }
    }
    const nameOf = (userId: string) => names.get(userId) ?? userId.slice(0, 8);
    return replayed.flatMap((entry): HistoryRow[] => {
        const certificate = entry.certificate;
        if (certificate.kind === 'workspace_role' || certificate.kind === 'workspace_key') {
            // Workspaces keep their own topics: the organization's history never holds them (the replay refuses it).
            return [];
        }
        const author = entry.authorUserId === null
            ? { authorName: 'organization root key' }
            : { authorUserId: entry.authorUserId, authorName: nameOf(entry.authorUserId), ...(entry.authorProfile ? { authorProfile: entry.authorProfile } : {}) };
        const when = { index: entry.index, time: new Date(certificate.timestamp).toISOString(), ...author };
        if (certificate.kind === 'pki_anchors') {
            return [{ ...when, kind: 'trust-anchors', subjectName: 'the organization', anchors: certificate.anchors }];
        }
        const base = { ...when, subjectUserId: certificate.userId, subjectName: nameOf(certificate.userId) };
        switch (certificate.kind) {
            case 'user':
                return [{ ...base, kind: certificate.author === null ? 'bootstrap' : 'user', profile: certificate.profile }];
            case 'device':
                return [{ ...base, kind: certificate.author === null ? 'bootstrap' : 'device', deviceId: certificate.deviceId, ...(certificate.deviceLabel ? { deviceLabel: certificate.deviceLabel } : {}) }];
            case 'user_update':
                return [{ ...base, kind: 'profile', profile: certificate.newProfile, ...(entry.previousProfile ? { previousProfile: entry.previousProfile } : {}) }];
            case 'revoked_user':
                return [{ ...base, kind: 'revocation' }];
        }
    });
}

export interface HistoryFilter {
    readonly userId?: string;
    readonly kind?: HistoryKind;
}

/** A user's history: what they did and what was done to them. */
export function filterHistory(rows: readonly HistoryRow[], filter: HistoryFilter): HistoryRow[] {
    return rows.filter(row => (!filter.kind || row.kind === filter.kind) &&
        (!filter.userId || row.subjectUserId === filter.userId || row.authorUserId === filter.userId));
}

export function historyJson(rows: readonly HistoryRow[]): string {
    return JSON.stringify(rows, undefined, 2);
}

const CSV_COLUMNS: readonly (keyof HistoryRow)[] = [
    'index', 'time', 'kind', 'authorUserId', 'authorName', 'authorProfile', 'subjectUserId', 'subjectName', 'profile', 'previousProfile', 'deviceId', 'deviceLabel', 'anchors'
];

/** RFC 4180: fields quoted when needed, quotes doubled; a leading =,+,-,@ is defused for spreadsheets. */
export function historyCsv(rows: readonly HistoryRow[]): string {
    const field = (value: unknown) => {
        let text = value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
        if (/^[=+\-@]/.test(text)) {
            text = `'${text}`;
        }
        return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return [CSV_COLUMNS.join(','), ...rows.map(row => CSV_COLUMNS.map(column => field(row[column])).join(','))].join('\r\n') + '\r\n';
}
