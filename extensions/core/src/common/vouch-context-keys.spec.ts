import { expect } from 'chai';
import { DEVICE_REQUEST_RIGHTS } from '@vouch/protocol';
import { capabilityKeys, mayKey, whenMayNow } from './vouch-context-keys';

describe('Vouch capability context keys', () => {
    it('has one key per row of the rights matrix, true exactly for the profiles of that row', () => {
        const requests = Object.keys(DEVICE_REQUEST_RIGHTS) as (keyof typeof DEVICE_REQUEST_RIGHTS)[];
        for (const profile of ['EXTERNAL', 'MEMBER', 'ADMINISTRATOR'] as const) {
            const keys = capabilityKeys(profile);
            expect(Object.keys(keys)).to.have.length(requests.length);
            for (const request of requests) {
                expect(keys[mayKey(request)], `${profile} ${request}`).to.equal(DEVICE_REQUEST_RIGHTS[request].includes(profile));
            }
        }
    });

    it('grants nothing without a profile, and an Administrator\'s buttons stay hidden from a Member', () => {
        expect(Object.values(capabilityKeys(undefined)).some(Boolean)).to.equal(false);
        expect(capabilityKeys('MEMBER')[mayKey('users.revoke')]).to.equal(false);
        expect(capabilityKeys('MEMBER')[mayKey('certificates.list')]).to.equal(true);
        expect(whenMayNow('users.revoke')).to.equal('vouchConnected && vouchMay.users.revoke');
    });
});
