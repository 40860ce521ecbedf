import {
    CertificatesPage, CertificateKind, checkRevokedUsers, checkUserUpdates, decodeCertificate, DEFAULT_TIMESTAMP_BALLPARK_MS, DeviceId, fail,
    KnownDevice, KnownUser, ok, Outcome, SignatureScheme, SignedCertificate, UserChangeContext, UserId
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { CertificateEvents } from '../common/certificate-events';
import { Transactions } from '../common/transactions';
import { OrganizationRepository } from '../organization/organization-repository';
import { CertificateLogEntry, Organization } from '../organization/organization-types';
import { UserChangesRepository } from './user-changes-repository';
import { ProfileChange, RevokedUsers, UserChangeError, UserChangeEvents, UserRevokedEvent } from './user-changes-types';

/** Optimistic writers that lose the race for the log head re-check and retry this often. */
const LOG_WRITE_ATTEMPTS = 5;

type Loaded = { organization: Organization & { rootVerifyKey: Uint8Array }; ctx: UserChangeContext };

/**
 * Profile changes and revocations: signed by an Administrator's device, checked with the
 * shared rules against the organization as it is, stored as one operation (all or none) that
 * moves the certificate log head. Concurrent writers are serialized by that head: the loser
 * re-reads and re-checks, so exactly one order wins and the rules hold in it.
 */
export class UserChangesService {
    protected readonly revokedListeners = new Set<(event: UserRevokedEvent) => void>();

    constructor(
        protected readonly organizations: OrganizationRepository,
        protected readonly repository: UserChangesRepository,
        protected readonly transactions: Transactions,
        protected readonly scheme: SignatureScheme,
        protected readonly certificateEvents: CertificateEvents,
        protected readonly events: { target?: UserChangeEvents },
        protected readonly ballparkMs = DEFAULT_TIMESTAMP_BALLPARK_MS
    ) { }

    /**
     * Told of every revoked user after the commit. The workspaces issue hooks here: owners of
     * workspaces shared with the user must be told they need re-encryption.
     */
    onDidRevokeUser(listener: (event: UserRevokedEvent) => void): { dispose(): void } {
        this.revokedListeners.add(listener);
        return { dispose: () => this.revokedListeners.delete(listener) };
    }

    async changeProfiles(session: DeviceSession, certificates: readonly SignedCertificate[], now: number): Promise<Outcome<{ changed: number }, UserChangeError>> {
        const targets = this.claimedTargets(session, certificates);
        if (!targets.ok) { return targets; }
        for (let attempt = 0; attempt < LOG_WRITE_ATTEMPTS; attempt++) {
            const loaded = await this.load(session, targets.value, now);
            if (!loaded.ok) { return loaded; }
            const { organization, ctx } = loaded.value;
            const checked = checkUserUpdates(certificates, ctx);
            if (!checked.ok) { return checked; }
            const updates = checked.value.updates;
            const last = organization.lastCertificateIndex;
            const stored = await this.transactions.withTransaction(async () => {
                if (!await this.organizations.advanceCertificateLog(session.organizationId, last, updates.length, updates[0].content.timestamp)) {
                    return false;
                }
                await this.organizations.appendCertificates(session.organizationId, updates.map((cert, i) => entry(last + 1 + i, 'user_update', cert.content, cert.signed)));
                await this.repository.updateProfiles(session.organizationId, updates.map(cert => ({ userId: cert.content.userId, profile: cert.content.newProfile })));
                return true;
            });
            if (stored) {
                const changes: ProfileChange[] = updates.map(cert => ({ userId: cert.content.userId, profile: cert.content.newProfile }));
                this.events.target?.onDidChangeProfiles(session.organizationId, changes);
                this.certificateEvents.onDidAddCertificates(session.organizationId, { index: last + updates.length, kinds: ['user_update'] });
                return ok({ changed: updates.length });
            }
        }
        throw new Error(`The certificate log of ${session.organizationId} kept moving during ${LOG_WRITE_ATTEMPTS} attempts`);
    }

    async revokeUsers(session: DeviceSession, certificates: readonly SignedCertificate[], now: number): Promise<Outcome<RevokedUsers, UserChangeError>> {
        const targets = this.claimedTargets(session, certificates);
        if (!targets.ok) { return targets; }
        for (let attempt = 0; attempt < LOG_WRITE_ATTEMPTS; attempt++) {
            const loaded = await this.load(session, targets.value, now);
            if (!loaded.ok) { return loaded; }
            const { organization, ctx } = loaded.value;
            const checked = checkRevokedUsers(certificates, ctx);
            if (!checked.ok) { return checked; }
            const { revocations, alreadyRevoked } = checked.value;
            if (revocations.length === 0) {
                return ok({ revoked: [], alreadyRevoked });
            }
            const last = organization.lastCertificateIndex;
            const revokedOn = revocations[0].content.timestamp;
            const userIds = revocations.map(cert => cert.content.userId);
            const stored = await this.transactions.withTransaction(async () => {
                if (!await this.organizations.advanceCertificateLog(session.organizationId, last, revocations.length, revokedOn)) {
                    return false;
                }
                await this.organizations.appendCertificates(session.organizationId, revocations.map((cert, i) => entry(last + 1 + i, 'revoked_user', cert.content, cert.signed)));
                await this.repository.markRevoked(session.organizationId, userIds, revokedOn, session.userId);
                return true;
            });
            if (stored) {
                // Cut the sessions first: from the commit on, nothing the revoked users send may count.
                this.events.target?.onDidRevokeUsers(session.organizationId, userIds);
                this.certificateEvents.onDidAddCertificates(session.organizationId, { index: last + revocations.length, kinds: ['revoked_user'] });
                for (const userId of userIds) {
                    this.revokedListeners.forEach(listener => listener({ organizationId: session.organizationId, userId, revokedBy: session.userId, revokedOn }));
                }
                return ok({ revoked: userIds, alreadyRevoked });
            }
        }
        throw new Error(`The certificate log of ${session.organizationId} kept moving during ${LOG_WRITE_ATTEMPTS} attempts`);
    }

    /**
     * The log in order. Administrators get every full certificate; Members get other users'
     * device certificates redacted (device labels are private); External readers never reach
     * here (rights), and would get only redacted copies.
     */
    async listCertificates(session: DeviceSession, offset: number, limit: number): Promise<CertificatesPage> {
        const rows = await this.repository.certificateLog(session.organizationId, offset, limit + 1);
        const page = rows.slice(0, limit);
        const certificates = page.map(row => ({ index: row.index, signed: this.copyFor(session, row) }));
        return { certificates, ...(rows.length > limit ? { nextOffset: offset + limit } : {}) };
    }

    protected copyFor(session: DeviceSession, row: CertificateLogEntry): SignedCertificate {
        if (session.profile === 'ADMINISTRATOR' || row.signed === row.redacted) {
            return row.signed;
        }
        if (session.profile === 'EXTERNAL') {
            return row.redacted;
        }
        if (row.kind !== 'device') {
            return row.signed;
        }
        const decoded = decodeCertificate(row.signed);
        return decoded.ok && decoded.value.content.kind === 'device' && decoded.value.content.userId === session.userId ? row.signed : row.redacted;
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
            targets.push(decoded.value.content.userId);
        }
        return ok(targets);
    }

    protected async load(session: DeviceSession, targets: readonly UserId[], now: number): Promise<Outcome<Loaded, UserChangeError>> {
        const { organizationId } = session;
        // The head first: anything that changes after this read moves it, and our write then retries.
        const organization = await this.organizations.get(organizationId);
        if (!organization?.rootVerifyKey) {
            return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No bootstrapped organization "${organizationId}" on this server` });
        }
        const [devices, users, activeAdministrators] = await Promise.all([
            this.organizations.knownDevices(organizationId, [session.deviceId]),
            this.organizations.knownUsers(organizationId, [session.userId, ...targets]),
            this.repository.countActiveAdministrators(organizationId)
        ]);
        const ctx: UserChangeContext = {
            scheme: this.scheme, rootVerifyKey: organization.rootVerifyKey, now, ballparkMs: this.ballparkMs,
            lastTimestamp: organization.lastCertificateTimestamp, activeAdministrators,
            device: (id: DeviceId): KnownDevice | undefined => devices.get(id),
            user: (id: UserId): KnownUser | undefined => users.get(id)
        };
        return ok({ organization: { ...organization, rootVerifyKey: organization.rootVerifyKey }, ctx });
    }
}

/** These certificates carry no personal data: the redacted copy is the certificate itself. */
function entry(index: number, kind: CertificateKind, content: { timestamp: number; author: DeviceId | null }, signed: SignedCertificate): CertificateLogEntry {
    return { index, kind, timestamp: content.timestamp, author: content.author, signed, redacted: signed };
}
