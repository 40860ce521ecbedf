import { nls } from '@theia/core';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { API_ERROR_CODES, WorkspaceRole } from '@vouch/protocol';
import { SyncState, WorkspaceError } from '../common/workspace-engine-api';

/** The words for each workspace role, in the view and the Share dialog. */
export const ROLE_LABELS: Record<WorkspaceRole, () => string> = {
    OWNER: () => nls.localize('vouch/workspaces/role/owner', 'Owner'),
    MANAGER: () => nls.localize('vouch/workspaces/role/manager', 'Manager'),
    CONTRIBUTOR: () => nls.localize('vouch/workspaces/role/contributor', 'Contributor'),
    READER: () => nls.localize('vouch/workspaces/role/reader', 'Reader')
};

/** "synced", "syncing 3 files", "offline (2 edits waiting)", "paused: …". */
export function syncStateLabel(state: SyncState): string {
    switch (state.kind) {
        case 'synced': return nls.localize('vouch/workspaces/sync/synced', 'synced');
        case 'syncing': return localizePlural('vouch/workspaces/sync/syncing', state.files, { one: 'syncing 1 file', other: 'syncing {0} files' });
        case 'offline': return state.pending === 0
            ? nls.localize('vouch/workspaces/sync/offline', 'offline')
            : localizePlural('vouch/workspaces/sync/offlinePending', state.pending, { one: 'offline (1 edit waiting)', other: 'offline ({0} edits waiting)' });
        case 'paused': return nls.localize('vouch/workspaces/sync/paused', 'paused: {0}', state.reason);
    }
}

/** "1 member", "3 members". */
export function membersCount(count: number): string {
    return localizePlural('vouch/workspaces/members', count, { one: '1 member', other: '{0} members' });
}

/**
 * Why a workspace operation failed, for a person: a refusal of the server in the workbench's
 * words (describeApiError), an engine's own error as it says it.
 */
export function describeWorkspaceError(error: unknown): string {
    if (error instanceof WorkspaceError) {
        return error.refusal ? describeApiError(error.refusal) : error.message;
    }
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
    const message = error instanceof Error ? error.message : String(error);
    if (code !== undefined && (API_ERROR_CODES as readonly string[]).includes(code)) {
        return describeApiError({ code, message });
    }
    return message;
}
