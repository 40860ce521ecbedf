import { Breadcrumb } from '@theia/core/lib/browser/breadcrumbs/breadcrumbs-constants';
import { Disposable } from '@theia/core';
import URI from '@theia/core/lib/common/uri';
import { injectable } from '@theia/core/shared/inversify';
import { FilepathBreadcrumb } from '@theia/filesystem/lib/browser/breadcrumbs/filepath-breadcrumb';
import { WorkspaceBreadcrumbsContribution } from '@theia/workspace/lib/browser/workspace-breadcrumbs-contribution';
import { VouchUri } from './vouch-uri';

/**
 * Breadcrumbs above an editor of a `vouch:` file (Theia's file path breadcrumbs stop at
 * `file:`): the workspace, named, then each folder down to the file; each one's popup lists its
 * folder through the file service, as for any file.
 */
@injectable()
export class VouchBreadcrumbsContribution extends WorkspaceBreadcrumbsContribution {
    override async computeBreadcrumbs(uri: URI): Promise<Breadcrumb[]> {
        if (uri.scheme !== VouchUri.SCHEME) {
            return super.computeBreadcrumbs(uri);
        }
        const containerClass = this.getContainerClassCreator(uri);
        const iconClass = this.getIconClassCreator(uri);
        return uri.allLocations
            .filter(location => VouchUri.parse(location) !== undefined)
            .map((location, index) => new FilepathBreadcrumb(location, this.labelProvider.getName(location), this.labelProvider.getLongName(location),
                iconClass(location, index), containerClass(location, index)))
            .reverse();
    }

    override async attachPopupContent(breadcrumb: Breadcrumb, parent: HTMLElement): Promise<Disposable | undefined> {
        // Above a workspace's root there is nothing to list.
        if (FilepathBreadcrumb.is(breadcrumb) && breadcrumb.uri.scheme === VouchUri.SCHEME && VouchUri.parse(breadcrumb.uri)?.path === '/') {
            return undefined;
        }
        return super.attachPopupContent(breadcrumb, parent);
    }
}
