import { ApplicationError } from '@theia/core/lib/common/application-error';

/**
 * RPC between the desktop workbench and its own backend, which keeps what the browser keeps in
 * IndexedDB (the sealed device, the verified log head, a pending join request) in files of the
 * user's config folder. Values are already sealed where they hold secrets: the backend stores
 * them as given and reads nothing in them.
 */
export const DESKTOP_RECORDS_PATH = '/services/vouch/desktop-records';
export const DesktopRecordsService = Symbol('DesktopRecordsService');

export interface DesktopRecordsService {
    /** The value under `key` in the `database`/`store` file; undefined when there is none. */
    get(database: string, store: string, key: string): Promise<unknown>;
    put(database: string, store: string, key: string, value: unknown): Promise<void>;
    delete(database: string, store: string, key: string): Promise<void>;
}

/** Database and store names become file names: short, lower case, no path in them. */
export const RECORDS_NAME = /^[a-z][a-z0-9-]{0,39}$/;
/** Keys stay keys: a device key or `current`, never a document. */
export const MAX_RECORD_KEY_LENGTH = 200;
/** A sealed device or a pending join request is a few KiB; anything near this is not ours. */
export const MAX_RECORD_BYTES = 1024 * 1024;

export const DesktopRecordsError = {
    /** A name, key or value the backend refuses; nothing was written. */
    Invalid: ApplicationError.declare(-42101, (reason: string) => ({ message: `Refused record: ${reason}`, data: { reason } })),
    /** The file exists but is not one of ours (damaged, or written by a newer version); left as it is. */
    Unreadable: ApplicationError.declare(-42102, (file: string) => ({
        message: `The file ${file} cannot be read as Vouch records; it was left untouched. Move it away to start afresh.`, data: { file }
    }))
};
