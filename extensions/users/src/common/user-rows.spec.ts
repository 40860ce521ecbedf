import { expect } from 'chai';
import { Certificate, CertificateTrustStore, fromBase64Url, newUserId, portableEd25519, signCertificate, UsersPage } from '@vouch/protocol';
import { createBootstrapCertificates } from '@vouch/core';
import { checkUsersPage } from './user-rows';

describe('checkUsersPage', () => {
    const alice = { label: 'Alice', email: 'alice@example.com' };
    const org = createBootstrapCertificates({ organizationId: 'Acme', humanHandle: alice, deviceLabel: 'Laptop', now: Date.now() });
    const trust = () => new CertificateTrustStore(fromBase64Url(org.rootVerifyKey)!, portableEd25519);
    const row = { userId: org.userId, humanHandle: alice, profile: 'ADMINISTRATOR' as const, createdOn: '2026-01-01T00:00:00.000Z', certificate: org.certificates.user };

    it('keeps rows whose certificate chains to the root key', () => {
        const page: UsersPage = { users: [row], authorDevices: [] };
        expect(checkUsersPage(page, trust())).to.deep.equal({
            rows: [{ userId: org.userId, humanHandle: alice, profile: 'ADMINISTRATOR', createdOn: row.createdOn, revokedOn: undefined }], rejected: 0
        });
    });

    it('drops a row signed under another root key', () => {
        const other = createBootstrapCertificates({ organizationId: 'Acme', humanHandle: alice, deviceLabel: 'Laptop', now: Date.now() });
        const page: UsersPage = { users: [row, { ...row, userId: other.userId, certificate: other.certificates.user }], authorDevices: [] };
        const checked = checkUsersPage(page, trust());
        expect(checked.rows.map(r => r.userId)).to.deep.equal([org.userId]);
        expect(checked.rejected).to.equal(1);
    });

    it('drops a row whose name is not the certified one', () => {
        const page: UsersPage = { users: [{ ...row, humanHandle: { label: 'Mallory', email: 'alice@example.com' } }], authorDevices: [] };
        expect(checkUsersPage(page, trust()).rows).to.deep.equal([]);
    });

    it('drops every row when the author devices do not chain', () => {
        const other = createBootstrapCertificates({ organizationId: 'Acme', humanHandle: alice, deviceLabel: 'Laptop', now: Date.now() });
        const checked = checkUsersPage({ users: [row], authorDevices: [other.certificates.device] }, trust());
        expect(checked.rows).to.deep.equal([]);
        expect(checked.chainError).to.be.a('string');
    });

    describe('the profile and revocation of each row, from their own certificates', () => {
        const bob = { label: 'Bob', email: 'bob@example.com' };
        const bobId = newUserId();
        const by = (content: Certificate) => signCertificate(content, fromBase64Url(org.keys.deviceSigningKey)!, portableEd25519);
        const signed = { version: 1 as const, author: org.deviceId, previous: null };
        const bobCertificate = by({ kind: 'user', ...signed, timestamp: 1_000, userId: bobId, humanHandle: bob, publicKey: org.keys.rootVerifyKey, profile: 'MEMBER' });
        const bobRow = { userId: bobId, humanHandle: bob, profile: 'MEMBER' as const, createdOn: '2026-01-01T00:00:00.000Z', certificate: bobCertificate };
        const promoted = by({ kind: 'user_update', ...signed, timestamp: 2_000, userId: bobId, newProfile: 'ADMINISTRATOR' });
        const revoked = by({ kind: 'revoked_user', ...signed, timestamp: 3_000, userId: bobId });
        const kept = (user: UsersPage['users'][number]) => checkUsersPage({ users: [user], authorDevices: [org.certificates.device] }, trust()).rows.length === 1;

        it('keeps a profile the user certificate or the newest signed change gives, and drops any other', () => {
            expect(kept(bobRow)).to.equal(true);
            expect(kept({ ...bobRow, profile: 'ADMINISTRATOR' }), 'a promotion the server only says').to.equal(false);
            expect(kept({ ...bobRow, profile: 'ADMINISTRATOR', profileCertificate: promoted })).to.equal(true);
            expect(kept({ ...bobRow, profile: 'EXTERNAL', profileCertificate: promoted }), 'a change to another profile').to.equal(false);
            expect(kept({ ...bobRow, profile: 'ADMINISTRATOR', profileCertificate: by({ kind: 'user_update', ...signed, timestamp: 2_000, userId: org.userId, newProfile: 'ADMINISTRATOR' }) }),
                'a change of someone else').to.equal(false);
        });

        it('keeps a revoked row only with its signed revocation at that time, and a row not revoked only without one', () => {
            const at = new Date(3_000).toISOString();
            expect(kept({ ...bobRow, revokedOn: at, revocationCertificate: revoked })).to.equal(true);
            expect(kept({ ...bobRow, revokedOn: at }), 'a revocation the server only says').to.equal(false);
            expect(kept({ ...bobRow, revokedOn: new Date(9_000).toISOString(), revocationCertificate: revoked }), 'at another time').to.equal(false);
            expect(kept({ ...bobRow, revocationCertificate: revoked }), 'a revocation hidden as a live row').to.equal(false);
        });
    });
});
