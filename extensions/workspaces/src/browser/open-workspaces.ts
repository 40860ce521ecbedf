import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { StorageService } from '@theia/core/lib/browser/storage-service';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { WorkspaceId } from '@vouch/protocol';
import { FileChange, WorkspaceEngine, WorkspaceError, WorkspaceFiles } from '../common/workspace-engine-api';
import { VouchWorkspaceRoots } from './vouch-workspace-roots';
import { WorkspaceEngineHost } from './workspace-engine-host';

/** Where the workspaces a device had open are remembered (per device: two devices of one browser never share it). */
const REMEMBERED_KEY = 'vouch.workspaces.open';

/**
 * The Vouch workspaces open in this workbench (mounted in the Explorer): what the `vouch:`
 * file system reads and writes, and the roots the workspace service adds. Remembered per
 * device and opened again when the device is unlocked.
 */
@injectable()
export class OpenWorkspaces implements Disposable {
    @inject(WorkspaceEngineHost) protected readonly host: WorkspaceEngineHost;
    @inject(StorageService) protected readonly storage: StorageService;
    @inject(VouchWorkspaceRoots) protected readonly roots: VouchWorkspaceRoots;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected readonly opened = new Map<WorkspaceId, WorkspaceFiles>();
    protected readonly toDispose = new DisposableCollection();
    protected readonly toDisposeWithEngine = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** A workspace was opened or closed (roots change). */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;
    protected readonly onDidChangeFilesEmitter = new Emitter<{ readonly workspaceId: WorkspaceId; readonly changes: readonly FileChange[] }>();
    /** A file of an open workspace changed (the file system provider turns it into file events). */
    readonly onDidChangeFiles = this.onDidChangeFilesEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.onDidChangeFilesEmitter,
            this.toDisposeWithEngine,
            this.host.onDidChangeEngine(engine => this.followEngine(engine)),
            this.host.onDidChangeWorkspaces(() => this.updateRoots()),
            this.onDidChange(() => this.updateRoots())
        ]);
        this.followEngine(this.host.engine);
    }

    /** The workspaces open now, in the order they were opened. */
    get workspaceIds(): WorkspaceId[] {
        return [...this.opened.keys()];
    }

    get(workspaceId: WorkspaceId): WorkspaceFiles | undefined {
        return this.opened.get(workspaceId);
    }

    isOpen(workspaceId: WorkspaceId): boolean {
        return this.opened.has(workspaceId);
    }

    /** Opens (mounts) a workspace; the same files while it stays open. Throws a WorkspaceError when it cannot. */
    async open(workspaceId: WorkspaceId): Promise<WorkspaceFiles> {
        const already = this.opened.get(workspaceId);
        if (already) {
            return already;
        }
        const engine = this.host.engine;
        if (!engine) {
            throw new WorkspaceError('Unavailable', 'Unlock the device to open a workspace');
        }
        const files = await engine.open(workspaceId);
        if (this.host.engine !== engine) {
            throw new WorkspaceError('Unavailable', 'The device was locked meanwhile');
        }
        if (!this.opened.has(workspaceId)) {
            this.mount(workspaceId, files);
            await this.remember();
        }
        return this.opened.get(workspaceId)!;
    }

    /** Closes (unmounts) a workspace: its root leaves the Explorer; what is unsynced keeps syncing in the engine. */
    async close(workspaceId: WorkspaceId): Promise<void> {
        const files = this.opened.get(workspaceId);
        if (!files) {
            return;
        }
        this.opened.delete(workspaceId);
        files.dispose();
        this.onDidChangeEmitter.fire();
        await this.remember();
    }

    /** What the workbench's roots show: each open workspace's name and whether it is read-only. */
    protected updateRoots(): void {
        this.roots.set(this.workspaceIds.map(workspaceId => ({
            workspaceId,
            name: this.host.workspace(workspaceId)?.name,
            readonly: this.opened.get(workspaceId)?.readonly ?? false
        })));
    }

    protected mount(workspaceId: WorkspaceId, files: WorkspaceFiles): void {
        this.opened.set(workspaceId, files);
        this.toDisposeWithEngine.push(files.onDidChangeFiles(changes => this.onDidChangeFilesEmitter.fire({ workspaceId, changes })));
        this.onDidChangeEmitter.fire();
    }

    protected followEngine(engine: WorkspaceEngine | undefined): void {
        this.toDisposeWithEngine.dispose();
        const hadOpen = this.opened.size > 0;
        // The engine disposes its open workspaces itself when it goes.
        this.opened.clear();
        if (hadOpen) {
            this.onDidChangeEmitter.fire();
        }
        if (engine) {
            this.reopen(engine);
        }
    }

    /**
     * Opens again, in order, what this device had open. One no longer shared is forgotten; one
     * that cannot be read now (offline, nothing cached) stays remembered for the next unlock.
     */
    protected async reopen(engine: WorkspaceEngine): Promise<void> {
        const remembered = await this.storage.getData<WorkspaceId[]>(this.rememberedKey(), []);
        if (remembered.length > 0) {
            // Listed first (from the server, or offline from what this device checked last time), so the roots show their names at once.
            await engine.refresh().catch(() => undefined);
        }
        const unavailable: WorkspaceId[] = [];
        for (const workspaceId of remembered) {
            if (this.host.engine !== engine) {
                return;
            }
            try {
                await this.open(workspaceId);
            } catch (error) {
                if (error instanceof WorkspaceError && error.code === 'Unavailable') {
                    unavailable.push(workspaceId);
                }
                this.logger.info(`Workspace ${workspaceId} was not opened again: ${error instanceof Error ? error.message : error}`);
            }
        }
        if (this.host.engine === engine) {
            await this.remember(unavailable);
        }
    }

    protected async remember(alsoKeep: readonly WorkspaceId[] = []): Promise<void> {
        await this.storage.setData(this.rememberedKey(), [...this.workspaceIds, ...alsoKeep.filter(id => !this.opened.has(id))]);
    }

    protected rememberedKey(): string {
        return `${REMEMBERED_KEY}/${this.host.deviceId ?? ''}`;
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
