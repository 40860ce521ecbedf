import 'reflect-metadata';
import { expect } from 'chai';
import { CancellationToken, Emitter } from '@theia/core';
import { FileChangeType, FilePermission, FileSystemProviderErrorCode, FileType, toFileSystemProviderErrorCode } from '@theia/filesystem/lib/common/files';
import { FileChange, FileStat, TransferOptions, WorkspaceError, WorkspaceFiles } from '../common/workspace-engine-api';
import { LARGE_TRANSFER_BYTES, VouchFileSystemProvider } from './vouch-file-system-provider';
import { OpenWorkspaces } from './open-workspaces';
import { VouchUri } from './vouch-uri';

const ID = '0123456789abcdef0123456789abcdef';
const OTHER = 'fedcba9876543210fedcba9876543210';

/** A workspace's files in memory: what the engine would answer, for the provider's mapping only. */
class MemoryFiles implements Partial<WorkspaceFiles> {
    readonly workspaceId = ID;
    readonly entries = new Map<string, Uint8Array | 'folder'>([['/', 'folder']]);
    constructor(readonly readonly: boolean) { }
    async stat(path: string): Promise<FileStat> {
        const entry = this.entries.get(path);
        if (!entry) {
            throw new WorkspaceError('FileNotFound', `No ${path}`);
        }
        return { type: entry === 'folder' ? 'folder' : 'file', size: entry === 'folder' ? 0 : entry.length, mtime: 2, ctime: 1 };
    }
    async readdir(path: string): Promise<[string, 'file' | 'folder'][]> {
        const prefix = path === '/' ? '/' : path + '/';
        return [...this.entries].filter(([key]) => key !== path && key.startsWith(prefix) && !key.slice(prefix.length).includes('/'))
            .map(([key, value]) => [key.slice(prefix.length), value === 'folder' ? 'folder' : 'file']);
    }
    async readFile(path: string, options?: TransferOptions): Promise<Uint8Array> {
        const entry = this.entries.get(path);
        if (!(entry instanceof Uint8Array)) {
            throw new WorkspaceError('FileIsADirectory', path);
        }
        options?.onProgress?.(entry.length / 2, entry.length);
        if (options?.token?.isCancellationRequested) {
            throw new WorkspaceError('Cancelled', 'Cancelled');
        }
        options?.onProgress?.(entry.length, entry.length);
        return entry;
    }
    async writeFile(path: string, content: Uint8Array | { size: number }): Promise<void> {
        if (this.readonly) {
            throw new WorkspaceError('NoPermissions', 'Readers do not write');
        }
        this.entries.set(path, content instanceof Uint8Array ? content : new Uint8Array(content.size));
    }
}

