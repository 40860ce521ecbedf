import { expect } from 'chai';
import { WorkspaceKeyCertificate, WorkspaceRole, WorkspaceRoleCertificate } from '../certificates/certificate-types';
import { reencryptionNeed, reencryptionRunners } from './reencryption';

describe('re-encryption rules', () => {
    const workspaceId = 'a'.repeat(32);
    const common = { version: 1 as const, author: 'd'.repeat(32), timestamp: 1, previous: null, workspaceId };
    const role = (userId: string, to: WorkspaceRole | null): WorkspaceRoleCertificate => ({ kind: 'workspace_role', ...common, userId, role: to });
    const key = (keyIndex: number): WorkspaceKeyCertificate => ({ kind: 'workspace_key', ...common, keyIndex, keyDigest: 'k'.repeat(43) });
    const revoked = (...userIds: string[]) => (userId: string) => userIds.includes(userId);

    it('needs re-encryption when a revoked user received the current key: as a member at the rotation, or granted later', () => {
        const log = [role('mia', 'OWNER'), key(0), role('ron', 'READER'), role('eve', 'READER')];
        expect(reencryptionNeed(log, revoked())).to.deep.equal({ exposedTo: [], revokedMembers: [], needed: false });
        expect(reencryptionNeed(log, revoked('ron'))).to.deep.equal({ exposedTo: ['ron'], revokedMembers: ['ron'], needed: true });
        // Removed after receiving the key: still exposed, nothing left to remove.
        expect(reencryptionNeed([...log, role('ron', null)], revoked('ron'))).to.deep.equal({ exposedTo: ['ron'], revokedMembers: [], needed: true });
        // A rotation after the removal: the new key never reached them.
        expect(reencryptionNeed([...log, role('ron', null), key(1)], revoked('ron'))).to.deep.equal({ exposedTo: [], revokedMembers: [], needed: false });
        // A rotation that kept the revoked member still exposes the new key.
        expect(reencryptionNeed([...log, key(1)], revoked('ron')).needed).to.equal(true);
    });

    it('lets the active Owners run it, or with none left the members of the highest role left', () => {
        const members = [{ userId: 'mia', role: 'OWNER' as const }, { userId: 'max', role: 'MANAGER' as const }, { userId: 'mo', role: 'MANAGER' as const },
            { userId: 'olga', role: 'CONTRIBUTOR' as const }];
        expect(reencryptionRunners(members, revoked())).to.deep.equal({ userIds: ['mia'], successors: false });
        expect(reencryptionRunners(members, revoked('mia'))).to.deep.equal({ userIds: ['max', 'mo'], successors: true });
        expect(reencryptionRunners(members, revoked('mia', 'max', 'mo'))).to.deep.equal({ userIds: ['olga'], successors: true });
        expect(reencryptionRunners(members, revoked('mia', 'max', 'mo', 'olga'))).to.deep.equal({ userIds: [], successors: false });
    });
});

describe('resealManifest', () => {
    it('moves a sealed manifest to another key and place without changing it; a wrong key or place gives nothing', async () => {
        const { newWorkspaceKey } = await import('./workspace-keys');
        const { sealManifest, openManifest, resealManifest, newEntryId } = await import('./manifests');
        const [oldKey, newKey] = [newWorkspaceKey(), newWorkspaceKey()];
        const workspaceId = newEntryId();
        const entryId = newEntryId();
        const manifest = { kind: 'folder' as const, name: 'Plans', children: {}, updated: 1, updatedBy: 'd' };
        const sealed = sealManifest(oldKey, { workspaceId, entryId, keyIndex: 0 }, manifest);
        const moved = resealManifest(oldKey, { workspaceId, entryId, keyIndex: 0 }, newKey, { workspaceId, entryId, keyIndex: 1 }, sealed)!;
        expect(openManifest(newKey, { workspaceId, entryId, keyIndex: 1 }, moved)).to.deep.equal(manifest);
        expect(openManifest(oldKey, { workspaceId, entryId, keyIndex: 1 }, moved)).to.equal(undefined);
        expect(resealManifest(newKey, { workspaceId, entryId, keyIndex: 0 }, newKey, { workspaceId, entryId, keyIndex: 1 }, sealed)).to.equal(undefined);
        expect(resealManifest(oldKey, { workspaceId, entryId: newEntryId(), keyIndex: 0 }, newKey, { workspaceId, entryId, keyIndex: 1 }, sealed)).to.equal(undefined);
    });
});
