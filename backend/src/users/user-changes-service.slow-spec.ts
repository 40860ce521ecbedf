import { expect } from 'chai';
import { In } from 'typeorm';
import { COMMON_TOPIC, LogPosition, OrganizationId, positionAfter, UserId, UserProfile } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { CertificateEntity, UserEntity } from '../persistence/entities';
import { TypeormOrganizationRepository } from '../persistence/typeorm-organization-repository';
import { TypeormUserChangesRepository } from '../persistence/typeorm-user-changes-repository';
import { openServices } from '../services';
import { bootstrapCertificates, newUserCertificates, TestBootstrap, TestDevice } from '../testing/organization-fixtures';
import { TEST_DATABASES, nextTimestamp, signRevocations, signUserUpdates, TestDatabase } from '../testing/socket-harness';
import { UserChangesService } from './user-changes-service';
import { CertificateContexts } from '../organization/certificate-contexts';

const ORG = 'Bulk';
const BULK = 1000;

/** Fails after writing the first half of the profile rows: the transaction must leave nothing behind. */
class FailingHalfWay extends TypeormUserChangesRepository {
    override async updateProfiles(organizationId: OrganizationId, changes: readonly { userId: UserId; profile: UserProfile }[]): Promise<void> {
        await super.updateProfiles(organizationId, changes.slice(0, changes.length / 2));
        throw new Error('injected failure half way');
    }
}

function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`UserChangesService on ${kind}`, function () {
        this.timeout(60_000);
        let database: TestDatabase;
        let services: Awaited<ReturnType<typeof openServices>>;
        let boot: TestBootstrap;
        let admin: DeviceSession;

        /** Where the next certificate goes: after the organization's newest. */
        const position = async (): Promise<LogPosition> => positionAfter(await services.log.head(ORG, COMMON_TOPIC), nextTimestamp());
        const session = (device: TestDevice, profile: UserProfile): DeviceSession =>
            ({ organizationId: ORG, userId: device.userId, deviceId: device.deviceId, profile, humanHandle: { email: device.email, label: device.label } });

        before(async () => {
            database = await open();
            services = await openServices(database.config);
            const created = await services.organizations.create(ORG, Date.now());
            boot = bootstrapCertificates(nextTimestamp());
            const booted = await services.organizations.bootstrap(ORG, created.ok ? created.value.bootstrapToken : '', boot.rootVerifyKey, boot.certificates, Date.now());
            expect(booted.ok).to.equal(true);
            admin = session(boot.admin, 'ADMINISTRATOR');
        });
        after(async () => {
            await services?.database.close();
            await database?.drop();
        });

        it(`changes ${BULK} profiles as one operation, and leaves nothing behind when it fails half way`, async () => {
            const repository = new TypeormOrganizationRepository(services.database);
            const userIds = Array.from({ length: BULK }, (_, i) => `${(i + 1).toString(16).padStart(8, '0')}${'b'.repeat(24)}`);
            await services.database.withTransaction(() => repository.addUsers(ORG, userIds.map(userId => ({
                userId, email: `${userId}@example.com`, label: `Bulk ${userId}`, profile: 'MEMBER' as const, createdOn: Date.now(), certificateIndex: 1
            })), []));
            const state = async () => ({
                administrators: await services.database.manager.countBy(UserEntity, { organizationId: ORG, profile: 'ADMINISTRATOR' }),
                certificates: await services.database.manager.countBy(CertificateEntity, { organizationId: ORG }),
                head: (await services.log.head(ORG, COMMON_TOPIC)).index
            });
            const before = await state();
            const certificates = signUserUpdates(boot.admin, userIds.map(userId => ({ userId, profile: 'ADMINISTRATOR' })), await position());

            const failing = new UserChangesService(new CertificateContexts(repository, nodeEd25519), new FailingHalfWay(services.database), services.log, services.bus);
            let thrown: unknown;
            await failing.changeProfiles(admin, certificates, Date.now()).catch(error => { thrown = error; });
            expect(String(thrown)).to.match(/injected failure half way/);
            expect(await state()).to.deep.equal(before);

            const outcome = await services.userChanges.changeProfiles(admin, certificates, Date.now());
            expect(outcome).to.deep.equal({ ok: true, value: { changed: BULK } });
            expect(await state()).to.deep.equal({ administrators: before.administrators + BULK, certificates: before.certificates + BULK, head: before.head + BULK });
        });

        it('keeps one Administrator when two demote each other at the same time: exactly one wins', async () => {
            const other = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await position(), profile: 'ADMINISTRATOR', email: 'duel@example.com' });
            expect((await services.organizations.addUser(admin, other.certificates, Date.now())).ok).to.equal(true);
            // One position for both, so the loser is refused by the profile rule, not by the log.
            const at = await position();
            const [first, second] = await Promise.all([
                services.userChanges.changeProfiles(admin, signUserUpdates(boot.admin, [{ userId: other.device.userId, profile: 'MEMBER' }], at), Date.now()),
                services.userChanges.changeProfiles(session(other.device, 'ADMINISTRATOR'), signUserUpdates(other.device, [{ userId: boot.admin.userId, profile: 'MEMBER' }], at), Date.now())
            ]);
            const codes = [first, second].map(outcome => outcome.ok ? 'ok' : outcome.error.code).sort();
            expect(codes).to.deep.equal(['CERTIFICATE_AUTHOR_NOT_ALLOWED', 'ok']);
            const admins = await services.database.manager.findBy(UserEntity, { organizationId: ORG, userId: boot.admin.userId });
            const others = await services.database.manager.findBy(UserEntity, { organizationId: ORG, userId: other.device.userId });
            expect([admins[0].profile, others[0].profile].filter(profile => profile === 'ADMINISTRATOR')).to.have.length(1);
            if (admins[0].profile !== 'ADMINISTRATOR') {
                // Either may win; the next tests expect the first Administrator still in charge.
                const restored = await services.userChanges.changeProfiles(session(other.device, 'ADMINISTRATOR'),
                    signUserUpdates(other.device, [{ userId: boot.admin.userId, profile: 'ADMINISTRATOR' }], await position()), Date.now());
                expect(restored.ok).to.equal(true);
            }
        });

        it('keeps one Administrator when two revoke each other at the same time: exactly one wins', async () => {
            const made = [];
            for (const i of [0, 1]) {
                const one = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await position(), profile: 'ADMINISTRATOR', email: `rival${i}@example.com` });
                expect((await services.organizations.addUser(admin, one.certificates, Date.now())).ok).to.equal(true);
                made.push(one);
            }
            const [a, b] = made.map(one => one.device);
            const at = await position();
            const outcomes = await Promise.all([
                services.userChanges.revokeUsers(session(a, 'ADMINISTRATOR'), signRevocations(a, [b.userId], at), Date.now()),
                services.userChanges.revokeUsers(session(b, 'ADMINISTRATOR'), signRevocations(b, [a.userId], at), Date.now())
            ]);
            expect(outcomes.map(outcome => outcome.ok ? 'ok' : outcome.error.code).sort()).to.deep.equal(['CERTIFICATE_AUTHOR_REVOKED', 'ok']);
            const rows = await services.database.manager.findBy(UserEntity, { organizationId: ORG, userId: In([a.userId, b.userId]) });
            expect(rows.filter(row => row.revokedOn !== null)).to.have.length(1);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
