/** The Users view's context menu (its own file: the widget and the contributions both use it). */
export const USERS_CONTEXT_MENU = ['vouch-users-context-menu'];
