/** The Users view's context menu and its groups (their own file: the widget and the contributions both use them). */
export const USERS_CONTEXT_MENU = ['vouch-users-context-menu'];
export const UsersMenus = {
    /** Reading about the users: their history, their email. */
    INSPECT: [...USERS_CONTEXT_MENU, '1_inspect'],
    /** Changing them: profile, revocation. */
    CHANGE: [...USERS_CONTEXT_MENU, '2_change']
};

/** True while the Users view is the active widget (as Theia's `problemsFocus`). */
export const USERS_FOCUS_CONTEXT_KEY = 'vouchUsersFocus';
/** The view's own keybindings (Enter, F2, Delete, Ctrl+C, Ctrl+A) act on its list, never while typing in its filter box. */
export const WHEN_USERS_LIST_FOCUS = `${USERS_FOCUS_CONTEXT_KEY} && !inputFocus`;
