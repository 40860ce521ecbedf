import { Disposable, DisposableCollection } from '@theia/core';
import { ExpandableTreeNode, FrontendApplicationContribution, WidgetManager } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { FILE_NAVIGATOR_ID, FileNavigatorWidget } from '@theia/navigator/lib/browser/navigator-widget';
import { WorkspaceRootNode } from '@theia/navigator/lib/browser/navigator-tree';
import { VouchUri } from './vouch-uri';
import { VouchWorkspaceRoots } from './vouch-workspace-roots';

/**
 * Theia's Explorer expands its single root once, when the page starts with a folder open. A
 * Vouch workspace is opened later (from the Workspaces view, or again after an unlock), so
 * each one is expanded here the first time the Explorer shows it; a root the person collapses
 * afterwards stays collapsed.
 */
@injectable()
export class VouchExplorerRoots implements FrontendApplicationContribution, Disposable {
    @inject(WidgetManager) protected readonly widgets: WidgetManager;
    @inject(VouchWorkspaceRoots) protected readonly vouchRoots: VouchWorkspaceRoots;

    protected readonly expandedOnce = new Set<string>();
    protected readonly toDispose = new DisposableCollection();

    onStart(): void {
        this.toDispose.push(this.widgets.onDidCreateWidget(({ widget }) => {
            if (widget instanceof FileNavigatorWidget) {
                this.follow(widget);
            }
        }));
        this.widgets.getWidget<FileNavigatorWidget>(FILE_NAVIGATOR_ID).then(widget => widget && this.follow(widget));
    }

    protected follow(navigator: FileNavigatorWidget): void {
        const expandNew = () => {
            // Only workspaces open now: a root restored from the last layout before the unlock cannot be read yet.
            const open = new Set(this.vouchRoots.roots.map(root => VouchUri.root(root.workspaceId).toString()));
            for (const uri of this.expandedOnce) {
                if (!open.has(uri)) {
                    this.expandedOnce.delete(uri);
                }
            }
            const root = navigator.model.root;
            const children = root && 'children' in root ? (root as { children: readonly unknown[] }).children : [];
            for (const child of children) {
                if (WorkspaceRootNode.is(child) && open.has(child.uri.toString()) && !this.expandedOnce.has(child.uri.toString())) {
                    this.expandedOnce.add(child.uri.toString());
                    if (ExpandableTreeNode.is(child) && !child.expanded) {
                        navigator.model.expandNode(child);
                    } else {
                        // Restored expanded from the last layout, before the workspace could be read: read it now.
                        navigator.model.refresh(child);
                    }
                }
            }
        };
        this.toDispose.push(navigator.model.onChanged(expandNew));
        this.toDispose.push(this.vouchRoots.onDidChange(expandNew));
        expandNew();
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
