import { DEVICE_REQUEST_RIGHTS, DeviceSchemas, mayRequest, UserProfile } from '@vouch/protocol';

/**
 * The context keys every Vouch extension writes its `when` clauses with. One service in core
 * sets them from the session (VouchContextKeyService); menus, toolbar items, keybindings and
 * command handlers only read them, so who sees what is decided here and in the rights matrix.
 */
export const VouchContextKeys = {
    /** The session's state: `no-device`, `locked`, `connecting`, `connected`, `reconnecting`, `refused`. */
    SESSION_STATE: 'vouchSessionState',
    /** The profile the server gives this user (kept while reconnecting); empty without a session. */
    PROFILE: 'vouchProfile',
    /** True while the device namespace is connected: requests can be sent. */
    CONNECTED: 'vouchConnected',
    /** True while a modal dialog is open: Escape is the dialog's. */
    MODAL_DIALOG_OPEN: 'vouchModalDialogOpen'
} as const;

export type DeviceRequest = keyof DeviceSchemas;

/**
 * `vouchMay.users.revoke`: true while the session's profile may send that request, by the
 * rights matrix (DEVICE_REQUEST_RIGHTS). There is one such key per row of the matrix, so a
 * new right needs no new literal in any extension.
 */
export function mayKey(request: DeviceRequest): string {
    return `vouchMay.${request}`;
}

/** The `when` clause of what a profile may do: visible to those profiles, whether or not connected right now. */
export function whenMay(request: DeviceRequest): string {
    return mayKey(request);
}

/** The `when` clause of what a profile may do now: its profile allows it and the session is connected. */
export function whenMayNow(request: DeviceRequest): string {
    return `${VouchContextKeys.CONNECTED} && ${mayKey(request)}`;
}

/** Every capability key and its value for a profile (none without a profile): computed from the matrix, nowhere else. */
export function capabilityKeys(profile: UserProfile | undefined): Record<string, boolean> {
    const keys: Record<string, boolean> = {};
    for (const request of Object.keys(DEVICE_REQUEST_RIGHTS) as DeviceRequest[]) {
        keys[mayKey(request)] = profile !== undefined && mayRequest(profile, request);
    }
    return keys;
}