describe('VouchFileSystemProvider', () => {
    function provider(files: MemoryFiles | undefined) {
        const changes = new Emitter<{ workspaceId: string; changes: readonly FileChange[] }>();
        const progress: { reports: { done: number; total: number }[]; shown: number; cancel?: () => void } = { reports: [], shown: 0 };
        const workspaces = { get: (id: string) => id === ID ? files : undefined, onDidChangeFiles: changes.event } as unknown as OpenWorkspaces;
        const progressService = {
            showProgress: async (_message: unknown, onDidCancel?: () => void) => {
                progress.shown++;
                progress.cancel = onDidCancel;
                return { id: 'p', report: (update: { work: { done: number; total: number } }) => progress.reports.push(update.work), cancel: () => undefined, result: Promise.resolve(undefined) };
            }
        };
        const fs = Object.assign(new VouchFileSystemProvider(), { workspaces, progressService });
        (fs as unknown as { init(): void }).init();
        return { fs, changes, progress };
    }

    it('lists and stats a workspace\'s files under vouch:/<id>/<path>', async () => {
        const files = new MemoryFiles(false);
        files.entries.set('/docs', 'folder');
        files.entries.set('/docs/a.txt', new Uint8Array([1, 2, 3]));
        const { fs } = provider(files);
        expect(await fs.readdir(VouchUri.root(ID))).to.deep.equal([['docs', FileType.Directory]]);
        expect(await fs.readdir(VouchUri.create(ID, '/docs'))).to.deep.equal([['a.txt', FileType.File]]);
        const stat = await fs.stat(VouchUri.create(ID, '/docs/a.txt'));
        expect(stat).to.deep.equal({ type: FileType.File, size: 3, mtime: 2, ctime: 1 });
        expect(await fs.readFile(VouchUri.create(ID, '/docs/a.txt'))).to.deep.equal(new Uint8Array([1, 2, 3]));
    });

    it('marks a Reader\'s files read-only, and says NoPermissions when a write is refused', async () => {
        const files = new MemoryFiles(true);
        const { fs } = provider(files);
        expect((await fs.stat(VouchUri.root(ID))).permissions).to.equal(FilePermission.Readonly);
        const error = await fs.writeFile(VouchUri.create(ID, '/b.txt'), new Uint8Array([1]), { create: true, overwrite: false }).then(() => undefined, e => e);
        expect(toFileSystemProviderErrorCode(error)).to.equal(FileSystemProviderErrorCode.NoPermissions);
    });

    it('says FileNotFound for a missing file and for a workspace that is not open', async () => {
        const { fs } = provider(new MemoryFiles(false));
        const missing = await fs.stat(VouchUri.create(ID, '/nope')).then(() => undefined, e => e);
        expect(toFileSystemProviderErrorCode(missing)).to.equal(FileSystemProviderErrorCode.FileNotFound);
        const closed = await fs.stat(VouchUri.root(OTHER)).then(() => undefined, e => e);
        expect(toFileSystemProviderErrorCode(closed)).to.equal(FileSystemProviderErrorCode.FileNotFound);
    });

    it('turns the engine\'s changes into the file service\'s events', () => {
        const { fs, changes } = provider(new MemoryFiles(false));
        const seen: string[] = [];
        fs.onDidChangeFile(events => seen.push(...events.map(event => `${event.type} ${event.resource.toString()}`)));
        changes.fire({ workspaceId: ID, changes: [{ type: 'added', path: '/docs' }, { type: 'deleted', path: '/old.txt' }] });
        expect(seen).to.deep.equal([`${FileChangeType.ADDED} vouch:/${ID}/docs`, `${FileChangeType.DELETED} vouch:/${ID}/old.txt`]);
    });

    it('shows large transfers in the progress UI, and its Cancel cancels the transfer', async () => {
        const files = new MemoryFiles(false);
        files.entries.set('/small', new Uint8Array(10));
        files.entries.set('/big', new Uint8Array(LARGE_TRANSFER_BYTES));
        const { fs, progress } = provider(files);
        await fs.readFile(VouchUri.create(ID, '/small'));
        expect(progress.shown).to.equal(0, 'small transfers stay quiet');
        await fs.readFile(VouchUri.create(ID, '/big'));
        expect(progress.shown).to.equal(1);
        await new Promise(resolve => setTimeout(resolve, 0));
        expect(progress.reports.at(-1)).to.deep.equal({ done: LARGE_TRANSFER_BYTES, total: LARGE_TRANSFER_BYTES });

        // Cancel pressed while the transfer runs: the engine sees its token cancelled.
        const original = files.readFile.bind(files);
        let token: CancellationToken | undefined;
        files.readFile = async (path, options) => {
            token = options?.token;
            options?.onProgress?.(1, LARGE_TRANSFER_BYTES);
            await new Promise(resolve => setTimeout(resolve, 0));
            progress.cancel!();
            return original(path, options);
        };
        const cancelled = await fs.readFile(VouchUri.create(ID, '/big')).then(() => undefined, e => e);
        expect(token?.isCancellationRequested).to.equal(true);
        expect(cancelled).to.be.instanceOf(Error);
    });
});
