import { CancellationTokenSource, Disposable, DisposableCollection, Emitter, Event, nls, ProgressService } from '@theia/core';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import {
    createFileSystemProviderError, FileChange, FileChangeType, FileDeleteOptions, FileOverwriteOptions, FilePermission, FileSystemProviderCapabilities,
    FileSystemProviderErrorCode, FileSystemProviderWithFileReadWriteCapability, FileType, FileWriteOptions, Stat, WatchOptions
} from '@theia/filesystem/lib/common/files';
import { FileChange as WorkspaceFileChange, TransferOptions, WorkspaceError, WorkspaceErrorCode, WorkspaceFiles } from '../common/workspace-engine-api';
import { OpenWorkspaces } from './open-workspaces';
import { VouchLocation, VouchUri } from './vouch-uri';

/** Transfers from this size on show in Theia's progress UI, cancellable. */
export const LARGE_TRANSFER_BYTES = 1024 * 1024;

const ERROR_CODES: Record<WorkspaceErrorCode, FileSystemProviderErrorCode> = {
    FileNotFound: FileSystemProviderErrorCode.FileNotFound,
    FileExists: FileSystemProviderErrorCode.FileExists,
    FileNotADirectory: FileSystemProviderErrorCode.FileNotADirectory,
    FileIsADirectory: FileSystemProviderErrorCode.FileIsADirectory,
    NoPermissions: FileSystemProviderErrorCode.NoPermissions,
    Unavailable: FileSystemProviderErrorCode.Unavailable,
    Cancelled: FileSystemProviderErrorCode.Unknown
};

const CHANGE_TYPES: Record<WorkspaceFileChange['type'], FileChangeType> = {
    added: FileChangeType.ADDED,
    updated: FileChangeType.UPDATED,
    deleted: FileChangeType.DELETED
};

/**
 * The `vouch:` file system, in the frontend: each open Vouch workspace's files, read and
 * written through the workspace engine (decrypted and encrypted in this browser only). A
 * Reader's files carry the read-only permission, so editors show the lock and refuse to save;
 * the engine and the server refuse a Reader's write anyway.
 */
@injectable()
export class VouchFileSystemProvider implements FileSystemProviderWithFileReadWriteCapability, Disposable {
    @inject(OpenWorkspaces) protected readonly workspaces: OpenWorkspaces;
    @inject(ProgressService) protected readonly progressService: ProgressService;

