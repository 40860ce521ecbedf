import { URIIconReference } from '@theia/core/lib/browser/label-provider';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { FileStat } from '@theia/filesystem/lib/common/files';
import { WorkspaceUriLabelProviderContribution } from '@theia/workspace/lib/browser/workspace-uri-contribution';
import { VouchUri } from './vouch-uri';
import { VouchWorkspaceRoots } from './vouch-workspace-roots';

/**
 * Labels of `vouch:` files: a workspace's root is named by the workspace's name (its URI only
 * holds the id), and a file's long name is its path inside the workspace, after that name.
 */
@injectable()
export class VouchLabelProviderContribution extends WorkspaceUriLabelProviderContribution {
    @inject(VouchWorkspaceRoots) protected readonly vouchRoots: VouchWorkspaceRoots;

    @postConstruct()
    override init(): void {
        this.vouchRoots.onDidChange(() => this.onDidChangeEmitter.fire({ affects: element => this.canHandle(element) > 0 }));
    }

    override canHandle(element: object): number {
        const uri = element instanceof URI ? element : FileStat.is(element) ? element.resource : URIIconReference.is(element) ? element.uri : undefined;
        return uri?.scheme === VouchUri.SCHEME ? 20 : 0;
    }

    override getName(element: URI | URIIconReference | FileStat): string | undefined {
        return this.workspaceName(element) ?? super.getName(element);
    }

    override getLongName(element: URI | URIIconReference | FileStat): string | undefined {
        const uri = this.getUri(element);
        const location = uri && VouchUri.parse(uri);
        if (!location) {
            return super.getLongName(element);
        }
        const name = this.vouchRoots.get(location.workspaceId)?.name ?? location.workspaceId;
        return location.path === '/' ? name : `${name}${location.path}`;
    }

    protected workspaceName(element: URI | URIIconReference | FileStat): string | undefined {
        const uri = this.getUri(element);
        const location = uri && VouchUri.parse(uri);
        return location?.path === '/' ? this.vouchRoots.get(location.workspaceId)?.name ?? location.workspaceId : undefined;
    }
}
