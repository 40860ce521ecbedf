import { expect } from 'chai';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { IndexedDbWorkspaceStore } from './indexed-db-workspace-store';

describe('IndexedDbWorkspaceStore', () => {
    let clock = 0;
    const bytes = (size: number, fill = 1) => new Uint8Array(size).fill(fill);
    const open = (factory: IDBFactory, maxCacheBytes = 1000) =>
        new IndexedDbWorkspaceStore({ databaseName: 'vouch-workspaces-test', maxCacheBytes, factory: () => factory, keyRange: () => IDBKeyRange, now: () => clock });

    beforeEach(() => clock = 0);

    it('keeps what it was given across instances of the same database (a reload)', async () => {
        const factory = new IDBFactory();
        await open(factory).put('manifests', 'ws1/root', bytes(10, 7));
        await open(factory).put('pending', 'ws1/0001', bytes(5, 9));
        const reopened = open(factory);
        expect(await reopened.get('manifests', 'ws1/root')).to.deep.equal(bytes(10, 7));
        expect(await reopened.get('pending', 'ws1/0001')).to.deep.equal(bytes(5, 9));
        expect(await reopened.get('blocks', 'ws1/root')).to.equal(undefined, 'areas do not share keys');
    });

    it('lists the keys of one workspace in key order, per area', async () => {
        const store = open(new IDBFactory());
        for (const key of ['ws2/b', 'ws1/c', 'ws1/a', 'ws10/x']) {
            await store.put('manifests', key, bytes(1));
        }
        await store.put('blocks', 'ws1/z', bytes(1));
        expect(await store.keys('manifests', 'ws1/')).to.deep.equal(['ws1/a', 'ws1/c']);
        expect(await store.keys('blocks', 'ws1/')).to.deep.equal(['ws1/z']);
        expect(await store.keys('pending', 'ws1/')).to.deep.equal([]);
    });

    it('evicts the least recently used entries once the cache is over its bound, never the one just written', async () => {
        const store = open(new IDBFactory(), 1000);
        for (const key of ['a', 'b', 'c', 'd']) {
            clock += 60_000;
            await store.put('blocks', key, bytes(300));
        }
        // 1200 bytes > 1000: the oldest go until at most 900 remain.
        expect(await store.keys('blocks', '')).to.deep.equal(['b', 'c', 'd']);
        expect(await store.cacheBytes()).to.equal(900);
        clock += 60_000;
        expect(await store.get('blocks', 'c')).to.not.equal(undefined, 'read now: recently used');
        clock += 60_000;
        await store.put('manifests', 'e', bytes(500));
        expect(await store.keys('blocks', '')).to.deep.equal(['c']);
        expect(await store.keys('manifests', '')).to.deep.equal(['e']);
        expect(await store.cacheBytes()).to.equal(800);
    });

    it('never evicts pending edits and does not count them against the cache', async () => {
        const store = open(new IDBFactory(), 100);
        await store.put('pending', 'ws1/edit', bytes(5000));
        clock += 60_000;
        await store.put('blocks', 'big', bytes(90));
        clock += 60_000;
        await store.put('blocks', 'bigger', bytes(90));
        expect(await store.get('pending', 'ws1/edit')).to.deep.equal(bytes(5000));
        expect(await store.keys('blocks', '')).to.deep.equal(['bigger']);
        await store.delete('pending', 'ws1/edit');
        expect(await store.get('pending', 'ws1/edit')).to.equal(undefined);
    });

    it('counts a rewrite and a delete in the cache size', async () => {
        const store = open(new IDBFactory(), 1000);
        await store.put('manifests', 'm', bytes(100));
        await store.put('manifests', 'm', bytes(40));
        expect(await store.cacheBytes()).to.equal(40);
        await store.delete('manifests', 'm');
        await store.delete('manifests', 'absent');
        expect(await store.cacheBytes()).to.equal(0);
        expect(await store.get('manifests', 'm')).to.equal(undefined);
    });
});
