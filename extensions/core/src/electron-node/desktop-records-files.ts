import { promises as fs } from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { FileUri } from '@theia/core/lib/common/file-uri';
import { inject, injectable } from '@theia/core/shared/inversify';
import { DesktopRecordsError, DesktopRecordsService, MAX_RECORD_BYTES, MAX_RECORD_KEY_LENGTH, RECORDS_NAME } from '../common/desktop-records-protocol';

const FILE_FORMAT = 'vouch-records/v1';

interface RecordsFile {
    readonly format: typeof FILE_FORMAT;
    readonly records: Record<string, unknown>;
}

/**
 * One JSON file per store, `<folder>/<database>.<store>.json`, readable by the user only.
 * Writes go to a temporary file renamed over the old one, so a crash leaves the old file or
 * the new one, never half of one; writes to one file are queued, never interleaved.
 */
export class RecordsFolder {
    protected readonly queues = new Map<string, Promise<unknown>>();

    constructor(readonly folder: string) { }

    fileOf(database: string, store: string): string {
        for (const name of [database, store]) {
            if (!RECORDS_NAME.test(name)) {
                throw DesktopRecordsError.Invalid(`"${name}" is not a records name`);
            }
        }
        return path.join(this.folder, `${database}.${store}.json`);
    }

    async get(database: string, store: string, key: string): Promise<unknown> {
        const file = this.fileOf(database, store);
        checkKey(key);
        return this.queued(file, async () => (await this.read(file))[key]);
    }

    async put(database: string, store: string, key: string, value: unknown): Promise<void> {
        const file = this.fileOf(database, store);
        checkKey(key);
        const text = JSON.stringify(value);
        if (text === undefined || Buffer.byteLength(text) > MAX_RECORD_BYTES) {
            throw DesktopRecordsError.Invalid(text === undefined ? 'the value is not JSON' : `the value is larger than ${MAX_RECORD_BYTES} bytes`);
        }
        await this.queued(file, async () => this.write(file, { ...await this.read(file), [key]: JSON.parse(text) }));
    }

    async delete(database: string, store: string, key: string): Promise<void> {
        const file = this.fileOf(database, store);
        checkKey(key);
        await this.queued(file, async () => {
            const records = await this.read(file);
            if (!(key in records)) {
                return;
            }
            const { [key]: _removed, ...rest } = records;
            if (Object.keys(rest).length === 0) {
                // Nothing left: no file, as before anything was kept.
                await fs.rm(file, { force: true });
            } else {
                await this.write(file, rest);
            }
        });
    }

    protected queued<T>(file: string, work: () => Promise<T>): Promise<T> {
        const previous = this.queues.get(file) ?? Promise.resolve();
        const next = previous.then(work, work);
        const settled = next.catch(() => undefined);
        this.queues.set(file, settled);
        settled.then(() => this.queues.get(file) === settled && this.queues.delete(file));
        return next;
    }

    protected async read(file: string): Promise<Record<string, unknown>> {
        let text: string;
        try {
            text = await fs.readFile(file, 'utf8');
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
                return {};
            }
            throw error;
        }
        let parsed: Partial<RecordsFile> | undefined;
        try {
            parsed = JSON.parse(text);
        } catch {
            parsed = undefined;
        }
        if (parsed?.format !== FILE_FORMAT || typeof parsed.records !== 'object' || parsed.records === null || Array.isArray(parsed.records)) {
            throw DesktopRecordsError.Unreadable(file);
        }
        return parsed.records;
    }

    protected async write(file: string, records: Record<string, unknown>): Promise<void> {
        await fs.mkdir(this.folder, { recursive: true, mode: 0o700 });
        const content: RecordsFile = { format: FILE_FORMAT, records };
        const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
        try {
            await fs.writeFile(temporary, JSON.stringify(content, undefined, 2) + '\n', { mode: 0o600, flag: 'wx' });
            await fs.rename(temporary, file);
        } catch (error) {
            await fs.rm(temporary, { force: true });
            throw error;
        }
    }
}

function checkKey(key: string): void {
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_RECORD_KEY_LENGTH) {
        throw DesktopRecordsError.Invalid('a key must be a string of 1 to 200 characters');
    }
}

/** The desktop backend's records: in `vouch/` of the user's config folder (`~/.theia`, or THEIA_CONFIG_DIR). */
@injectable()
export class DesktopRecordsFiles implements DesktopRecordsService {
    @inject(EnvVariablesServer) protected readonly environment: EnvVariablesServer;

    protected folder?: Promise<RecordsFolder>;

    protected records(): Promise<RecordsFolder> {
        this.folder ??= this.environment.getConfigDirUri().then(uri => new RecordsFolder(path.join(FileUri.fsPath(uri), 'vouch')));
        return this.folder;
    }

    async get(database: string, store: string, key: string): Promise<unknown> {
        return (await this.records()).get(database, store, key);
    }

    async put(database: string, store: string, key: string, value: unknown): Promise<void> {
        return (await this.records()).put(database, store, key, value);
    }

    async delete(database: string, store: string, key: string): Promise<void> {
        return (await this.records()).delete(database, store, key);
    }
}
