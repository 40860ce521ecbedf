import { expect } from 'chai';
import { generateKeyExchangePair } from '../crypto/key-exchange';
import { newUserId } from '../identity';
import { newBlockKey, portableBlockCipher, webCryptoAesGcmBlockCipher } from './block-cipher';
import { Manifest, newEntryId, openManifest, ROOT_ENTRY_ID, sealManifest } from './manifests';
import { newWorkspaceKey, openKeyList, sealKeyList, workspaceKeyDigest } from './workspace-keys';

describe('workspace keys, manifests and blocks', () => {
    const workspaceId = newEntryId();
    const alice = { userId: newUserId(), key: generateKeyExchangePair() };
    const bob = { userId: newUserId(), key: generateKeyExchangePair() };
    const keys = [newWorkspaceKey(), newWorkspaceKey()];

    it('seals the key list to one member of one workspace: nobody else opens it, nor an altered copy', () => {
        const sealed = sealKeyList(alice.key.publicKey, keys, workspaceId, alice.userId);
        expect(openKeyList(alice.key.privateKey, alice.key.publicKey, sealed, workspaceId, alice.userId)).to.deep.equal(keys);
        expect(openKeyList(bob.key.privateKey, bob.key.publicKey, sealed, workspaceId, alice.userId), 'another user key').to.equal(undefined);
        expect(openKeyList(alice.key.privateKey, alice.key.publicKey, sealed, newEntryId(), alice.userId), 'another workspace').to.equal(undefined);
        expect(openKeyList(alice.key.privateKey, alice.key.publicKey, sealed, workspaceId, bob.userId), 'named for someone else').to.equal(undefined);
        const altered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'B' : 'A') + sealed.slice(-1);
        expect(openKeyList(alice.key.privateKey, alice.key.publicKey, altered, workspaceId, alice.userId)).to.equal(undefined);
    });

    it('certifies each key by a digest only that key makes', () => {
        expect(workspaceKeyDigest(workspaceId, 0, keys[0])).to.not.equal(workspaceKeyDigest(workspaceId, 0, keys[1]));
        expect(workspaceKeyDigest(workspaceId, 0, keys[0])).to.not.equal(workspaceKeyDigest(workspaceId, 1, keys[0]));
    });

    it('opens a manifest only for its workspace, entry and key index', () => {
        const manifest: Manifest = { kind: 'folder', name: 'Plans', children: { 'a.txt': newEntryId() }, updated: 1, updatedBy: 'd' };
        const place = { workspaceId, entryId: ROOT_ENTRY_ID, keyIndex: 1 };
        const sealed = sealManifest(keys[1], place, manifest);
        expect(openManifest(keys[1], place, sealed)).to.deep.equal(manifest);
        expect(openManifest(keys[0], place, sealed), 'the old key').to.equal(undefined);
        expect(openManifest(keys[1], { ...place, entryId: newEntryId() }, sealed), 'moved to another entry').to.equal(undefined);
        expect(openManifest(keys[1], { ...place, keyIndex: 0 }, sealed), 'said to be under another key').to.equal(undefined);
    });

    for (const cipher of [portableBlockCipher, webCryptoAesGcmBlockCipher]) {
        it(`opens a block only with its key, for its workspace and id, unaltered (${cipher.name})`, async () => {
            const key = newBlockKey();
            const blockId = newEntryId();
            const data = new Uint8Array(1000).map((_, i) => i % 251);
            const sealed = await cipher.seal(key, workspaceId, blockId, data);
            expect(await cipher.open(key, workspaceId, blockId, sealed)).to.deep.equal(data);
            expect(await cipher.open(key, workspaceId, newEntryId(), sealed), 'another block').to.equal(undefined);
            expect(await cipher.open(key, newEntryId(), blockId, sealed), 'another workspace').to.equal(undefined);
            expect(await cipher.open(newBlockKey(), workspaceId, blockId, sealed), 'another key').to.equal(undefined);
            const altered = sealed.slice();
            altered[altered.length - 20] ^= 1;
            expect(await cipher.open(key, workspaceId, blockId, altered), 'altered').to.equal(undefined);
            expect(await cipher.open(key, workspaceId, blockId, sealed.subarray(0, 10)), 'cut short').to.equal(undefined);
            expect(Buffer.from(sealed).includes(Buffer.from(data.subarray(0, 16))), 'no clear bytes').to.equal(false);
        });
    }
});
