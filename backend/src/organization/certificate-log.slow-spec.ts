import { expect } from 'chai';
import { EntityManager } from 'typeorm';
import { Socket } from 'socket.io-client';
import {
    CertificatesPage, checkLogContinuation, COMMON_TOPIC, fromBase64Url, portableEd25519, replayCertificateLog, VerifiedLogHead
} from '@vouch/protocol';
import { CertificateEntity, CertificateTopicEntity } from '../persistence/entities';
import { VouchServer } from '../server';
import {
    expectOk, nextPosition, request, sendSigned, signRevocations, signUserUpdates, SocketPool, startServer, TEST_DATABASES, TestDatabase, TestOrganization
} from '../testing/socket-harness';
import { newUserCertificates } from '../testing/organization-fixtures';

/**
 * A server that rewrites its stored certificate log — the database of a compromised or careless
 * server — is caught by its clients: a full replay refuses a log with a certificate removed,
 * moved or signed into another history, and a device that remembers the head it verified refuses
 * a log cut short or forked after it, with the cheap continuation check it runs as the log grows.
 */
function suite(kind: string, open: () => Promise<TestDatabase>): void {
    describe(`A tampered certificate log, on ${kind}`, function () {
        this.timeout(60_000);
        const pool = new SocketPool();
        let database: TestDatabase;
        let server: VouchServer;
        let url: string;

        before(async () => {
            database = await open();
            ({ server, url } = await startServer(database.config));
        });
        afterEach(() => pool.closeAll());
        after(async () => {
            await server?.close();
            await database?.drop();
        });

        /** An organization whose log ends with a profile change and a revocation; the admin's device verified all of it. */
        async function history(): Promise<{ org: TestOrganization; admin: Socket; remembered: VerifiedLogHead }> {
            const org = await TestOrganization.bootstrap(server, url, pool);
            const admin = await org.connect(org.admin);
            const mallory = await org.createUser(admin, org.admin, 'Mallory', 'mallory@example.com', 'ADMINISTRATOR');
            await org.createUser(admin, org.admin, 'Bob', 'bob@example.com', 'MEMBER');
            await expectOk(sendSigned(admin, 'users.changeProfiles', at => ({ certificates: signUserUpdates(org.admin, [{ userId: mallory.userId, profile: 'MEMBER' }], at) })));
            await expectOk(sendSigned(admin, 'users.revoke', at => ({ certificates: signRevocations(org.admin, [mallory.userId], at) })));
            const replayed = replayCertificateLog(await log(admin), root(org), portableEd25519);
            expect(replayed.ok).to.equal(true);
            return { org, admin, remembered: replayed.ok ? replayed.value.head! : { index: 0, digest: '' } };
        }

        const root = (org: TestOrganization) => fromBase64Url(org.boot.rootVerifyKey)!;
        const log = async (socket: Socket) => (await expectOk(request<CertificatesPage>(socket, 'certificates.list', {}))).certificates;

        /** What a device that verified `remembered` concludes from the log the server now serves. */
        async function verdicts(org: TestOrganization, admin: Socket, remembered: VerifiedLogHead): Promise<string[]> {
            const items = await log(admin);
            const replay = replayCertificateLog(items, root(org), portableEd25519, remembered);
            const continuation = checkLogContinuation(items.filter(item => item.index >= remembered.index), remembered);
            return [replay, continuation].map(outcome => outcome.ok ? 'ok' : `${outcome.error.index} ${outcome.error.error.code}`);
        }

        /** The server's own database, as someone with access to it would change it. */
        const manager = () => (server as unknown as { services: { database: { manager: EntityManager } } }).services.database.manager;
        const rows = (org: TestOrganization) => manager().find(CertificateEntity, { where: { organizationId: org.organizationId, topic: COMMON_TOPIC }, order: { index: 'ASC' } });

        it('believes the log as written', async () => {
            const { org, admin, remembered } = await history();
            expect(remembered.index).to.equal(8);
            expect(await verdicts(org, admin, remembered)).to.deep.equal(['ok', 'ok']);
        });

        it('refuses a log whose revocation was deleted and the rest renumbered', async () => {
            const { org, admin, remembered } = await history();
            const m = manager();
            await m.delete(CertificateEntity, { organizationId: org.organizationId, topic: COMMON_TOPIC, index: 8 });
            // A later certificate, renumbered into the gap: the log has no hole, only a missing link.
            const position = await nextPosition(admin);
            const late = newUserCertificates(org.admin.signingKey.secretKey, org.admin.deviceId, { ...position, email: 'late@example.com' });
            await expectOk(request(admin, 'users.create', late.certificates));
            for (const index of [9, 10]) {
                await m.update(CertificateEntity, { organizationId: org.organizationId, topic: COMMON_TOPIC, index }, { index: index - 1 });
            }
            expect((await log(admin)).map(item => item.index)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
            expect(await verdicts(org, admin, remembered)).to.deep.equal(['8 CERTIFICATE_LOG_TAMPERED', '8 CERTIFICATE_LOG_TAMPERED']);
        });

        it('refuses a log with two certificates swapped', async () => {
            const { org, admin, remembered } = await history();
            const m = manager();
            const [seventh, eighth] = (await rows(org)).slice(6, 8);
            for (const [row, other] of [[seventh, eighth], [eighth, seventh]]) {
                await m.update(CertificateEntity, { organizationId: org.organizationId, topic: COMMON_TOPIC, index: row.index },
                    { kind: other.kind, signed: other.signed, redacted: other.redacted, digest: other.digest, author: other.author, timestamp: other.timestamp });
            }
            expect(await verdicts(org, admin, remembered)).to.deep.equal(['7 CERTIFICATE_LOG_TAMPERED', '8 CERTIFICATE_LOG_TAMPERED']);
        });

        it('refuses a log cut short before the head a device verified, though it is a valid chain', async () => {
            const { org, admin, remembered } = await history();
            const m = manager();
            await m.delete(CertificateEntity, { organizationId: org.organizationId, topic: COMMON_TOPIC, index: 8 });
            const cut = await log(admin);
            expect(replayCertificateLog(cut, root(org), portableEd25519).ok, 'a device that never saw the revocation believes it').to.equal(true);
            expect(await verdicts(org, admin, remembered)).to.deep.equal(['7 CERTIFICATE_LOG_TAMPERED', '0 CERTIFICATE_LOG_TAMPERED']);
        });

        it('refuses a fork: the same position holding another validly signed history', async () => {
            const { org, admin, remembered } = await history();
            const m = manager();
            // Cut the revocation, move the head back, and let another certificate take its place.
            const seventh = (await rows(org))[6];
            await m.delete(CertificateEntity, { organizationId: org.organizationId, topic: COMMON_TOPIC, index: 8 });
            await m.update(CertificateTopicEntity, { organizationId: org.organizationId, topic: COMMON_TOPIC },
                { lastIndex: 7, lastDigest: seventh.digest, lastTimestamp: seventh.timestamp });
            const position = await nextPosition(admin);
            const other = newUserCertificates(org.admin.signingKey.secretKey, org.admin.deviceId, { ...position, email: 'other@example.com' });
            await expectOk(request(admin, 'users.create', other.certificates));
            expect(replayCertificateLog(await log(admin), root(org), portableEd25519).ok, 'on its own, the fork is a valid chain').to.equal(true);
            expect(await verdicts(org, admin, remembered)).to.deep.equal(['8 CERTIFICATE_LOG_TAMPERED', '8 CERTIFICATE_LOG_TAMPERED']);
        });
    });
}

for (const [kind, open] of TEST_DATABASES) {
    suite(kind, open);
}
