import { expect } from 'chai';
import { fromBase64Url, toBase64Url } from '@vouch/protocol';
import { DeviceFacts, DeviceKeys, openDevice, sealDevice, StoredDevice } from './device-file';

/** scrypt at its cheapest: the format is under test here, not the cost. */
const TEST_COST = { N: 2 ** 4, r: 8, p: 1 };

const facts: DeviceFacts = {
    serverUrl: 'http://127.0.0.1:3000',
    organizationId: 'Acme',
    userId: 'a'.repeat(32),
    deviceId: 'b'.repeat(32),
    humanHandle: { label: 'Alice', email: 'alice@example.com' },
    deviceLabel: 'Laptop',
    createdOn: '2026-01-01T00:00:00.000Z'
};
const keys: DeviceKeys = {
    deviceSigningKey: toBase64Url(new Uint8Array(32).fill(1)),
    userPrivateKey: toBase64Url(new Uint8Array(32).fill(2)),
    rootVerifyKey: toBase64Url(new Uint8Array(32).fill(3))
};

describe('device file', () => {
    it('opens with the password it was sealed with', async () => {
        const stored = await sealDevice(facts, keys, 'correct horse', TEST_COST);
        expect(stored.keyParameters.N).to.equal(TEST_COST.N);
        expect(stored.sealed).not.to.contain(keys.deviceSigningKey);
        const opened = await openDevice(JSON.parse(JSON.stringify(stored)), 'correct horse');
        expect(opened).to.deep.equal({ ok: true, value: keys });
    });

    it('says WRONG_PASSWORD for another password', async () => {
        const stored = await sealDevice(facts, keys, 'correct horse', TEST_COST);
        expect(await openDevice(stored, 'battery staple')).to.deep.equal({ ok: false, error: 'WRONG_PASSWORD' });
    });

    it('refuses a sealed box that was altered', async () => {
        const stored = await sealDevice(facts, keys, 'correct horse', TEST_COST);
        const box = fromBase64Url(stored.sealed)!;
        box[box.length - 1] ^= 1;
        expect(await openDevice({ ...stored, sealed: toBase64Url(box) }, 'correct horse')).to.deep.equal({ ok: false, error: 'WRONG_PASSWORD' });
    });

    it('refuses keys moved to another device', async () => {
        const stored = await sealDevice(facts, keys, 'correct horse', TEST_COST);
        const moved: StoredDevice = { ...stored, deviceId: 'c'.repeat(32) };
        expect(await openDevice(moved, 'correct horse')).to.deep.equal({ ok: false, error: 'WRONG_PASSWORD' });
    });

    it('says MALFORMED for something that is not a device', async () => {
        const stored = await sealDevice(facts, keys, 'correct horse', TEST_COST);
        expect(await openDevice({ ...stored, userId: 'nope' }, 'correct horse')).to.deep.equal({ ok: false, error: 'MALFORMED' });
        expect(await openDevice({ ...stored, sealed: '!!' }, 'correct horse')).to.deep.equal({ ok: false, error: 'MALFORMED' });
    });
});
