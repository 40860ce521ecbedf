import { Certificate, CertificateKind, chainDigest, fail, ok, OrganizationId, Outcome, SignedCertificate, subjectOf } from '@vouch/protocol';
import { EventBus } from '../common/event-bus';
import { Transactions } from '../common/transactions';
import { CertificateLogEntry, TopicHead } from './organization-types';

/** Optimistic writers that lose the race for a topic's head re-check and retry this often. */
export const LOG_WRITE_ATTEMPTS = 5;

export interface CertificateLogRepository {
    /** The topic's head; `EMPTY_TOPIC` when nothing was written to it. */
    head(organizationId: OrganizationId, topic: string): Promise<TopicHead>;
    /** Moves the head from `expected` to `next`; false when another writer moved it first. */
    advance(organizationId: OrganizationId, topic: string, expected: TopicHead, next: TopicHead & { digest: string; timestamp: number }): Promise<boolean>;
    append(organizationId: OrganizationId, topic: string, entries: readonly CertificateLogEntry[]): Promise<void>;
    /** Entries after `offset`, in order. */
    entries(organizationId: OrganizationId, topic: string, offset: number, limit: number): Promise<CertificateLogEntry[]>;
    /** The newest entry of a kind, if any. */
    newest(organizationId: OrganizationId, topic: string, kind: CertificateKind): Promise<CertificateLogEntry | undefined>;
}

/** A certificate of an operation, checked: what gets appended. */
export interface NewLogEntry {
    readonly content: Certificate;
    readonly signed: SignedCertificate;
    /** The copy External readers get; the certificate itself when it carries no personal data. */
    readonly redacted: SignedCertificate;
}

/** One operation on a topic of the log, checked by the domain against the head it was shown. */
export interface LogOperation<V, E> {
    /** The certificates, in log order; none when the operation turned out to change nothing. */
    readonly entries: readonly NewLogEntry[];
    /**
     * Writes what queries read, and whatever else must commit with the certificates, in the
     * transaction that appends them; a refusal rolls everything back and is returned as is.
     */
    store(firstIndex: number): Promise<Outcome<V, E>>;
    /** After the commit, before `certificates.added`: the operation's own announcements. */
    announce?(value: V): void;
}

/** Thrown to roll a transaction back with a domain refusal; never leaves this file. */
class Refused<E> extends Error {
    constructor(readonly refusal: E) {
        super('refused');
    }
}

/**
 * The one writer of the certificate log. For each operation on a topic it reads the head, has
 * the domain check the certificates against it (the shared rules: chained to that head, dated
 * after it), moves the head conditionally, appends, runs the operation's own writes in the same
 * transaction, retries when another writer of the topic moved the head first, and announces
 * after the commit. Writers of different topics never wait for each other.
 */
export class CertificateLog {
    constructor(
        protected readonly repository: CertificateLogRepository,
        protected readonly transactions: Transactions,
        protected readonly bus: EventBus
    ) { }

    head(organizationId: OrganizationId, topic: string): Promise<TopicHead> {
        return this.repository.head(organizationId, topic);
    }

    entries(organizationId: OrganizationId, topic: string, offset: number, limit: number): Promise<CertificateLogEntry[]> {
        return this.repository.entries(organizationId, topic, offset, limit);
    }

    newest(organizationId: OrganizationId, topic: string, kind: CertificateKind): Promise<CertificateLogEntry | undefined> {
        return this.repository.newest(organizationId, topic, kind);
    }

    async append<V, E>(organizationId: OrganizationId, topic: string, prepare: (head: TopicHead) => Promise<Outcome<LogOperation<V, E>, E>>): Promise<Outcome<V, E>> {
        for (let attempt = 0; attempt < LOG_WRITE_ATTEMPTS; attempt++) {
            const head = await this.repository.head(organizationId, topic);
            const prepared = await prepare(head);
            if (!prepared.ok) {
                return prepared;
            }
            const operation = prepared.value;
            const entries = this.numbered(head, operation.entries);
            if (entries.length === 0) {
                // Nothing to append (revoking users revoked already): nothing moves, nobody is told.
                return operation.store(head.index + 1);
            }
            const last = entries[entries.length - 1];
            let stored: { value: V } | 'moved';
            try {
                stored = await this.transactions.withTransaction(async () => {
                    if (!await this.repository.advance(organizationId, topic, head, { index: last.index, digest: last.digest, timestamp: last.timestamp })) {
                        return 'moved' as const;
                    }
                    await this.repository.append(organizationId, topic, entries);
                    const written = await operation.store(head.index + 1);
                    if (!written.ok) {
                        throw new Refused(written.error);
                    }
                    return { value: written.value };
                });
            } catch (error) {
                if (error instanceof Refused) {
                    return fail(error.refusal as E);
                }
                throw error;
            }
            if (stored === 'moved') {
                continue;
            }
            operation.announce?.(stored.value);
            this.bus.publish('certificates.added', {
                organizationId, topic, index: last.index, digest: last.digest, timestamp: last.timestamp, kinds: kindsOf(entries)
            });
            return ok(stored.value);
        }
        throw new Error(`The ${topic} certificate log of ${organizationId} kept moving during ${LOG_WRITE_ATTEMPTS} attempts`);
    }

    protected numbered(head: TopicHead, entries: readonly NewLogEntry[]): CertificateLogEntry[] {
        return entries.map((entry, i) => ({
            index: head.index + 1 + i, kind: entry.content.kind, timestamp: entry.content.timestamp, author: entry.content.author, subject: subjectOf(entry.content),
            digest: chainDigest(entry.content), signed: entry.signed, redacted: entry.redacted
        }));
    }
}

function kindsOf(entries: readonly CertificateLogEntry[]): CertificateKind[] {
    return [...new Set(entries.map(entry => entry.kind))];
}
