import { expect } from 'chai';
import { CertificateTrustStore, fromBase64Url, portableEd25519, UsersPage } from '@vouch/protocol';
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
});