    readonly capabilities = FileSystemProviderCapabilities.FileReadWrite | FileSystemProviderCapabilities.PathCaseSensitive;

    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeCapabilitiesEmitter = new Emitter<void>();
    readonly onDidChangeCapabilities: Event<void> = this.onDidChangeCapabilitiesEmitter.event;
    protected readonly onDidChangeFileEmitter = new Emitter<readonly FileChange[]>();
    readonly onDidChangeFile: Event<readonly FileChange[]> = this.onDidChangeFileEmitter.event;
    protected readonly onFileWatchErrorEmitter = new Emitter<void>();
    readonly onFileWatchError: Event<void> = this.onFileWatchErrorEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeCapabilitiesEmitter, this.onDidChangeFileEmitter, this.onFileWatchErrorEmitter,
            this.workspaces.onDidChangeFiles(({ workspaceId, changes }) => this.fireWorkspaceChanges(workspaceId, changes))
        ]);
    }

    /** Changes of an open workspace's files, as the workbench's file events (the workspace's own watcher). */
    fireWorkspaceChanges(workspaceId: string, changes: readonly WorkspaceFileChange[]): void {
        if (changes.length > 0) {
            this.onDidChangeFileEmitter.fire(changes.map(change => ({ type: CHANGE_TYPES[change.type], resource: VouchUri.create(workspaceId, change.path) })));
        }
    }

    // The engine reports every change of an open workspace; nothing more to watch per resource.
    watch(_resource: URI, _opts: WatchOptions): Disposable {
        return Disposable.NULL;
    }

    async stat(resource: URI): Promise<Stat> {
        return this.run(resource, async (files, path) => {
            const stat = await files.stat(path);
            return {
                type: stat.type === 'folder' ? FileType.Directory : FileType.File,
                size: stat.size,
                mtime: stat.mtime,
                ctime: stat.ctime,
                ...(files.readonly ? { permissions: FilePermission.Readonly } : {})
            };
        });
    }

    async readdir(resource: URI): Promise<[string, FileType][]> {
        return this.run(resource, async (files, path) =>
            (await files.readdir(path)).map(([name, type]): [string, FileType] => [name, type === 'folder' ? FileType.Directory : FileType.File]));
    }

    async readFile(resource: URI): Promise<Uint8Array> {
        return this.run(resource, (files, path) => this.transfer(
            nls.localize('vouch/workspaces/downloading', 'Downloading {0}', resource.path.base),
            options => files.readFile(path, options)));
    }

    async writeFile(resource: URI, content: Uint8Array, opts: FileWriteOptions): Promise<void> {
        return this.run(resource, (files, path) => this.transfer(
            nls.localize('vouch/workspaces/uploading', 'Uploading {0}', resource.path.base),
            options => files.writeFile(path, content, { create: opts.create, overwrite: opts.overwrite, ...options }),
            content.byteLength));
    }

    /**
     * Writes a file from chunks whose total size is known (a file dropped from the computer),
     * never holding it whole: the engine seals and sends it block by block. Progress and
     * cancellation are the caller's (Theia's upload shows its own).
     */
    async writeFileStream(resource: URI, size: number, chunks: AsyncIterable<Uint8Array>, options: TransferOptions): Promise<void> {
        return this.run(resource, (files, path) => files.writeFile(path, { size, chunks }, { create: true, overwrite: true, ...options }));
    }

    async mkdir(resource: URI): Promise<void> {
        return this.run(resource, (files, path) => files.mkdir(path));
    }

    async delete(resource: URI, opts: FileDeleteOptions): Promise<void> {
        return this.run(resource, (files, path) => files.delete(path, { recursive: opts.recursive }));
    }

    async rename(from: URI, to: URI, opts: FileOverwriteOptions): Promise<void> {
        const target = this.locate(to);
        return this.run(from, (files, path) => {
            if (target.workspaceId !== files.workspaceId) {
                // Across workspaces the keys differ: the file service copies then deletes instead.
                throw createFileSystemProviderError(nls.localize('vouch/workspaces/acrossWorkspaces', 'Files move between workspaces by copy'),
                    FileSystemProviderErrorCode.Unavailable);
            }
            return files.rename(path, target.path, { overwrite: opts.overwrite });
        });
    }

    /**
     * Runs a transfer; once it proves large (the engine reports its total), it shows in the
     * progress UI with Cancel, which cancels the transfer.
     */
    protected async transfer<T>(title: string, run: (options: TransferOptions) => Promise<T>, knownTotal?: number): Promise<T> {
        const cancellation = new CancellationTokenSource();
        let progress: Promise<{ report: (update: { work: { done: number; total: number } }) => void; cancel: () => void }> | undefined;
        const show = () => progress ??= this.progressService.showProgress(
            { text: title, options: { cancelable: true, location: 'notification' } },
            () => cancellation.cancel());
        if (knownTotal !== undefined && knownTotal >= LARGE_TRANSFER_BYTES) {
            show();
        }
        try {
            return await run({
                token: cancellation.token,
                onProgress: (done, total) => {
                    if (total >= LARGE_TRANSFER_BYTES) {
                        show().then(shown => shown.report({ work: { done, total } }));
                    }
                }
            });
        } finally {
            (await progress)?.cancel();
            cancellation.dispose();
        }
    }

    protected locate(resource: URI): VouchLocation {
        const location = VouchUri.parse(resource);
        if (!location) {
            throw createFileSystemProviderError(nls.localize('vouch/workspaces/badUri', 'Not a file of a Vouch workspace: {0}', resource.toString()),
                FileSystemProviderErrorCode.FileNotFound);
        }
        return location;
    }

    /** The open workspace a URI names, and its errors in the file system's terms. */
    protected async run<T>(resource: URI, work: (files: WorkspaceFiles, path: string) => Promise<T>): Promise<T> {
        const location = this.locate(resource);
        const files = this.workspaces.get(location.workspaceId);
        if (!files) {
            // Not found here (yet): a view restored from the last layout asks before the device is unlocked and the workspace opened again.
            throw createFileSystemProviderError(nls.localize('vouch/workspaces/notOpen', 'This Vouch workspace is not open in this workbench'),
                FileSystemProviderErrorCode.FileNotFound);
        }
        try {
            return await work(files, location.path);
        } catch (error) {
            if (error instanceof WorkspaceError) {
                throw createFileSystemProviderError(error.message, ERROR_CODES[error.code]);
            }
            throw error;
        }
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
