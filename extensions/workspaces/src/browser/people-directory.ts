import { Emitter, Event } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { checkUsersPage, UserRow } from '@vouch/users/lib/common/user-rows';

/** How many people a search shows at once. */
export const PEOPLE_SEARCH_LIMIT = 20;

export interface PeopleSearch {
    readonly rows: readonly UserRow[];
    /** Why nothing could be listed (a refusal, rows that did not check out). */
    readonly problem?: string;
}

/**
 * The people of the organization as the workspace views name them: searched on the server
 * (its `users.list`, which shows External users only what they may see) and believed only once
 * their certificates check out from the organization's root key, as the Users view does.
 * Remembers whom it has seen, to name members.
 */
@injectable()
export class PeopleDirectory {
    @inject(VouchSession) protected readonly session: VouchSession;

    protected readonly known = new Map<string, UserRow>();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    /** Active people whose name or email matches `query`. */
    async search(query: string): Promise<PeopleSearch> {
        const trust = this.session.createTrustStore();
        if (!trust) {
            return { rows: [], problem: describeApiError({ code: 'NOT_ALLOWED', message: '' }) };
        }
        const reply = await this.session.request('users.list', { query, limit: PEOPLE_SEARCH_LIMIT, includeRevoked: false });
        if (!reply.ok) {
            return { rows: [], problem: describeApiError(reply.error) };
        }
        const checked = checkUsersPage(reply.value, trust);
        for (const row of checked.rows) {
            this.known.set(row.userId, row);
        }
        this.onDidChangeEmitter.fire();
        return { rows: checked.rows.filter(row => !row.revokedOn) };
    }

    row(userId: string): UserRow | undefined {
        return this.known.get(userId);
    }

    /** A person's certified name, else their email, else a short form of their id. */
    label(userId: string): string {
        const row = this.known.get(userId);
        return row?.humanHandle?.label ?? row?.humanHandle?.email ?? `${userId.slice(0, 8)}…`;
    }
}
