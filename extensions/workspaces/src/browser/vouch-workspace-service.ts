import { Deferred } from '@theia/core/lib/common/promise-util';
import { injectable, inject, postConstruct } from '@theia/core/shared/inversify';
import { FileStat } from '@theia/filesystem/lib/common/files';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { VouchUri } from './vouch-uri';
import { VouchWorkspaceRoot, VouchWorkspaceRoots } from './vouch-workspace-roots';

/**
 * Theia's workspace service opens `file:` folders and workspace files only. This one adds
 * the open Vouch workspaces as roots on the `vouch:` scheme, after whatever the workbench has
 * open of its own, so the Explorer, quick open and every root-aware feature see them.
 */
@injectable()
export class VouchWorkspaceService extends WorkspaceService {
    @inject(VouchWorkspaceRoots) protected readonly vouchRoots: VouchWorkspaceRoots;

    @postConstruct()
    protected override init(): void {
        super.init();
        this.vouchRoots.onDidChange(() => this.updateWorkspace());
    }

    /** With only Vouch workspaces open, the workbench still has a workspace: the Explorer shows them. */
    override get opened(): boolean {
        return super.opened || this.vouchRoots.roots.length > 0;
    }

    /** Theia's compares roots by address only: a workspace's name read later must show too. */
    protected override async updateRoots(): Promise<void> {
        const previous = this._roots;
        await super.updateRoots();
        if (this._roots !== previous) {
            return;
        }
        const roots = await this.computeRoots();
        const names = (stats: FileStat[]) => stats.map(root => `${root.resource.toString()} ${root.name}`).join('\n');
        if (names(roots) !== names(previous)) {
            this._roots = roots;
            this.deferredRoots = new Deferred<FileStat[]>();
            this.deferredRoots.resolve(roots);
            this.onWorkspaceChangeEmitter.fire(roots);
        }
    }

    protected override async computeRoots(): Promise<FileStat[]> {
        const roots = await super.computeRoots();
        return [...roots, ...this.vouchRoots.roots.map(root => this.rootStat(root))];
    }

    protected rootStat(root: VouchWorkspaceRoot): FileStat {
        return {
            resource: VouchUri.root(root.workspaceId),
            name: root.name ?? root.workspaceId,
            isFile: false,
            isDirectory: true,
            isSymbolicLink: false,
            isReadonly: root.readonly
        };
    }
}
