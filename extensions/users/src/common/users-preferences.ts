import { interfaces } from '@theia/core/shared/inversify';
import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';
import { nls } from '@theia/core/lib/common/nls';
import { USERS_PAGE_MAX } from '@vouch/protocol';

/** The Users view's columns after the name, in the order shown. */
export const USER_COLUMNS = ['email', 'profile', 'status', 'joined'] as const;
export type UserColumn = typeof USER_COLUMNS[number];

export const USERS_PAGE_SIZE_PREFERENCE = 'vouch.users.pageSize';
export const USERS_DEFAULT_PAGE_SIZE = 50;

export function userColumnPreference(column: UserColumn): `vouch.users.columns.${UserColumn}` {
    return `vouch.users.columns.${column}`;
}

const COLUMN_DESCRIPTIONS: Record<UserColumn, () => string> = {
    email: () => nls.localize('vouch/users/preferences/email', 'Show the Email column of the Users view (External users see no emails whatever this says).'),
    profile: () => nls.localize('vouch/users/preferences/profile', 'Show the Profile column of the Users view.'),
    status: () => nls.localize('vouch/users/preferences/status', 'Show the Status column of the Users view (active, or revoked by whom and when).'),
    joined: () => nls.localize('vouch/users/preferences/joined', 'Show the Joined column of the Users view.')
};

export const UsersPreferenceSchema: PreferenceSchema = {
    properties: {
        [USERS_PAGE_SIZE_PREFERENCE]: {
            type: 'integer',
            minimum: 10,
            maximum: USERS_PAGE_MAX,
            default: USERS_DEFAULT_PAGE_SIZE,
            description: nls.localize('vouch/users/preferences/pageSize', 'How many users the Users view lists at first and adds with each "Load more" (each is re-checked against the organization root key).')
        },
        ...Object.fromEntries(USER_COLUMNS.map(column => [userColumnPreference(column), {
            type: 'boolean',
            default: true,
            description: COLUMN_DESCRIPTIONS[column]()
        }]))
    }
};

export type UsersConfiguration = { [USERS_PAGE_SIZE_PREFERENCE]: number } & { [K in UserColumn as `vouch.users.columns.${K}`]: boolean };

export const UsersPreferenceContribution = Symbol('UsersPreferenceContribution');
export const UsersPreferences = Symbol('UsersPreferences');
export type UsersPreferences = PreferenceProxy<UsersConfiguration>;

export function createUsersPreferences(preferences: PreferenceService, schema: PreferenceSchema = UsersPreferenceSchema): UsersPreferences {
    return createPreferenceProxy(preferences, schema);
}

export function bindUsersPreferences(bind: interfaces.Bind): void {
    bind(UsersPreferences).toDynamicValue(ctx => {
        const preferences = ctx.container.get<PreferenceService>(PreferenceService);
        const contribution = ctx.container.get<PreferenceContribution>(UsersPreferenceContribution);
        return createUsersPreferences(preferences, contribution.schema);
    }).inSingletonScope();
    bind(UsersPreferenceContribution).toConstantValue({ schema: UsersPreferenceSchema });
    bind(PreferenceContribution).toService(UsersPreferenceContribution);
}

/** The columns shown, in order, from the preferences. */
export function shownColumns(preferences: Readonly<Record<`vouch.users.columns.${UserColumn}`, boolean>>): UserColumn[] {
    return USER_COLUMNS.filter(column => preferences[userColumnPreference(column)] !== false);
}
