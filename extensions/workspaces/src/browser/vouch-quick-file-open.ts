import { CancellationToken, nls, QuickPickItem, QuickPicks } from '@theia/core';
import { LabelProvider, open, OpenerService } from '@theia/core/lib/browser';
import { QuickAccessContribution, QuickAccessProvider, QuickAccessRegistry } from '@theia/core/lib/browser/quick-input/quick-access';
import { findMatches, QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { WorkspaceId } from '@vouch/protocol';
import { OpenWorkspaces } from './open-workspaces';
import { VouchUri } from './vouch-uri';
import { WorkspaceEngineHost } from './workspace-engine-host';

/** The most files one quick open lists. */
const MAX_PICKS = 200;

/**
 * Quick open (Ctrl+P, no prefix) over the files of the open Vouch workspaces: their paths come
 * from the manifests the engine has at hand (decrypted in this browser; the server cannot
 * search names it never sees in clear). A workspace's list is kept until its files change.
 */
@injectable()
export class VouchQuickFileOpen implements QuickAccessProvider, QuickAccessContribution {
    static readonly PREFIX = '';

    @inject(QuickAccessRegistry) protected readonly registry: QuickAccessRegistry;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(OpenWorkspaces) protected readonly workspaces: OpenWorkspaces;
    @inject(WorkspaceEngineHost) protected readonly engines: WorkspaceEngineHost;
    @inject(OpenerService) protected readonly openerService: OpenerService;
    @inject(LabelProvider) protected readonly labelProvider: LabelProvider;

    protected readonly paths = new Map<WorkspaceId, Promise<string[]>>();

    @postConstruct()
    protected init(): void {
        this.workspaces.onDidChangeFiles(({ workspaceId }) => this.paths.delete(workspaceId));
        this.workspaces.onDidChange(() => this.paths.clear());
    }

    registerQuickAccessProvider(): void {
        this.registry.registerQuickAccessProvider({
            getInstance: () => this,
            prefix: VouchQuickFileOpen.PREFIX,
            placeholder: nls.localize('vouch/workspaces/quickOpen/placeholder', 'Search files by name in open Vouch workspaces'),
            helpEntries: [{ description: nls.localize('vouch/workspaces/quickOpen/help', 'Go to a file of an open Vouch workspace'), needsEditor: false }]
        });
    }

    open(): void {
        this.quickInput.open(VouchQuickFileOpen.PREFIX);
    }

    async getPicks(filter: string, token: CancellationToken): Promise<QuickPicks> {
        const picks: QuickPickItem[] = [];
        const pattern = filter.trim();
        for (const workspaceId of this.workspaces.workspaceIds) {
            const paths = await this.pathsOf(workspaceId);
            if (token.isCancellationRequested) {
                return [];
            }
            const workspaceName = this.engines.workspace(workspaceId)?.name ?? workspaceId;
            for (const path of paths) {
                const name = path.slice(path.lastIndexOf('/') + 1);
                const highlights = pattern ? findMatches(name, pattern) : [];
                if (pattern && !highlights && !findMatches(path, pattern)) {
                    continue;
                }
                const uri = VouchUri.create(workspaceId, path);
                picks.push({
                    label: name,
                    description: `${workspaceName}${path.slice(0, path.length - name.length - 1) || ''}`,
                    iconClasses: this.labelProvider.getIcon(uri).split(' '),
                    highlights: highlights ? { label: highlights } : undefined,
                    execute: () => open(this.openerService, uri)
                });
                if (picks.length >= MAX_PICKS) {
                    return picks;
                }
            }
        }
        return picks;
    }

    protected pathsOf(workspaceId: WorkspaceId): Promise<string[]> {
        let paths = this.paths.get(workspaceId);
        if (!paths) {
            const files = this.workspaces.get(workspaceId);
            paths = files ? files.files().catch(() => []) : Promise.resolve([]);
            this.paths.set(workspaceId, paths);
        }
        return paths;
    }
}
