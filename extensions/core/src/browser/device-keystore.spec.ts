import 'reflect-metadata';
import { expect } from 'chai';
import { IDBFactory } from 'fake-indexeddb';
import { sealDevice } from '../common/device-file';
import { IndexedDbDeviceKeystore } from './device-keystore';

class TestKeystore extends IndexedDbDeviceKeystore {
    constructor(protected readonly factory: IDBFactory) {
        super();
    }
    protected override indexedDB(): IDBFactory {
        return this.factory;
    }
}

describe('IndexedDbDeviceKeystore', () => {
    const facts = {
        serverUrl: 'http://127.0.0.1:3000', organizationId: 'Acme', userId: 'a'.repeat(32), deviceId: 'b'.repeat(32),
        humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', createdOn: '2026-01-01T00:00:00.000Z'
    };
    const keys = { deviceSigningKey: 'A'.repeat(43), userPrivateKey: 'B'.repeat(43), rootVerifyKey: 'C'.repeat(43) };

    it('keeps a device across keystore instances of the same database', async () => {
        const factory = new IDBFactory();
        const device = await sealDevice(facts, keys, 'password1', { N: 16, r: 8, p: 1 });
        expect(await new TestKeystore(factory).load()).to.equal(undefined);
        await new TestKeystore(factory).save(device);
        expect(await new TestKeystore(factory).load()).to.deep.equal(device);
        await new TestKeystore(factory).clear();
        expect(await new TestKeystore(factory).load()).to.equal(undefined);
    });

    it('ignores a stored value that is not a device', async () => {
        const factory = new IDBFactory();
        const keystore = new TestKeystore(factory);
        await keystore.save({ nonsense: true } as never);
        expect(await keystore.load()).to.equal(undefined);
    });
});
