import { checkRevokedUsers, checkUserUpdates, COMMON_TOPIC, decodeCertificate, fail, ok, Outcome, SignedCertificate, UserChangeContext, UserId } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { EventBus, ProfileChange } from '../common/event-bus';
import { CertificateLog } from '../organization/certificate-log';
import { CertificateContexts } from '../organization/certificate-contexts';
import { TopicHead } from '../organization/organization-types';
import { UserChangesRepository } from './user-changes-repository';
import { RevocationConsequences, RevokedUsers, UserChangeError } from './user-changes-types';

/**
 * Profile changes and revocations: signed by an Administrator's device, checked with the
 * shared rules against the organization as it is, stored through the log writer as one
 * operation (all or none). Concurrent writers are serialized by the log head: the loser
 * re-reads and re-checks, so exactly one order wins and the rules hold in it. Live sessions
 * follow through the bus (`users.profilesChanged`, `users.revoked`), on every instance.
 */
export class UserChangesService {
    constructor(
        protected readonly contexts: CertificateContexts,
        protected readonly repository: UserChangesRepository,
        protected readonly log: CertificateLog,
        protected readonly bus: EventBus,
        protected readonly consequences: readonly RevocationConsequences[] = []
    ) { }

    async changeProfiles(session: DeviceSession, certificates: readonly SignedCertificate[], now: number): Promise<Outcome<{ changed: number }, UserChangeError>> {
        const targets = this.claimedTargets(session, certificates);
        if (!targets.ok) { return targets; }
        return this.log.append<{ changed: number }, UserChangeError>(session.organizationId, COMMON_TOPIC, async head => {
            const ctx = await this.context(session, targets.value, head, now);
            if (!ctx.ok) { return ctx; }
            const checked = checkUserUpdates(certificates, ctx.value);
            if (!checked.ok) { return checked; }
            const changes: ProfileChange[] = checked.value.updates.map(cert => ({ userId: cert.content.userId, profile: cert.content.newProfile }));
            return ok({
                entries: checked.value.updates.map(cert => ({ content: cert.content, signed: cert.signed, redacted: cert.signed })),
                store: async () => {
                    await this.repository.updateProfiles(session.organizationId, changes);
                    return ok({ changed: changes.length });
                },
                announce: () => this.bus.publish('users.profilesChanged', { organizationId: session.organizationId, changes })
            });
        });
    }

    async revokeUsers(session: DeviceSession, certificates: readonly SignedCertificate[], now: number): Promise<Outcome<RevokedUsers, UserChangeError>> {
        const targets = this.claimedTargets(session, certificates);
        if (!targets.ok) { return targets; }
        return this.log.append<RevokedUsers, UserChangeError>(session.organizationId, COMMON_TOPIC, async head => {
            const ctx = await this.context(session, targets.value, head, now);
            if (!ctx.ok) { return ctx; }
            const checked = checkRevokedUsers(certificates, ctx.value);
            if (!checked.ok) { return checked; }
            const { revocations, alreadyRevoked } = checked.value;
            if (revocations.length === 0) {
                // Everyone was revoked already: nothing to store, and no error.
                return ok({ entries: [], store: async () => ok({ revoked: [], alreadyRevoked }) });
            }
            const revokedOn = revocations[0].content.timestamp;
            const revoked = revocations.map(cert => cert.content.userId).filter(userId => !alreadyRevoked.includes(userId));
            let consequences: (() => void)[] = [];
            return ok({
                entries: revocations.map(cert => ({ content: cert.content, signed: cert.signed, redacted: cert.signed })),
                store: async () => {
                    await this.repository.markRevoked(session.organizationId, revoked, revokedOn, session.userId);
                    consequences = [];
                    for (const consequence of this.consequences) {
                        consequences.push(await consequence.revoked(session.organizationId, revoked, revokedOn));
                    }
                    return ok({ revoked, alreadyRevoked });
                },
                // Sessions are cut before anyone hears of the certificates: from the commit on, nothing the revoked users send may count.
                announce: () => {
                    this.bus.publish('users.revoked', { organizationId: session.organizationId, userIds: revoked, revokedBy: session.userId, revokedOn });
                    consequences.forEach(announce => announce());
                }
            });
        });
    }

    /** Certificates sent on a connection must be signed by its own device; returns the users they name. */
    protected claimedTargets(session: DeviceSession, certificates: readonly SignedCertificate[]): Outcome<UserId[], UserChangeError> {
        const targets: UserId[] = [];
        for (const signed of certificates) {
            const decoded = decodeCertificate(signed);
            if (!decoded.ok) {
                return fail(decoded.error);
            }
            if (decoded.value.content.author !== session.deviceId) {
                return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
            }
            targets.push((decoded.value.content as { userId: UserId }).userId);
        }
        return ok(targets);
    }

    /** The organization as the rules need it, read after `head`, with how many Administrators it has. */
    protected async context(session: DeviceSession, targets: readonly UserId[], head: TopicHead, now: number): Promise<Outcome<UserChangeContext, UserChangeError>> {
        const [ctx, activeAdministrators] = await Promise.all([
            this.contexts.read(session.organizationId, head, now, { users: [session.userId, ...targets], devices: [session.deviceId] }),
            this.repository.countActiveAdministrators(session.organizationId)
        ]);
        return ctx.ok ? ok({ ...ctx.value, activeAdministrators }) : ctx;
    }
}
