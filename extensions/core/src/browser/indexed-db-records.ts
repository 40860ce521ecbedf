/** One object store of an IndexedDB database, keyed by strings: what the workbench keeps in the browser. */
export class IndexedDbRecords {
    protected database?: Promise<IDBDatabase>;

    constructor(
        protected readonly databaseName: string,
        protected readonly storeName: string,
        /** Replaced in unit tests by fake-indexeddb. */
        protected readonly factory: () => IDBFactory = () => globalThis.indexedDB
    ) { }

    protected open(): Promise<IDBDatabase> {
        if (!this.database) {
            const request = this.factory().open(this.databaseName, 1);
            request.onupgradeneeded = () => {
                if (!request.result.objectStoreNames.contains(this.storeName)) {
                    request.result.createObjectStore(this.storeName);
                }
            };
            this.database = promised(request);
            this.database.catch(() => this.database = undefined);
        }
        return this.database;
    }

    protected async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
        const transaction = (await this.open()).transaction(this.storeName, mode);
        const result = promised(work(transaction.objectStore(this.storeName)));
        await new Promise<void>((resolve, reject) => {
            transaction.oncomplete = () => resolve();
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
        });
        return result;
    }

    get(key: string): Promise<unknown> {
        return this.run('readonly', store => store.get(key));
    }

    async put(key: string, value: unknown): Promise<void> {
        await this.run('readwrite', store => store.put(value, key));
    }

    async delete(key: string): Promise<void> {
        await this.run('readwrite', store => store.delete(key));
    }
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}
