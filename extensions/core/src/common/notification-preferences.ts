import { interfaces } from '@theia/core/shared/inversify';
import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';
import { nls } from '@theia/core/lib/common/nls';

/**
 * Which Vouch notifications a person gets. The notifications themselves are shown by the
 * extensions that know the events (invitations: a guest waits; join-requests: a request
 * arrives); they read these settings, declared once here.
 */
export const NOTIFY_GUEST_WAITING = 'vouch.notifications.guestWaiting';
export const NOTIFY_JOIN_REQUESTS = 'vouch.notifications.joinRequests';

export const VouchNotificationPreferenceSchema: PreferenceSchema = {
    properties: {
        [NOTIFY_GUEST_WAITING]: {
            type: 'boolean',
            default: true,
            description: nls.localize('vouch/preferences/notifyGuestWaiting',
                'Notify when a guest opened an invitation link and waits to be greeted (the Invitations view marks waiting guests either way).')
        },
        [NOTIFY_JOIN_REQUESTS]: {
            type: 'boolean',
            default: true,
            description: nls.localize('vouch/preferences/notifyJoinRequests',
                'Notify Administrators when someone asks to join the organization (the Join Requests view counts them either way).')
        }
    }
};

export interface VouchNotificationConfiguration {
    [NOTIFY_GUEST_WAITING]: boolean;
    [NOTIFY_JOIN_REQUESTS]: boolean;
}

export const VouchNotificationPreferenceContribution = Symbol('VouchNotificationPreferenceContribution');
export const VouchNotificationPreferences = Symbol('VouchNotificationPreferences');
export type VouchNotificationPreferences = PreferenceProxy<VouchNotificationConfiguration>;

export function createVouchNotificationPreferences(preferences: PreferenceService, schema: PreferenceSchema = VouchNotificationPreferenceSchema): VouchNotificationPreferences {
    return createPreferenceProxy(preferences, schema);
}

export function bindVouchNotificationPreferences(bind: interfaces.Bind): void {
    bind(VouchNotificationPreferences).toDynamicValue(ctx => {
        const preferences = ctx.container.get<PreferenceService>(PreferenceService);
        const contribution = ctx.container.get<PreferenceContribution>(VouchNotificationPreferenceContribution);
        return createVouchNotificationPreferences(preferences, contribution.schema);
    }).inSingletonScope();
    bind(VouchNotificationPreferenceContribution).toConstantValue({ schema: VouchNotificationPreferenceSchema });
    bind(PreferenceContribution).toService(VouchNotificationPreferenceContribution);
}
