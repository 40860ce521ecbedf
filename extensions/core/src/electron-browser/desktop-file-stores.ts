import { inject, injectable } from '@theia/core/shared/inversify';
import { VerifiedLogHead } from '@vouch/protocol';
import { DesktopRecordsService } from '../common/desktop-records-protocol';
import { VerifiedHeadStore } from '../browser/certificate-log-watch';
import { KeyedRecords, RecordsDeviceKeystore } from '../browser/device-keystore';

/**
 * One store of records in a file of the user's config folder, through the desktop backend:
 * what `IndexedDbRecords` is in the browser, with the same database and store names.
 */
export class DesktopFileRecords implements KeyedRecords {
    constructor(
        protected readonly service: DesktopRecordsService,
        readonly database: string,
        readonly store: string
    ) { }

    get(key: string): Promise<unknown> {
        return this.service.get(this.database, this.store, key);
    }

    put(key: string, value: unknown): Promise<void> {
        return this.service.put(this.database, this.store, key, value);
    }

    delete(key: string): Promise<void> {
        return this.service.delete(this.database, this.store, key);
    }
}

/**
 * The desktop app's device: sealed exactly as the browser seals it (core's device file format),
 * in `vouch/vouch.devices.json` of the user's config folder, never in the page's storage.
 */
@injectable()
export class FileDeviceKeystore extends RecordsDeviceKeystore {
    @inject(DesktopRecordsService) protected readonly service: DesktopRecordsService;

    protected get records(): DesktopFileRecords {
        return new DesktopFileRecords(this.service, 'vouch', 'devices');
    }
}

/** The verified head of the organization's log, beside the device file. */
@injectable()
export class FileVerifiedHeadStore implements VerifiedHeadStore {
    @inject(DesktopRecordsService) protected readonly service: DesktopRecordsService;

    protected get records(): DesktopFileRecords {
        return new DesktopFileRecords(this.service, 'vouch-log', 'verified-heads');
    }

    async load(deviceKey: string): Promise<VerifiedLogHead | undefined> {
        const value = await this.records.get(deviceKey) as Partial<VerifiedLogHead> | undefined;
        return typeof value?.index === 'number' && typeof value.digest === 'string' ? { index: value.index, digest: value.digest } : undefined;
    }

    async save(deviceKey: string, head: VerifiedLogHead): Promise<void> {
        await this.records.put(deviceKey, head);
    }
}
