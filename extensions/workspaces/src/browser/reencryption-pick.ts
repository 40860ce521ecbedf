import { nls, QuickInputService, QuickPickItem } from '@theia/core';
import { WorkspaceId } from '@vouch/protocol';
import { WorkspaceInfo } from '../common/workspace-engine-api';

type WorkspaceItem = QuickPickItem & { readonly workspaceId: WorkspaceId };

/** Which of these workspaces to re-encrypt now: a multi-selection, every one ticked at first; undefined when dismissed. */
export function pickWorkspacesToReencrypt(quickInput: QuickInputService, workspaces: readonly WorkspaceInfo[]): Promise<WorkspaceId[] | undefined> {
    const items: WorkspaceItem[] = workspaces.map(info => ({
        label: info.name ?? info.workspaceId,
        description: info.revokedMembers.map(member => member.label).filter(label => label !== undefined).join(', '),
        workspaceId: info.workspaceId
    }));
    return new Promise(resolve => {
        const pick = quickInput.createQuickPick<WorkspaceItem>();
        pick.title = nls.localize('vouch/workspaces/reencrypt/pick', 'Choose the workspaces to re-encrypt now (the others keep their marker)');
        pick.canSelectMany = true;
        pick.items = items;
        pick.selectedItems = items;
        let accepted = false;
        pick.onDidAccept(() => {
            accepted = true;
            resolve(pick.selectedItems.map(item => item.workspaceId));
            pick.hide();
        });
        pick.onDidHide(() => {
            if (!accepted) {
                resolve(undefined);
            }
            pick.dispose();
        });
        pick.show();
    });
}
