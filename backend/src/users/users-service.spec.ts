import { expect } from 'chai';
import { CertificateTrustStore, COMMON_TOPIC, decodeCertificate, fromBase64Url, portableEd25519, toBase64Url, UsersPage } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { UserEntity } from '../persistence/entities';
import { TypeormOrganizationRepository } from '../persistence/typeorm-organization-repository';
import { openServices, VouchServices } from '../services';
import { bootstrapCertificates, newUserCertificates, TestBootstrap } from '../testing/organization-fixtures';
import { signRevocations, signUserUpdates } from '../testing/socket-harness';

const NOW = 1_800_000_000_000;
const ORG = 'Acme';
const query = (overrides: Partial<{ query: string; offset: number; limit: number; includeRevoked: boolean }> = {}) =>
    ({ query: '', offset: 0, limit: 50, includeRevoked: true, ...overrides });

describe('UsersService', () => {
    let services: VouchServices;
    let boot: TestBootstrap;
    let admin: DeviceSession;
    let clock = NOW;
    const previous = async () => (await services.log.head(ORG, COMMON_TOPIC)).digest;

    async function addUser(label: string, email: string, profile: 'MEMBER' | 'EXTERNAL' | 'ADMINISTRATOR' = 'MEMBER') {
        clock += 10;
        const made = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: clock, previous: await previous(), label, email, profile });
        const outcome = await services.organizations.addUser(admin, made.certificates, clock);
        expect(outcome.ok, JSON.stringify(outcome)).to.equal(true);
        return made.device;
    }

    beforeEach(async () => {
        clock = NOW;
        services = await openServices({ kind: 'sqlite', path: ':memory:' });
        const created = await services.organizations.create(ORG, NOW);
        boot = bootstrapCertificates(NOW);
        await services.organizations.bootstrap(ORG, created.ok ? created.value.bootstrapToken : '', boot.rootVerifyKey, boot.certificates, NOW);
        admin = { organizationId: ORG, userId: boot.admin.userId, deviceId: boot.admin.deviceId, profile: 'ADMINISTRATOR', humanHandle: { email: boot.admin.email, label: boot.admin.label } };
    });
    afterEach(() => services.database.close());

    it('lists the administrator with a certificate chain the client believes', async () => {
        await addUser('Bob', 'bob@example.com');
        const page = await services.users.listUsers(admin, query(), NOW);
        expect(page.nextOffset).to.equal(undefined);
        expect(page.users.map(user => user.humanHandle?.label)).to.deep.equal(['Alice Admin', 'Bob']);
        expect(page.users[0]).to.deep.include({ userId: boot.admin.userId, profile: 'ADMINISTRATOR', createdOn: new Date(NOW).toISOString() });
        expect(page.users[0]).not.to.have.property('createdBy');
        expect(page.users[0]).not.to.have.property('revokedOn');
        expect(page.users[1].createdBy).to.equal(boot.admin.userId);
        expectChainsToRoot(page, boot);
    });

    it('chains authors through devices that were themselves added by devices', async () => {
        const bob = await addUser('Bob', 'bob@example.com', 'ADMINISTRATOR');
        clock += 10;
        const carol = newUserCertificates(bob.signingKey.secretKey, bob.deviceId, { timestamp: clock, previous: await previous(), label: 'Carol', email: 'carol@example.com', profile: 'MEMBER' });
        const bobSession: DeviceSession = { ...admin, userId: bob.userId, deviceId: bob.deviceId };
        expect((await services.organizations.addUser(bobSession, carol.certificates, clock)).ok).to.equal(true);
        const page = await services.users.listUsers(admin, query({ query: 'carol' }), NOW);
        expect(page.users.map(user => user.userId)).to.deep.equal([carol.device.userId]);
        expect(page.authorDevices).to.have.length(2);
        expectChainsToRoot(page, boot);
    });

    it('searches names and emails case-insensitively, with LIKE wildcards taken literally', async () => {
        await addUser('Bob Stone', 'bob@example.com');
        await addUser('Carol', 'carol_x@example.org');
        await addUser('Dave 100%', 'dave@example.org');
        const labels = async (text: string) => (await services.users.listUsers(admin, query({ query: text }), NOW)).users.map(user => user.humanHandle!.label);
        expect(await labels('STONE')).to.deep.equal(['Bob Stone']);
        expect(await labels('example.org')).to.deep.equal(['Carol', 'Dave 100%']);
        expect(await labels('_')).to.deep.equal(['Carol']);
        expect(await labels('%')).to.deep.equal(['Dave 100%']);
        expect(await labels('nobody')).to.deep.equal([]);
    });

    it('pages in name then id order and says where the next page starts', async () => {
        for (let i = 0; i < 25; i++) {
            await addUser(`User ${String(i).padStart(2, '0')}`, `u${i}@example.com`);
        }
        const seen: string[] = [];
        let offset: number | undefined = 0;
        while (offset !== undefined) {
            const page: UsersPage = await services.users.listUsers(admin, query({ offset, limit: 10 }), NOW);
            seen.push(...page.users.map(user => user.humanHandle!.label));
            expectChainsToRoot(page, boot);
            offset = page.nextOffset;
        }
        expect(seen).to.have.length(26);
        expect(seen).to.deep.equal([...seen].sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    });

    it('leaves revoked users out when asked', async () => {
        const bob = await addUser('Bob', 'bob@example.com');
        await services.database.manager.update(UserEntity, { organizationId: ORG, userId: bob.userId }, { revokedOn: NOW + 5 });
        const all = await services.users.listUsers(admin, query(), NOW);
        expect(all.users.find(user => user.userId === bob.userId)?.revokedOn).to.equal(new Date(NOW + 5).toISOString());
        const active = await services.users.listUsers(admin, query({ includeRevoked: false }), NOW);
        expect(active.users.map(user => user.userId)).to.deep.equal([boot.admin.userId]);
    });

    it('gives External readers neither names nor emails, only redacted certificates', async () => {
        const external = await addUser('Eve', 'eve@example.com', 'EXTERNAL');
        const page = await services.users.listUsers({ ...admin, userId: external.userId, deviceId: external.deviceId, profile: 'EXTERNAL' }, query(), NOW);
        expect(page.users).to.have.length(2);
        for (const user of page.users) {
            expect(user).not.to.have.property('humanHandle');
        }
        const trust = expectChainsToRoot(page, boot);
        for (const user of page.users) {
            const certificate = trust.verifyUserCertificate(user.certificate);
            expect(certificate.ok && certificate.value.humanHandle).to.equal(null);
        }
    });

    it('lets no External reader learn names or emails from what a search matches or how rows are ordered', async () => {
        const external = await addUser('Eve', 'eve@example.com', 'EXTERNAL');
        await addUser('Aaron', 'aaron@example.com', 'MEMBER');
        const reader = { ...admin, userId: external.userId, deviceId: external.deviceId, profile: 'EXTERNAL' as const };
        const everyone = await services.users.listUsers(reader, query(), NOW);
        const probed = await services.users.listUsers(reader, query({ query: 'aaron@' }), NOW);
        expect(probed.users.map(user => user.userId)).to.deep.equal(everyone.users.map(user => user.userId));
        expect(everyone.users.map(user => user.userId)).to.deep.equal([...everyone.users.map(user => user.userId)].sort());
    });

    it('hands each row its newest profile change and its revocation, signed by devices the page chains to the root key', async () => {
        const bob = await addUser('Bob', 'bob@example.com', 'ADMINISTRATOR');
        const carol = await addUser('Carol', 'carol@example.com', 'MEMBER');
        const dave = await addUser('Dave', 'dave@example.com', 'MEMBER');
        const bobSession: DeviceSession = { ...admin, userId: bob.userId, deviceId: bob.deviceId };
        const at = async () => ({ previous: await previous(), timestamp: clock += 10 });
        // Carol is promoted by Alice, then demoted again by Bob: the row carries Bob's change.
        expect((await services.userChanges.changeProfiles(admin, signUserUpdates(boot.admin, [{ userId: carol.userId, profile: 'ADMINISTRATOR' }], await at()), clock)).ok).to.equal(true);
        expect((await services.userChanges.changeProfiles(bobSession, signUserUpdates(bob, [{ userId: carol.userId, profile: 'MEMBER' }], await at()), clock)).ok).to.equal(true);
        expect((await services.userChanges.revokeUsers(admin, signRevocations(boot.admin, [dave.userId], await at()), clock)).ok).to.equal(true);
        const page = await services.users.listUsers(admin, query(), NOW);
        const trust = expectChainsToRoot(page, boot);
        const row = (userId: string) => page.users.find(user => user.userId === userId)!;
        const change = trust.verify(row(carol.userId).profileCertificate!, 'user_update', 'Carol\'s change');
        expect(change.ok && [change.value.userId, change.value.newProfile, change.value.author]).to.deep.equal([carol.userId, 'MEMBER', bob.deviceId]);
        const revocation = trust.verify(row(dave.userId).revocationCertificate!, 'revoked_user', 'Dave\'s revocation');
        expect(revocation.ok && revocation.value.timestamp).to.equal(Date.parse(row(dave.userId).revokedOn!));
        expect(row(bob.userId)).not.to.have.property('profileCertificate');
        expect(row(bob.userId)).not.to.have.property('revocationCertificate');
    });

    it('gives the rows of given users, revoked ones with their revocation, unknown ids left out; External readers get them redacted', async () => {
        const bob = await addUser('Bob', 'bob@example.com');
        const carol = await addUser('Carol', 'carol@example.com');
        const eve = await addUser('Eve', 'eve@example.com', 'EXTERNAL');
        expect((await services.userChanges.revokeUsers(admin, signRevocations(boot.admin, [carol.userId], { previous: await previous(), timestamp: clock += 10 }), clock)).ok).to.equal(true);
        const page = await services.users.usersByIds(admin, [carol.userId, bob.userId, 'f'.repeat(32), carol.userId]);
        expect(page.users.map(user => user.userId)).to.deep.equal([bob.userId, carol.userId].sort());
        expect(page).not.to.have.property('nextOffset');
        const trust = expectChainsToRoot(page, boot);
        const carolRow = page.users.find(user => user.userId === carol.userId)!;
        expect(trust.verify(carolRow.revocationCertificate!, 'revoked_user', 'Carol\'s revocation').ok).to.equal(true);
        expect(carolRow.humanHandle).to.deep.equal({ email: 'carol@example.com', label: 'Carol' });
        const asExternal = await services.users.usersByIds({ ...admin, userId: eve.userId, deviceId: eve.deviceId, profile: 'EXTERNAL' }, [bob.userId]);
        expect(asExternal.users[0]).not.to.have.property('humanHandle');
        const decoded = decodeCertificate(asExternal.users[0].certificate);
        expect(decoded.ok && decoded.value.content.kind === 'user' && decoded.value.content.humanHandle).to.equal(null);
    });

    it('sends only redacted author devices: checking needs keys, not device labels', async () => {
        await addUser('Bob', 'bob@example.com', 'MEMBER');
        const page = await services.users.listUsers(admin, query(), NOW);
        expect(page.authorDevices.length).to.be.greaterThan(0);
        for (const signed of page.authorDevices) {
            const decoded = decodeCertificate(signed);
            expect(decoded.ok && decoded.value.content.kind === 'device' && decoded.value.content.deviceLabel).to.equal(null);
        }
    });

    it('stores users in chunks the database accepts', async () => {
        const repository = new TypeormOrganizationRepository(services.database);
        const users = Array.from({ length: 1200 }, (_, i) => ({
            userId: i.toString(16).padStart(32, '0'), email: `bulk${i}@example.com`, label: `Bulk ${i}`, profile: 'MEMBER' as const,
            createdOn: NOW, certificateIndex: 2
        }));
        await services.database.withTransaction(() => repository.addUsers(ORG, users, []));
        const page = await services.users.listUsers(admin, query({ query: 'bulk', limit: 200 }), NOW);
        expect(page.users).to.have.length(200);
        expect(page.nextOffset).to.equal(200);
    });
});

function expectChainsToRoot(page: UsersPage, boot: TestBootstrap): CertificateTrustStore {
    const trust = new CertificateTrustStore(fromBase64Url(boot.rootVerifyKey)!, portableEd25519);
    expect(trust.addDeviceCertificates(page.authorDevices)).to.deep.equal({ ok: true, value: undefined });
    for (const user of page.users) {
        const checked = trust.verifyUserCertificate(user.certificate);
        expect(checked.ok, JSON.stringify(checked)).to.equal(true);
        if (checked.ok && user.humanHandle) {
            expect(checked.value.humanHandle).to.deep.equal(user.humanHandle);
        }
    }
    expect(toBase64Url(fromBase64Url(boot.rootVerifyKey)!)).to.equal(boot.rootVerifyKey);
    return trust;
}
