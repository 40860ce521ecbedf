import { injectable } from '@theia/core/shared/inversify';
import { IndexedDbRecords } from '@vouch/core/lib/browser/indexed-db-records';
import { PendingJoin, PendingJoinSchema } from '../common/pending-join';

const KEY = 'current';

/** The join request this browser made, sealed keys included, kept in IndexedDB until the device is finalized or the request ends. */
@injectable()
export class PendingJoinStore {
    protected readonly records = new IndexedDbRecords('vouch-join', 'pending');

    async load(): Promise<PendingJoin | undefined> {
        const parsed = PendingJoinSchema.safeParse(await this.records.get(KEY));
        return parsed.success ? parsed.data : undefined;
    }

    async save(pending: PendingJoin): Promise<void> {
        await this.records.put(KEY, pending);
    }

    async clear(): Promise<void> {
        await this.records.delete(KEY);
    }
}
