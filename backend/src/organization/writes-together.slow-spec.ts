import { expect } from 'chai';
import { randomBytes } from 'crypto';
import {
    COMMON_TOPIC, LogPosition, newGreetingNonce, OrganizationId, positionAfter, signCertificate, signJoinAcceptance, STEP_DONE, toBase64Url, UserProfile
} from '@vouch/protocol';
import { nodeEd25519 } from '../crypto/node-ed25519';
import { DeviceSession } from '../authentication/authentication-types';
import { GreetingAttempts } from '../invitation/greeting-attempts';
import { GreetingService } from '../invitation/greeting-service';
import { StepRecord } from '../invitation/invitation-types';
import { JoinRequestsService } from '../join-requests/join-requests-service';
import { JoinRequestRecord, StoredAcceptance } from '../join-requests/join-requests-types';
import { UserEntity } from '../persistence/entities';
import { TypeormInvitationRepository } from '../persistence/typeorm-invitation-repository';
import { TypeormJoinRequestsRepository } from '../persistence/typeorm-join-requests-repository';
import { TypeormOrganizationRepository } from '../persistence/typeorm-organization-repository';
import { CertificateContexts } from './certificate-contexts';
import { openServices, VouchServices } from '../services';
import { makeRequester } from '../testing/join-request-fixtures';
import { bootstrapCertificates, newUserCertificates, TestBootstrap, TestDevice } from '../testing/organization-fixtures';
import { signUserUpdates } from '../testing/socket-harness';
import { TEST_DATABASES, TestDatabase } from '../testing/test-databases';

const ORG = 'Together';

/** Dies after step 7's certificates and the invitation's end are written, before its transaction commits. */
class CrashingInvitations extends TypeormInvitationRepository {
    crash = false;
    override async insertStep(attemptId: string, step: StepRecord, now: number): Promise<boolean> {
        if (this.crash && step.step === 7) {
            throw new Error('the server died here');
        }
        return super.insertStep(attemptId, step, now);
    }
}

/** Dies after the new user's certificates are written, before the request is marked accepted. */
class CrashingJoinRequests extends TypeormJoinRequestsRepository {
    override async accept(_organizationId: OrganizationId, _requestId: string, _acceptance: StoredAcceptance): Promise<boolean> {
        throw new Error('the server died here');
    }
}

/**
 * What must commit together does: a new user or device with the end of the invitation or join
 * request that let it in (one transaction with the certificate log), and requests that store no
 * certificate look at the requester's standing again when they run.
 */
