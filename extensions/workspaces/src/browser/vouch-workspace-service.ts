import { injectable, inject, postConstruct } from '@theia/core/shared/inversify';
import { FileStat } from '@theia/filesystem/lib/common/files';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { WorkspaceId } from '@vouch/protocol';
import { OpenWorkspaces } from './open-workspaces';
import { VouchUri } from './vouch-uri';
import { WorkspaceEngineHost } from './workspace-engine-host';

/**
 * Theia's workspace service opens `file:` folders and workspace files only. This one adds
 * the open Vouch workspaces as roots on the `vouch:` scheme, after whatever the workbench has
 * open of its own, so the Explorer, quick open and every root-aware feature see them.
 */
@injectable()
export class VouchWorkspaceService extends WorkspaceService {
    @inject(OpenWorkspaces) protected readonly openWorkspaces: OpenWorkspaces;
    @inject(WorkspaceEngineHost) protected readonly engines: WorkspaceEngineHost;

    @postConstruct()
    protected override init(): void {
        super.init();
        this.openWorkspaces.onDidChange(() => this.updateWorkspace());
    }

    /** With only Vouch workspaces open, the workbench still has a workspace: the Explorer shows them. */
    override get opened(): boolean {
        return super.opened || this.openWorkspaces.workspaceIds.length > 0;
    }

    protected override async computeRoots(): Promise<FileStat[]> {
        const roots = await super.computeRoots();
        return [...roots, ...this.openWorkspaces.workspaceIds.map(workspaceId => this.rootStat(workspaceId))];
    }

    protected rootStat(workspaceId: WorkspaceId): FileStat {
        const files = this.openWorkspaces.get(workspaceId);
        return {
            resource: VouchUri.root(workspaceId),
            name: this.engines.workspace(workspaceId)?.name ?? workspaceId,
            isFile: false,
            isDirectory: true,
            isSymbolicLink: false,
            isReadonly: files?.readonly ?? false
        };
    }
}
