import { expect } from 'chai';
import { fromBase64Url, toBase64Url } from '@vouch/protocol';
import { UsedChallengeEntity, UserEntity } from '../persistence/entities';
import { openServices, VouchServices } from '../services';
import { bootstrapCertificates, newUserCertificates, signedHandshake, TestBootstrap } from '../testing/organization-fixtures';

const NOW = 1_800_000_000_000;
const ORG = 'Acme';

describe('AuthenticationService', () => {
    let services: VouchServices;
    let boot: TestBootstrap;

    beforeEach(async () => {
        services = await openServices({ kind: 'sqlite', path: ':memory:' });
        const created = await services.organizations.create(ORG, NOW);
        boot = bootstrapCertificates(NOW);
        await services.organizations.bootstrap(ORG, created.ok ? created.value.bootstrapToken : '', boot.rootVerifyKey, boot.certificates, NOW);
    });
    afterEach(() => services.database.close());

    const auth = () => services.authentication;
    const usedCount = () => services.database.manager.count(UsedChallengeEntity);

    it('opens a session for a device that signed a fresh challenge', async () => {
        const challenge = auth().issueChallenge(NOW);
        const outcome = await auth().authenticate(signedHandshake(ORG, boot.admin, challenge), NOW + 1000);
        expect(outcome).to.deep.equal({
            ok: true,
            value: { organizationId: ORG, userId: boot.admin.userId, deviceId: boot.admin.deviceId, profile: 'ADMINISTRATOR', humanHandle: { email: 'alice@example.com', label: 'Alice Admin' } }
        });
    });

    it('refuses a replayed challenge', async () => {
        const handshake = signedHandshake(ORG, boot.admin, auth().issueChallenge(NOW));
        expect((await auth().authenticate(handshake, NOW)).ok).to.equal(true);
        const again = await auth().authenticate(handshake, NOW + 1);
        expect(again.ok || again.error.code).to.equal('AUTH_CHALLENGE_REPLAYED');
    });

    it('refuses challenges it did not issue, with a forged MAC or garbage', async () => {
        const bytes = fromBase64Url(auth().issueChallenge(NOW))!;
        bytes[3] ^= 1;
        for (const challenge of [toBase64Url(bytes), 'not-a-challenge', toBase64Url(new Uint8Array(56))]) {
            const outcome = await auth().authenticate(signedHandshake(ORG, boot.admin, challenge), NOW);
            expect(outcome.ok || outcome.error.code).to.equal('AUTH_CHALLENGE_INVALID');
        }
        expect(await usedCount()).to.equal(0);
    });

    it('refuses a challenge older than 60 s or from the future', async () => {
        const old = await auth().authenticate(signedHandshake(ORG, boot.admin, auth().issueChallenge(NOW)), NOW + 60_001);
        expect(old.ok || old.error.code).to.equal('AUTH_CHALLENGE_EXPIRED');
        const future = await auth().authenticate(signedHandshake(ORG, boot.admin, auth().issueChallenge(NOW + 10_000)), NOW);
        expect(future.ok || future.error.code).to.equal('AUTH_CHALLENGE_EXPIRED');
    });

    it('refuses an unknown organization or device', async () => {
        const unknownOrg = await auth().authenticate(signedHandshake('Other', boot.admin, auth().issueChallenge(NOW)), NOW);
        expect(unknownOrg.ok || unknownOrg.error.code).to.equal('AUTH_ORGANIZATION_NOT_FOUND');
        const stranger = newUserCertificates(boot.rootKey.secretKey, null, { timestamp: NOW, previous: null }).device;
        const unknownDevice = await auth().authenticate(signedHandshake(ORG, stranger, auth().issueChallenge(NOW)), NOW);
        expect(unknownDevice.ok || unknownDevice.error.code).to.equal('AUTH_UNKNOWN_DEVICE');
    });

    it('refuses a bad signature without burning the challenge', async () => {
        const challenge = auth().issueChallenge(NOW);
        const stranger = newUserCertificates(boot.rootKey.secretKey, null, { timestamp: NOW, previous: null }).device;
        const forged = { ...signedHandshake(ORG, stranger, challenge), deviceId: boot.admin.deviceId };
        const outcome = await auth().authenticate(forged, NOW);
        expect(outcome.ok || outcome.error.code).to.equal('AUTH_BAD_SIGNATURE');
        expect(await usedCount()).to.equal(0);
        expect((await auth().authenticate(signedHandshake(ORG, boot.admin, challenge), NOW)).ok).to.equal(true);
    });

    it('refuses a revoked user', async () => {
        await services.database.manager.update(UserEntity, { organizationId: ORG, userId: boot.admin.userId }, { revokedOn: NOW });
        const outcome = await auth().authenticate(signedHandshake(ORG, boot.admin, auth().issueChallenge(NOW)), NOW);
        expect(outcome.ok || outcome.error.code).to.equal('AUTH_USER_REVOKED');
    });

    it('purges used challenges once they expired', async () => {
        await auth().authenticate(signedHandshake(ORG, boot.admin, auth().issueChallenge(NOW)), NOW);
        expect(await usedCount()).to.equal(1);
        await auth().authenticate(signedHandshake(ORG, boot.admin, auth().issueChallenge(NOW + 120_000)), NOW + 120_000);
        expect(await usedCount()).to.equal(1);
    });
});
