import { interfaces } from '@theia/core/shared/inversify';
import { createPreferenceProxy, PreferenceContribution, PreferenceProxy, PreferenceSchema, PreferenceService } from '@theia/core';
import { nls } from '@theia/core/lib/common/nls';

/** An Owner's online device re-encrypts the workspaces that need it by itself. */
export const REENCRYPT_AUTOMATICALLY = 'vouch.workspaces.reencryptAutomatically';

export const ReencryptionPreferenceSchema: PreferenceSchema = {
    properties: {
        [REENCRYPT_AUTOMATICALLY]: {
            type: 'boolean',
            default: false,
            description: nls.localize('vouch/preferences/reencryptAutomatically',
                'Re-encrypt the workspaces you own by yourself after a revocation, a short random while after it is known (unless another Owner already started). ' +
                'Off: you are notified and choose when.')
        }
    }
};

export interface ReencryptionConfiguration {
    [REENCRYPT_AUTOMATICALLY]: boolean;
}

export const ReencryptionPreferenceContribution = Symbol('ReencryptionPreferenceContribution');
export const ReencryptionPreferences = Symbol('ReencryptionPreferences');
export type ReencryptionPreferences = PreferenceProxy<ReencryptionConfiguration>;

export function bindReencryptionPreferences(bind: interfaces.Bind): void {
    bind(ReencryptionPreferences).toDynamicValue(ctx => {
        const preferences = ctx.container.get<PreferenceService>(PreferenceService);
        const contribution = ctx.container.get<PreferenceContribution>(ReencryptionPreferenceContribution);
        return createPreferenceProxy<ReencryptionConfiguration>(preferences, contribution.schema ?? ReencryptionPreferenceSchema);
    }).inSingletonScope();
    bind(ReencryptionPreferenceContribution).toConstantValue({ schema: ReencryptionPreferenceSchema });
    bind(PreferenceContribution).toService(ReencryptionPreferenceContribution);
}
