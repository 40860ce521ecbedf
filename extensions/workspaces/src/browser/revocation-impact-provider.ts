import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { localizePlural } from '@vouch/core/lib/common/plural';
import { RevocationImpact, UserId } from '@vouch/protocol';
import { RevocationImpactProvider } from '@vouch/users/lib/browser/revocation-impact';
import { WorkspaceEngineHost } from './workspace-engine-host';

/**
 * The Revoke dialog's workspace sentences: how many workspaces the users hold a role in (the
 * server's count, Administrators only), the names of those the Administrator is a member of
 * (their sealed roots opened by this client's engine; the server never has a name), and where
 * they are the last Owners.
 */
@injectable()
export class WorkspacesRevocationImpact implements RevocationImpactProvider {
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(WorkspaceEngineHost) protected readonly engines: WorkspaceEngineHost;

    async describe(userIds: readonly string[]): Promise<readonly string[]> {
        const reply = await this.connection.request('reencryption.impact', { userIds: userIds as UserId[] });
        if (!reply.ok) {
            return [nls.localize('vouch/workspaces/impact/unknown', 'What it causes in workspaces could not be read: {0}', describeApiError(reply.error))];
        }
        return describeRevocationImpact(reply.value, workspaceId => this.engines.workspace(workspaceId)?.name);
    }
}

/** The sentences for an impact; `nameOf` gives the names this user can read (undefined for the others). */
export function describeRevocationImpact(impact: RevocationImpact, nameOf: (workspaceId: string) => string | undefined): string[] {
    const count = impact.workspaces.length;
    if (count === 0) {
        return [nls.localize('vouch/workspaces/impact/none', 'No workspace is shared with them: nothing to re-encrypt.')];
    }
    const lines = [localizePlural('vouch/workspaces/impact/shared', count, {
        one: '1 workspace is shared with them: its Owners will be asked to re-encrypt it.',
        other: '{0} workspaces are shared with them: their Owners will be asked to re-encrypt them.'
    })];
    const readable = impact.workspaces.map(one => nameOf(one.workspaceId)).filter((name): name is string => name !== undefined).sort();
    if (readable.length > 0) {
        lines.push(nls.localize('vouch/workspaces/impact/readable', 'Those you are a member of: {0}.', readable.join(', ')));
    }
    const lastOwner = impact.workspaces.filter(one => one.lastOwner);
    if (lastOwner.length > 0) {
        const named = lastOwner.map(one => nameOf(one.workspaceId)).filter((name): name is string => name !== undefined).sort();
        const unnamed = lastOwner.length - named.length;
        lines.push([
            ...(named.length > 0 ? [nls.localize('vouch/workspaces/impact/lastOwnerNamed', 'They are the last Owner of {0}.', named.join(', '))] : []),
            ...(unnamed > 0 ? [localizePlural('vouch/workspaces/impact/lastOwnerUnnamed', unnamed, {
                one: 'They are the last Owner of 1 workspace you cannot read.',
                other: 'They are the last Owner of {0} workspaces you cannot read.'
            })] : []),
            nls.localize('vouch/workspaces/impact/succession', 'There, the members of the highest role left become Owners when they re-encrypt.')
        ].join(' '));
    }
    return lines;
}
