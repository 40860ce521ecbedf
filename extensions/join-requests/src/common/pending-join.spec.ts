import { expect } from 'chai';
import { fromBase64Url, joinClaimHash, publicKeyOf, toBase64Url } from '@vouch/protocol';
import { makeJoinRequest, openPendingJoin, PendingJoinSchema } from './pending-join';

const TINY_COST = { N: 2 ** 4, r: 8, p: 1 };

describe('a pending join request kept in the browser', () => {
    async function made() {
        return makeJoinRequest({
            serverUrl: 'http://127.0.0.1:3000', rootVerifyKey: toBase64Url(new Uint8Array(32).fill(7)), organizationId: 'Acme', method: 'pki',
            form: { name: ' Dora ', email: 'Dora@Example.com ', deviceLabel: 'Laptop', password: 'dora password', replace: false }, now: 1_764_000_000_000, cost: TINY_COST
        });
    }

    it('submits the public keys and the claim hash; the private keys open with the password only', async () => {
        const { pending, secrets } = await made();
        expect(PendingJoinSchema.safeParse(JSON.parse(JSON.stringify(pending))).success).to.equal(true);
        expect(pending.payload).to.include({ email: 'dora@example.com', name: 'Dora', organizationId: 'Acme' });
        expect(pending.payload.userPublicKey).to.equal(toBase64Url(publicKeyOf(fromBase64Url(secrets.userPrivateKey)!)));
        expect(pending.payload.claimHash).to.equal(joinClaimHash(fromBase64Url(secrets.claimSecret)!));
        expect(JSON.stringify(pending)).not.to.contain(secrets.deviceSigningKey);
        expect(JSON.stringify(pending)).not.to.contain(secrets.userPrivateKey);
        expect(await openPendingJoin(pending, 'dora password')).to.deep.equal({ ok: true, value: secrets });
        expect(await openPendingJoin(pending, 'wrong password')).to.deep.equal({ ok: false, error: 'WRONG_PASSWORD' });
    });

    it('a sealed box moved to another request does not open', async () => {
        const first = await made();
        const second = await made();
        expect((await openPendingJoin({ ...second.pending, sealed: first.pending.sealed, keyParameters: first.pending.keyParameters }, 'dora password')).ok).to.equal(false);
    });
});
