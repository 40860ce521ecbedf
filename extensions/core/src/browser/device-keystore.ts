import { injectable } from '@theia/core/shared/inversify';
import { parseStoredDevice, StoredDevice } from '../common/device-file';

/** Where this workbench keeps its device, sealed by the user's password. */
export const DeviceKeystore = Symbol('DeviceKeystore');
export interface DeviceKeystore {
    /** The device of this workbench; undefined when there is none or it cannot be read. */
    load(): Promise<StoredDevice | undefined>;
    save(device: StoredDevice): Promise<void>;
    clear(): Promise<void>;
}

const DATABASE_NAME = 'vouch';
const DATABASE_VERSION = 1;
const STORE_NAME = 'devices';
/** One device per browser profile and origin for now; the key leaves room for more. */
const CURRENT_DEVICE_KEY = 'current';

function promised<T>(request: IDBRequest<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
}

/** Plain IndexedDB: the browser keeps the sealed device per origin, across reloads. */
@injectable()
export class IndexedDbDeviceKeystore implements DeviceKeystore {
    /** Replaced in unit tests by fake-indexeddb. */
    protected indexedDB(): IDBFactory {
        return globalThis.indexedDB;
    }

    protected database?: Promise<IDBDatabase>;

    protected open(): Promise<IDBDatabase> {
        if (!this.database) {
            const request = this.indexedDB().open(DATABASE_NAME, DATABASE_VERSION);
            request.onupgradeneeded = () => {
                if (!request.result.objectStoreNames.contains(STORE_NAME)) {
                    request.result.createObjectStore(STORE_NAME);
                }
            };
            this.database = promised(request);
            this.database.catch(() => this.database = undefined);
        }
        return this.database;
    }

    protected async run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
        const database = await this.open();
        const transaction = database.transaction(STORE_NAME, mode);
        const result = promised(work(transaction.objectStore(STORE_NAME)));
        await new Promise<void>((resolve, reject) => {
            transaction.oncomplete = () => resolve();
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
        });
        return result;
    }

    async load(): Promise<StoredDevice | undefined> {
        const value: unknown = await this.run('readonly', store => store.get(CURRENT_DEVICE_KEY));
        if (value === undefined) {
            return undefined;
        }
        const parsed = parseStoredDevice(value);
        return parsed.ok ? parsed.value : undefined;
    }

    async save(device: StoredDevice): Promise<void> {
        await this.run('readwrite', store => store.put(device, CURRENT_DEVICE_KEY));
    }

    async clear(): Promise<void> {
        await this.run('readwrite', store => store.delete(CURRENT_DEVICE_KEY));
    }
}
