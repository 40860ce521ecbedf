import { injectable } from '@theia/core/shared/inversify';
import { parseStoredDevice, StoredDevice } from '../common/device-file';
import { IndexedDbRecords } from './indexed-db-records';

/** Where this workbench keeps its device, sealed by the user's password. */
export const DeviceKeystore = Symbol('DeviceKeystore');
export interface DeviceKeystore {
    /** The device of this workbench; undefined when there is none or it cannot be read. */
    load(): Promise<StoredDevice | undefined>;
    save(device: StoredDevice): Promise<void>;
    clear(): Promise<void>;
}

/** One device per browser profile and origin for now; the key leaves room for more. */
const CURRENT_DEVICE_KEY = 'current';

/** Records by key: an IndexedDB store in the browser, a file of the config folder on the desktop. */
export interface KeyedRecords {
    get(key: string): Promise<unknown>;
    put(key: string, value: unknown): Promise<void>;
    delete(key: string): Promise<void>;
}

/** The sealed device as one record, read back only when it parses as core's device file. */
@injectable()
export abstract class RecordsDeviceKeystore implements DeviceKeystore {
    protected abstract get records(): KeyedRecords;

    async load(): Promise<StoredDevice | undefined> {
        const value = await this.records.get(CURRENT_DEVICE_KEY);
        if (value === undefined) {
            return undefined;
        }
        const parsed = parseStoredDevice(value);
        return parsed.ok ? parsed.value : undefined;
    }

    async save(device: StoredDevice): Promise<void> {
        await this.records.put(CURRENT_DEVICE_KEY, device);
    }

    async clear(): Promise<void> {
        await this.records.delete(CURRENT_DEVICE_KEY);
    }
}

/** Plain IndexedDB: the browser keeps the sealed device per origin, across reloads. */
@injectable()
export class IndexedDbDeviceKeystore extends RecordsDeviceKeystore {
    protected readonly records = new IndexedDbRecords('vouch', 'devices', () => this.indexedDB());

    /** Replaced in unit tests by fake-indexeddb. */
    protected indexedDB(): IDBFactory {
        return globalThis.indexedDB;
    }
}
