import { WorkspaceLocalStore } from '../common/workspace-engine-api';

export type StoreArea = 'manifests' | 'blocks' | 'pending';

/** What the cache (manifests and blocks) may hold by default; pending edits are not counted. */
export const DEFAULT_CACHE_BYTES = 256 * 1024 * 1024;
/** Eviction goes below the bound by this share, so a full cache does not evict on every write. */
const EVICTION_SLACK = 0.1;
/** A read refreshes an entry's age at most this often (a read is then not a write each time). */
const TOUCH_INTERVAL_MS = 10_000;

const CACHE = 'cache';
const PENDING = 'pending';
const META = 'meta';
const USED_INDEX = 'used';
const TOTAL_KEY = 'cacheBytes';

interface CacheRecord {
    readonly value: Uint8Array;
    readonly size: number;
    /** When it was last written or read (the store's clock). */
    readonly used: number;
}

export interface IndexedDbWorkspaceStoreOptions {
    /** One database per user, so two people sharing a browser profile never read each other's cache. */
    readonly databaseName: string;
    readonly maxCacheBytes?: number;
    /** Replaced in unit tests by fake-indexeddb. */
    readonly factory?: () => IDBFactory;
    readonly keyRange?: () => typeof IDBKeyRange;
    readonly now?: () => number;
}

/**
 * The engine's local store in the browser: manifests and blocks in one cache bounded in bytes,
 * the least recently used evicted first; edits not yet accepted by the server in a store of
 * their own that is never evicted. Everything here is what the engine gives it: ciphertext.
 */
export class IndexedDbWorkspaceStore implements WorkspaceLocalStore {
    protected database?: Promise<IDBDatabase>;
    protected readonly maxCacheBytes: number;
    protected readonly factory: () => IDBFactory;
    protected readonly now: () => number;

    constructor(protected readonly options: IndexedDbWorkspaceStoreOptions) {
        this.maxCacheBytes = options.maxCacheBytes ?? DEFAULT_CACHE_BYTES;
        this.factory = options.factory ?? (() => globalThis.indexedDB);
        this.now = options.now ?? Date.now;
    }

    async get(area: StoreArea, key: string): Promise<Uint8Array | undefined> {
        if (area === 'pending') {
            return await this.run([PENDING], 'readonly', tx => request<Uint8Array | undefined>(tx.objectStore(PENDING).get(key)));
        }
        return this.run([CACHE], 'readwrite', async tx => {
            const store = tx.objectStore(CACHE);
            const id = cacheKey(area, key);
            const record = await request<CacheRecord | undefined>(store.get(id));
            if (!record) {
                return undefined;
            }
            const now = this.now();
            if (now - record.used >= TOUCH_INTERVAL_MS) {
                store.put({ ...record, used: now }, id);
            }
            return record.value;
        });
    }

    async put(area: StoreArea, key: string, value: Uint8Array): Promise<void> {
        if (area === 'pending') {
            await this.run([PENDING], 'readwrite', tx => request(tx.objectStore(PENDING).put(value, key)));
            return;
        }
        await this.run([CACHE, META], 'readwrite', async tx => {
            const store = tx.objectStore(CACHE);
            const meta = tx.objectStore(META);
            const id = cacheKey(area, key);
            const previous = await request<CacheRecord | undefined>(store.get(id));
            let total = (await request<number | undefined>(meta.get(TOTAL_KEY))) ?? 0;
            total += value.byteLength - (previous?.size ?? 0);
            store.put({ value, size: value.byteLength, used: this.now() } satisfies CacheRecord, id);
            if (total > this.maxCacheBytes) {
                total = await this.evict(store, total, this.maxCacheBytes * (1 - EVICTION_SLACK), id);
            }
            meta.put(total, TOTAL_KEY);
        });
    }

    async delete(area: StoreArea, key: string): Promise<void> {
        if (area === 'pending') {
            await this.run([PENDING], 'readwrite', tx => request(tx.objectStore(PENDING).delete(key)));
            return;
        }
        await this.run([CACHE, META], 'readwrite', async tx => {
            const store = tx.objectStore(CACHE);
            const meta = tx.objectStore(META);
            const id = cacheKey(area, key);
            const previous = await request<CacheRecord | undefined>(store.get(id));
            if (previous) {
                store.delete(id);
                const total = (await request<number | undefined>(meta.get(TOTAL_KEY))) ?? 0;
                meta.put(Math.max(0, total - previous.size), TOTAL_KEY);
            }
        });
    }

    async keys(area: StoreArea, prefix: string): Promise<string[]> {
        const storeName = area === 'pending' ? PENDING : CACHE;
        const start = area === 'pending' ? prefix : cacheKey(area, prefix);
        const range = (this.options.keyRange?.() ?? globalThis.IDBKeyRange).bound(start, start + '\uffff', false, false);
        const keys = await this.run([storeName], 'readonly', tx => request(tx.objectStore(storeName).getAllKeys(range)));
        const skip = area === 'pending' ? 0 : cacheKey(area, '').length;
        return keys.map(key => String(key).slice(skip));
    }

    /** Bytes the cache holds now (manifests and blocks). */
    async cacheBytes(): Promise<number> {
        return (await this.run([META], 'readonly', tx => request<number | undefined>(tx.objectStore(META).get(TOTAL_KEY)))) ?? 0;
    }

    /** Deletes the least recently used entries until the cache holds at most `target` bytes; `keep` (just written) stays. */
    protected async evict(store: IDBObjectStore, total: number, target: number, keep: string): Promise<number> {
        const cursorRequest = store.index(USED_INDEX).openCursor();
        return new Promise<number>((resolve, reject) => {
            cursorRequest.onerror = () => reject(cursorRequest.error);
            cursorRequest.onsuccess = () => {
                const cursor = cursorRequest.result;
                if (!cursor || total <= target) {
                    resolve(total);
                    return;
                }
                if (cursor.primaryKey !== keep) {
                    total -= (cursor.value as CacheRecord).size;
                    cursor.delete();
                }
                cursor.continue();
            };
        });
    }

    protected open(): Promise<IDBDatabase> {
        if (!this.database) {
            const opening = this.factory().open(this.options.databaseName, 1);
            opening.onupgradeneeded = () => {
                const database = opening.result;
                database.createObjectStore(CACHE).createIndex(USED_INDEX, 'used');
                database.createObjectStore(PENDING);
                database.createObjectStore(META);
            };
            this.database = request(opening);
            this.database.catch(() => this.database = undefined);
        }
        return this.database;
    }

    /** One transaction; `work` must only wait on requests of this transaction, or it commits early. */
    protected async run<T>(stores: string[], mode: IDBTransactionMode, work: (tx: IDBTransaction) => Promise<T>): Promise<T> {
        const tx = (await this.open()).transaction(stores, mode);
        const done = new Promise<void>((resolve, reject) => {
            tx.oncomplete = () => resolve();
            tx.onerror = () => reject(tx.error);
            tx.onabort = () => reject(tx.error ?? new Error('Transaction aborted'));
        });
        const result = await work(tx);
        await done;
        return result;
    }

    /** Closes the database (the session locked); a later call opens it again. */
    async close(): Promise<void> {
        const database = this.database;
        this.database = undefined;
        (await database?.catch(() => undefined))?.close();
    }
}

function cacheKey(area: 'manifests' | 'blocks', key: string): string {
    return `${area}/${key}`;
}

function request<T>(req: IDBRequest<T> | IDBOpenDBRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        req.onsuccess = () => resolve(req.result as T);
        req.onerror = () => reject(req.error);
    });
}
