import { inject, injectable } from '@theia/core/shared/inversify';
import { DesktopRecordsService } from '@vouch/core/lib/common/desktop-records-protocol';
import { DesktopFileRecords } from '@vouch/core/lib/electron-browser/desktop-file-stores';
import { PendingJoin, PendingJoinSchema } from '../common/pending-join';
import { PendingJoinStore } from '../browser/pending-join-store';

const KEY = 'current';

/** The desktop app keeps the join request it made (its keys sealed) in a file of the user's config folder, beside the device file. */
@injectable()
export class FilePendingJoinStore extends PendingJoinStore {
    @inject(DesktopRecordsService) protected readonly service: DesktopRecordsService;

    protected get file(): DesktopFileRecords {
        return new DesktopFileRecords(this.service, 'vouch-join', 'pending');
    }

    override async load(): Promise<PendingJoin | undefined> {
        const parsed = PendingJoinSchema.safeParse(await this.file.get(KEY));
        return parsed.success ? parsed.data : undefined;
    }

    override async save(pending: PendingJoin): Promise<void> {
        await this.file.put(KEY, pending);
    }

    override async clear(): Promise<void> {
        await this.file.delete(KEY);
    }
}