function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`Writes that belong together, on ${kind}`, function () {
        this.timeout(60_000);
        let database: TestDatabase;
        let services: VouchServices;
        let boot: TestBootstrap;
        let admin: DeviceSession;

        const session = (device: TestDevice, profile: UserProfile): DeviceSession =>
            ({ organizationId: ORG, userId: device.userId, deviceId: device.deviceId, profile, humanHandle: { email: device.email, label: device.label } });
        const position = async (): Promise<LogPosition> => positionAfter(await services.log.head(ORG, COMMON_TOPIC), Date.now());
        const userCount = () => services.database.manager.countBy(UserEntity, { organizationId: ORG });
        const pendingRequest = async (email: string): Promise<JoinRequestRecord> => {
            const { payload } = makeRequester(ORG, email);
            const record: JoinRequestRecord = {
                organizationId: ORG, requestId: randomBytes(16).toString('hex'),
                method: 'oidc', state: 'pending', email, claimHash: payload.claimHash, payload,
                identity: { method: 'oidc', issuer: 'https://idp.example.org', subject: email, email }, createdOn: Date.now()
            };
            expect(await new TypeormJoinRequestsRepository(services.database).insertPending(record, false, Date.now())).to.equal('inserted');
            return record;
        };

        before(async () => {
            database = await open();
            services = await openServices(database.config);
            const created = await services.organizations.create(ORG, Date.now());
            boot = bootstrapCertificates(Date.now());
            expect((await services.organizations.bootstrap(ORG, created.ok ? created.value.bootstrapToken : '', boot.rootVerifyKey, boot.certificates, Date.now())).ok).to.equal(true);
            admin = session(boot.admin, 'ADMINISTRATOR');
        });
        after(async () => {
            await services?.database.close();
            await database?.drop();
        });

        it('a server that dies inside greeting step 7 leaves no user, the invitation pending and the step unposted; the host posts it again', async () => {
            const repository = new CrashingInvitations(services.database);
            const greetings = new GreetingService(repository, services.database, services.invitations, new GreetingAttempts(repository, services.bus), services.organizations, services.bus);
            const invited = await services.invitations.inviteUsers(admin, [{ email: 'zoe@example.com' }], false, Date.now());
            const invitationId = invited.ok ? invited.value[0].invitation!.invitationId : '';
            const started = await greetings.start(admin, invitationId, Date.now(), 'host-connection');
            const attemptId = started.ok ? started.value.attemptId : '';
            // Steps 0 to 6 as both sides posted them (their cryptography is the clients' business).
            const key = () => toBase64Url(newGreetingNonce());
            for (const step of [[0, 'host', key()], [0, 'guest', key()], [1, 'guest', key()], [2, 'host', key()], [3, 'guest', key()],
                [4, 'guest', STEP_DONE], [5, 'host', STEP_DONE], [6, 'guest', key()]] as const) {
                expect(await repository.insertStep(attemptId, { step: step[0], side: step[1], payload: step[2] }, Date.now())).to.equal(true);
            }
            const made = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await position(), email: 'zoe@example.com', profile: 'MEMBER' });
            const before = { head: await services.log.head(ORG, COMMON_TOPIC), users: await userCount() };
            repository.crash = true;
            const confirmation = key();
            const died = await greetings.post({ side: 'host', session: admin, connection: 'host-connection' }, attemptId, 7, confirmation, { newUser: made.certificates }, Date.now()).then(() => 'stored', (error: Error) => error.message);
            expect(died).to.equal('the server died here');
            expect({ head: await services.log.head(ORG, COMMON_TOPIC), users: await userCount() }).to.deep.equal(before);
            expect((await repository.get(ORG, invitationId))!.status).to.equal('PENDING');
            expect((await repository.steps(attemptId)).map(step => step.step)).to.not.include(7);

            repository.crash = false;
            expect(await greetings.post({ side: 'host', session: admin, connection: 'host-connection' }, attemptId, 7, confirmation, { newUser: made.certificates }, Date.now())).to.deep.equal({ ok: true, value: {} });
            expect(await userCount()).to.equal(before.users + 1);
            expect((await repository.get(ORG, invitationId))!.status).to.equal('COMPLETED');
        });

        it('a server that dies while accepting a join request leaves no user and the request pending; accepting again works', async () => {
            const record = await pendingRequest('yves@example.com');
            const crashing = new JoinRequestsService(new CrashingJoinRequests(services.database), services.organizations, services.log,
                new CertificateContexts(new TypeormOrganizationRepository(services.database), nodeEd25519), services.authentication.standing.bind(services.authentication), services.bus, undefined);
            const before = { head: await services.log.head(ORG, COMMON_TOPIC), users: await userCount() };
            const certificates = await acceptanceFor(record);
            const died = await crashing.accept(admin, record.requestId, 'MEMBER', certificates, Date.now()).then(() => 'stored', (error: Error) => error.message);
            expect(died).to.equal('the server died here');
            expect({ head: await services.log.head(ORG, COMMON_TOPIC), users: await userCount() }).to.deep.equal(before);
            expect((await services.joinRequests.list(admin)).requests.map(request => request.requestId)).to.include(record.requestId);
            const accepted = await services.joinRequests.accept(admin, record.requestId, 'MEMBER', certificates, Date.now());
            expect(accepted.ok, JSON.stringify(accepted)).to.equal(true);
            expect(await userCount()).to.equal(before.users + 1);
        });

        it('an Administrator demoted while a request is in flight no longer invites, cancels, resends or rejects: the standing is read again', async () => {
            const made = newUserCertificates(boot.admin.signingKey.secretKey, boot.admin.deviceId, { ...await position(), email: 'wes@example.com', label: 'Wes', profile: 'ADMINISTRATOR' });
            expect((await services.organizations.addUser(admin, made.certificates, Date.now())).ok).to.equal(true);
            const invited = await services.invitations.inviteUsers(admin, [{ email: 'vic@example.com' }], false, Date.now());
            const invitationId = invited.ok ? invited.value[0].invitation!.invitationId : '';
            const request = await pendingRequest('ursula@example.com');
            // Wes's request arrived while he was an Administrator; before it runs, he is demoted.
            const stale = session(made.device, 'ADMINISTRATOR');
            expect((await services.userChanges.changeProfiles(admin, signUserUpdates(boot.admin, [{ userId: made.device.userId, profile: 'MEMBER' }], await position()), Date.now())).ok).to.equal(true);
            const refusals = [
                await services.invitations.inviteUsers(stale, [{ email: 'tess@example.com' }], false, Date.now()),
                await services.invitations.cancel(stale, invitationId, Date.now()),
                await services.invitations.resend(stale, invitationId),
                await services.joinRequests.reject(stale, request.requestId, Date.now())
            ].map(outcome => outcome.ok ? 'ok' : outcome.error.code);
            expect(refusals).to.deep.equal(['NOT_ALLOWED', 'INVITATION_NOT_FOUND', 'INVITATION_NOT_FOUND', 'NOT_ALLOWED']);
            expect((await services.invitations.list(admin)).map(invitation => invitation.email)).to.include('vic@example.com').and.not.include('tess@example.com');
            expect((await services.joinRequests.list(admin)).requests.map(one => one.requestId)).to.include(request.requestId);
        });

        /** The four certificates an admin's client signs for the keys a request submitted. */
        async function acceptanceFor(record: JoinRequestRecord) {
            return signJoinAcceptance({ payload: record.payload, email: record.email, name: record.payload.name, profile: 'MEMBER', author: boot.admin.deviceId, position: await position() },
                content => signCertificate(content, boot.admin.signingKey.secretKey, nodeEd25519));
        }
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
