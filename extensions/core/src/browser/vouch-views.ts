/**
 * Ids of views several extensions take part in. The invitations extension creates the
 * "Invitations & Join Requests" view container; the join-requests extension adds its part to
 * it when the container is created (WidgetManager.onWillCreateWidget).
 */
export const INVITATIONS_VIEW_CONTAINER_ID = 'vouch-invitations-container';
