import { interfaces } from '@theia/core/shared/inversify';
import { createPreferenceProxy, nls, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceScope, PreferenceService } from '@theia/core';

export const VOUCH_SERVER_URL_PREFERENCE = 'vouch.server.url';

export const VouchServerPreferenceSchema: PreferenceSchema = {
    properties: {
        [VOUCH_SERVER_URL_PREFERENCE]: {
            type: 'string',
            default: '',
            // A workspace's settings must not send this workbench to another server.
            scope: PreferenceScope.User,
            markdownDescription: nls.localize('vouch/preferences/serverUrl',
                'Address of the organization server, e.g. `https://vouch.example.org`. Empty: the server this workbench was opened from. A device already set up keeps talking to the server it was enrolled on.')
        }
    }
};

export interface VouchServerConfiguration {
    [VOUCH_SERVER_URL_PREFERENCE]: string;
}

export const VouchServerPreferenceContribution = Symbol('VouchServerPreferenceContribution');
export const VouchServerPreferences = Symbol('VouchServerPreferences');
export type VouchServerPreferences = PreferenceProxy<VouchServerConfiguration>;

export function createVouchServerPreferences(preferences: PreferenceService, schema: PreferenceSchema = VouchServerPreferenceSchema): VouchServerPreferences {
    return createPreferenceProxy(preferences, schema);
}

export function bindVouchServerPreferences(bind: interfaces.Bind): void {
    bind(VouchServerPreferences).toDynamicValue(ctx => {
        const preferences = ctx.container.get<PreferenceService>(PreferenceService);
        const contribution = ctx.container.get<PreferenceContribution>(VouchServerPreferenceContribution);
        return createVouchServerPreferences(preferences, contribution.schema);
    }).inSingletonScope();
    bind(VouchServerPreferenceContribution).toConstantValue({ schema: VouchServerPreferenceSchema });
    bind(PreferenceContribution).toService(VouchServerPreferenceContribution);
}
