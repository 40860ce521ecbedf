import { expect } from 'chai';
import { COMMON_TOPIC, decodeCertificate, fromBase64Url, generateSigningKeyPair, portableEd25519, signCertificate, toBase64Url } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { VouchEvents } from '../common/event-bus';
import { CertificateEntity, CertificateTopicEntity, DeviceEntity, OrganizationEntity, UserEntity } from '../persistence/entities';
import { openServices, VouchServices } from '../services';
import { bootstrapCertificates, newUserCertificates, TestBootstrap } from '../testing/organization-fixtures';

const NOW = 1_800_000_000_000;
const ORG = 'Acme';

describe('OrganizationService', () => {
    let services: VouchServices;
    let events: VouchEvents['certificates.added'][];

    beforeEach(async () => {
        services = await openServices({ kind: 'sqlite', path: ':memory:' });
        events = [];
        services.bus.on('certificates.added', event => events.push(event));
    });
    /** Where the next certificate goes: after the organization's newest. */
    const previous = async () => (await services.log.head(ORG, COMMON_TOPIC)).digest;
    afterEach(() => services.database.close());

    const count = async () => ({
        certificates: await services.database.manager.count(CertificateEntity),
        users: await services.database.manager.count(UserEntity),
        devices: await services.database.manager.count(DeviceEntity)
    });
    const nothingStored = async () => expect(await count()).to.deep.equal({ certificates: 0, users: 0, devices: 0 });

    async function createAcme(): Promise<string> {
        const created = await services.organizations.create(ORG, NOW);
        expect(created.ok).to.equal(true);
        return created.ok ? created.value.bootstrapToken : '';
    }

    describe('create', () => {
        it('gives a random base64url token of at least 128 bits', async () => {
            const token = await createAcme();
            expect(fromBase64Url(token)!.length).to.be.at.least(16);
            expect(await services.organizations.pendingBootstraps()).to.deep.equal([{ organizationId: ORG, token }]);
        });

        it('refuses a taken or invalid name', async () => {
            await createAcme();
            const again = await services.organizations.create(ORG, NOW);
            expect(again.ok || again.error.code).to.equal('ORGANIZATION_ALREADY_EXISTS');
            const bad = await services.organizations.create('not valid!', NOW);
            expect(bad.ok || bad.error.code).to.equal('ORGANIZATION_NAME_INVALID');
        });
    });

    describe('bootstrap', () => {
        let token: string;
        let boot: TestBootstrap;
        beforeEach(async () => {
            token = await createAcme();
            boot = bootstrapCertificates(NOW);
        });

        it('stores the root key, the certificate log and the first administrator, once', async () => {
            const outcome = await services.organizations.bootstrap(ORG, token, boot.rootVerifyKey, boot.certificates, NOW + 1000);
            expect(outcome).to.deep.equal({ ok: true, value: { userId: boot.admin.userId, deviceId: boot.admin.deviceId } });
            expect(await count()).to.deep.equal({ certificates: 2, users: 1, devices: 1 });
            const org = await services.database.manager.findOneByOrFail(OrganizationEntity, { id: ORG });
            expect(org).to.include({ rootVerifyKey: boot.rootVerifyKey, bootstrapToken: null, bootstrappedOn: NOW + 1000 });
            const head = await services.database.manager.findOneByOrFail(CertificateTopicEntity, { organizationId: ORG, topic: COMMON_TOPIC });
            expect(head).to.include({ lastIndex: 2, lastTimestamp: NOW });
            const user = await services.database.manager.findOneByOrFail(UserEntity, { organizationId: ORG, userId: boot.admin.userId });
            expect(user).to.include({ email: 'alice@example.com', label: 'Alice Admin', profile: 'ADMINISTRATOR', createdOn: NOW, createdBy: null, revokedOn: null });
            expect(events).to.deep.equal([{ organizationId: ORG, topic: COMMON_TOPIC, index: 2, digest: head.lastDigest, timestamp: NOW, kinds: ['user', 'device'] }]);
            expect(await services.organizations.pendingBootstraps()).to.deep.equal([]);
            expect(await services.organizations.status(ORG)).to.deep.equal({ ok: true, value: { organizationId: ORG, bootstrapped: true } });

            const second = await services.organizations.bootstrap(ORG, token, boot.rootVerifyKey, bootstrapCertificates(NOW).certificates, NOW);
            expect(second.ok || second.error.code).to.equal('ORGANIZATION_ALREADY_BOOTSTRAPPED');
            expect((await count()).users).to.equal(1);
        });

        it('lets exactly one of two concurrent bootstraps win', async () => {
            const other = bootstrapCertificates(NOW);
            const outcomes = await Promise.all([
                services.organizations.bootstrap(ORG, token, boot.rootVerifyKey, boot.certificates, NOW),
                services.organizations.bootstrap(ORG, token, other.rootVerifyKey, other.certificates, NOW)
            ]);
            expect(outcomes.filter(outcome => outcome.ok)).to.have.length(1);
            expect(outcomes.map(outcome => outcome.ok || outcome.error.code)).to.include('ORGANIZATION_ALREADY_BOOTSTRAPPED');
            expect(await count()).to.deep.equal({ certificates: 2, users: 1, devices: 1 });
        });

        it('refuses an unknown organization or a wrong token and stores nothing', async () => {
            const unknown = await services.organizations.bootstrap('Nope', token, boot.rootVerifyKey, boot.certificates, NOW);
            expect(unknown.ok || unknown.error.code).to.equal('ORGANIZATION_NOT_FOUND');
            const wrong = await services.organizations.bootstrap(ORG, token.slice(1) + 'A', boot.rootVerifyKey, boot.certificates, NOW);
            expect(wrong.ok || wrong.error.code).to.equal('BOOTSTRAP_TOKEN_INVALID');
            await nothingStored();
        });

        const forgeries: [string, () => Parameters<VouchServices['organizations']['bootstrap']>, string][] = [
            ['certificates not signed by the given root key', () => [ORG, token, toBase64Url(generateSigningKeyPair().verifyKey), boot.certificates, NOW], 'CERTIFICATE_BAD_SIGNATURE'],
            ['a timestamp beyond the ballpark', () => [ORG, token, boot.rootVerifyKey, boot.certificates, NOW - 10 * 60_000], 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK'],
            ['tampered bytes', () => {
                const bytes = fromBase64Url(boot.certificates.user)!;
                bytes[bytes.length - 3] ^= 1;
                return [ORG, token, boot.rootVerifyKey, { ...boot.certificates, user: toBase64Url(bytes) }, NOW];
            }, 'CERTIFICATE_MALFORMED'],
            ['a redacted copy that differs', () => {
                const content = decodeCertificate(boot.certificates.redactedUser);
                if (!content.ok || content.value.content.kind !== 'user') { throw new Error('fixture'); }
                const redactedUser = signCertificate({ ...content.value.content, profile: 'MEMBER' }, boot.rootKey.secretKey, portableEd25519);
                return [ORG, token, boot.rootVerifyKey, { ...boot.certificates, redactedUser }, NOW];
            }, 'CERTIFICATE_INCONSISTENT'],
            ['certificates signed by a device instead of the root key', () => {
                const byDevice = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: NOW, previous: null });
                return [ORG, token, boot.rootVerifyKey, byDevice.certificates, NOW];
            }, 'CERTIFICATE_AUTHOR_NOT_ALLOWED']
        ];
        for (const [what, args, code] of forgeries) {
            it(`refuses ${what} with ${code} and stores nothing`, async () => {
                const outcome = await services.organizations.bootstrap(...args());
                expect(outcome.ok || outcome.error.code).to.equal(code);
                await nothingStored();
                expect(events).to.deep.equal([]);
                expect((await services.organizations.status(ORG))).to.deep.equal({ ok: true, value: { organizationId: ORG, bootstrapped: false } });
            });
        }
    });

    describe('addUser', () => {
        let boot: TestBootstrap;
        let admin: DeviceSession;
        beforeEach(async () => {
            const token = await createAcme();
            boot = bootstrapCertificates(NOW);
            await services.organizations.bootstrap(ORG, token, boot.rootVerifyKey, boot.certificates, NOW);
            admin = { organizationId: ORG, userId: boot.admin.userId, deviceId: boot.admin.deviceId, profile: 'ADMINISTRATOR', humanHandle: { email: boot.admin.email, label: boot.admin.label } };
            events = [];
        });

        it('stores a user signed by the administrator device and announces it', async () => {
            const bob = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: NOW + 10, previous: await previous(), profile: 'MEMBER', email: 'bob@example.com' });
            const outcome = await services.organizations.addUser(admin, bob.certificates, NOW + 20);
            expect(outcome).to.deep.equal({ ok: true, value: { userId: bob.device.userId, deviceId: bob.device.deviceId } });
            expect(events).to.deep.equal([{ organizationId: ORG, topic: COMMON_TOPIC, index: 4, digest: await previous(), timestamp: NOW + 10, kinds: ['user', 'device'] }]);
            const user = await services.database.manager.findOneByOrFail(UserEntity, { organizationId: ORG, userId: bob.device.userId });
            expect(user).to.include({ createdBy: boot.admin.userId, createdByDevice: boot.admin.deviceId, certificateIndex: 3 });

            const again = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: NOW + 30, previous: await previous(), email: 'bob@example.com' });
            const duplicate = await services.organizations.addUser(admin, again.certificates, NOW + 40);
            expect(duplicate.ok || duplicate.error.code).to.equal('CERTIFICATE_ALREADY_EXISTS');
        });

        it('requires a strictly later timestamp than the newest certificate, and the newest certificate as previous', async () => {
            const head = { digest: await previous(), timestamp: NOW };
            const early = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: NOW, previous: head.digest });
            const outcome = await services.organizations.addUser(admin, early.certificates, NOW);
            expect(outcome.ok || outcome.error).to.deep.include({ code: 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', head });
            const stale = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: NOW + 10, previous: null });
            const moved = await services.organizations.addUser(admin, stale.certificates, NOW + 10);
            expect(moved.ok || moved.error).to.deep.include({ code: 'CERTIFICATE_LOG_HEAD_MOVED', head });
            expect((await count()).users).to.equal(1);
        });

        it('refuses certificates from a Member, or signed by another device than the connection', async () => {
            const member = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { timestamp: NOW + 10, previous: await previous(), profile: 'MEMBER' });
            await services.organizations.addUser(admin, member.certificates, NOW + 10);
            const memberSession: DeviceSession = { ...admin, userId: member.device.userId, deviceId: member.device.deviceId, profile: 'MEMBER' };
            const byMember = newUserCertificates(member.device.signingKey.secretKey, member.device.deviceId, { timestamp: NOW + 20, previous: await previous() });
            const refused = await services.organizations.addUser(memberSession, byMember.certificates, NOW + 20);
            expect(refused.ok || refused.error.code).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
            const notMine = await services.organizations.addUser(admin, byMember.certificates, NOW + 20);
            expect(notMine.ok || notMine.error.code).to.equal('NOT_ALLOWED');
            expect((await count()).users).to.equal(2);
        });
    });
});
