import { injectable } from '@theia/core/shared/inversify';
import { PendingJoin, PendingJoinSchema } from '../common/pending-join';

const DATABASE_NAME = 'vouch-join';
const STORE_NAME = 'pending';
const KEY = 'current';

function promised<T>(request: IDBRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

/** The join request this browser made, sealed keys included, kept in IndexedDB until the device is finalized or the request ends. */
@injectable()
export class PendingJoinStore {
    protected database?: Promise<IDBDatabase>;

    protected open(): Promise<IDBDatabase> {
        if (!this.database) {
            const request = globalThis.indexedDB.open(DATABASE_NAME, 1);
            request.onupgradeneeded = () => request.result.createObjectStore(STORE_NAME);
            this.database = promised(request);
            this.database.catch(() => this.database = undefined);
        }
        return this.database;
    }

    protected async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
        const transaction = (await this.open()).transaction(STORE_NAME, mode);
        const result = promised(work(transaction.objectStore(STORE_NAME)));
        await new Promise<void>((resolve, reject) => {
            transaction.oncomplete = () => resolve();
            transaction.onerror = () => reject(transaction.error);
        });
        return result;
    }

    async load(): Promise<PendingJoin | undefined> {
        const parsed = PendingJoinSchema.safeParse(await this.run('readonly', store => store.get(KEY)));
        return parsed.success ? parsed.data : undefined;
    }

    async save(pending: PendingJoin): Promise<void> {
        await this.run('readwrite', store => store.put(pending, KEY));
    }

    async clear(): Promise<void> {
        await this.run('readwrite', store => store.delete(KEY));
    }
}
