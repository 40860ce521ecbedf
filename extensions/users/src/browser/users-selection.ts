import { UserRow } from '../common/user-rows';

export const USERS_SELECTION_SOURCE = 'vouch-users';

/**
 * The Users view's selection as it goes into Theia's SelectionService: the selected rows, the
 * focused one first (as Theia's trees do). Commands read it from there, whatever opened them
 * (context menu, palette, keybinding).
 */
export type UsersSelection = ReadonlyArray<UserRow> & { readonly source: typeof USERS_SELECTION_SOURCE };

export const UsersSelection = {
    create(rows: readonly UserRow[], focus?: string): UsersSelection {
        const focused = rows.find(row => row.userId === focus);
        const ordered = focused ? [focused, ...rows.filter(row => row !== focused)] : [...rows];
        return Object.assign(ordered, { source: USERS_SELECTION_SOURCE } as const);
    },

    is(selection: unknown): selection is UsersSelection {
        return Array.isArray(selection) && (selection as Partial<UsersSelection>).source === USERS_SELECTION_SOURCE;
    },

    /** The selected users, or none when the selection is something else (a file, an editor). */
    rowsOf(selection: unknown): readonly UserRow[] {
        return UsersSelection.is(selection) ? selection : [];
    }
};
