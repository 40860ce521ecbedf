import {
    checkWorkspaceChange, decodeCertificate, DeviceId, fail, ok, OrganizationId, Outcome, ReencryptionRun, ReencryptionStart, ReencryptionStatus, reencryptionNeed,
    reencryptionRunners, RevocationImpact, SignedCertificate, StoredManifest, UserId, WorkspaceCertificate, WorkspaceId, WorkspaceKeyCertificate, WorkspaceRoleCertificate,
    WorkspaceSummary, workspaceTopic
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { EventBus } from '../common/event-bus';
import { CertificateContexts } from '../organization/certificate-contexts';
import { CertificateLog } from '../organization/certificate-log';
import { RevocationConsequences } from '../users/user-changes-types';
import { ReencryptionRepository } from './reencryption-repository';
import { ReencryptedManifestRecord, ReencryptionError, ReencryptionRecord } from './reencryption-types';
import { WorkspacesRepository } from './workspaces-repository';
import { RoleChange, WorkspaceError } from './workspaces-types';

type Result<T> = Promise<Outcome<T, ReencryptionError>>;
const refuse = (code: 'NOT_ALLOWED' | 'WORKSPACE_NOT_FOUND' | 'BAD_PAYLOAD' | 'REENCRYPTION_NOT_NEEDED' | 'REENCRYPTION_NOT_RUNNING', message: string) => fail({ code, message });

/** How long a run stays its runner's without a sign of life (a batch, a new start): then another may take it over. */
export const REENCRYPTION_LEASE_MS = 30_000;

/** The largest workspace log read in one go (roles and keys only: thousands of members at most). */
const LOG_LIMIT = 100_000;

type WorkspaceLogCertificate = WorkspaceRoleCertificate | WorkspaceKeyCertificate;

/**
 * Re-encryption of workspaces after revocations (the source document's "Workspace
 * re-encryption", with Parsec's three lessons: reads are never blocked, a run is never stuck
 * with a gone runner, and the need is derived from certificates anyone can replay).
 *
 * - A revocation marks, in its own transaction, each workspace whose current key the revoked
 *   user received (`reencryptionNeed`), ends a revoked runner's lease, and tells the Owners.
 * - A run: `start` claims a lease; `rotate` removes the revoked members and adds the next key,
 *   sealed to exactly the remaining members, and turns maintenance on (writes refused, reads
 *   served under any key); `batch` moves manifests to the new key, each naming the version and
 *   key it replaces, one transaction per batch; `finish` turns maintenance off once none is
 *   left under an older key. Progress is the key index of each stored manifest, so a run
 *   resumes exactly, from any Owner's device.
 */
export class ReencryptionService implements RevocationConsequences {
    constructor(
        protected readonly repository: ReencryptionRepository,
        protected readonly workspaces: WorkspacesRepository,
        protected readonly log: CertificateLog,
        protected readonly contexts: CertificateContexts,
        protected readonly bus: EventBus,
        protected readonly leaseMs = REENCRYPTION_LEASE_MS
    ) { }

    /** In the revocation's transaction: which workspaces the revoked users exposed, marked; the announcement for after the commit. */
    async revoked(organizationId: OrganizationId, userIds: readonly UserId[], revokedOn: number): Promise<() => void> {
        const exposed: { workspaceId: WorkspaceId; owners: UserId[] }[] = [];
        for (const workspaceId of await this.repository.workspacesEverSharedWith(organizationId, userIds)) {
            const [certificates, members] = await Promise.all([this.workspaceLog(organizationId, workspaceId), this.workspaces.members(organizationId, workspaceId)]);
            const revoked = await this.repository.revokedAmong(organizationId, [...new Set([...subjectsOf(certificates), ...members.map(member => member.userId)])]);
            const need = reencryptionNeed(certificates, userId => revoked.has(userId));
            const now = need.exposedTo.filter(userId => userIds.includes(userId));
            if (now.length === 0) {
                continue;
            }
            await this.repository.markExposed(organizationId, workspaceId, revokedOn, now);
            exposed.push({ workspaceId, owners: [...reencryptionRunners(members, userId => revoked.has(userId)).userIds] });
        }
        return () => {
            if (exposed.length > 0) {
                this.bus.publish('workspaces.reencryptionNeeded', { organizationId, revokedUserIds: userIds, workspaces: exposed });
            }
        };
    }

    /**
     * Before a revocation (the rights matrix lets only Administrators ask): the workspaces these
     * users hold a role in now, and those where every active Owner is among them. Ids only.
     */
    async impact(session: DeviceSession, userIds: readonly UserId[]): Result<RevocationImpact> {
        const asked = new Set(userIds);
        const workspaces: { workspaceId: WorkspaceId; lastOwner: boolean }[] = [];
        for (const workspaceId of await this.repository.workspacesEverSharedWith(session.organizationId, userIds)) {
            const members = await this.workspaces.members(session.organizationId, workspaceId);
            if (!members.some(member => asked.has(member.userId))) {
                continue;
            }
            const revoked = await this.repository.revokedAmong(session.organizationId, members.map(member => member.userId));
            const owners = members.filter(member => member.role === 'OWNER' && !revoked.has(member.userId));
            workspaces.push({ workspaceId, lastOwner: owners.length > 0 && owners.every(owner => asked.has(owner.userId)) });
        }
        return ok({ workspaces });
    }

    /** Adds each workspace's re-encryption state to a member's list. */
    async annotate(session: DeviceSession, summaries: readonly WorkspaceSummary[]): Promise<WorkspaceSummary[]> {
        const records = await this.repository.getMany(session.organizationId, summaries.map(summary => summary.workspaceId));
        return summaries.map(summary => {
            const record = records.get(summary.workspaceId);
            return record ? { ...summary, reencryption: status(record) } : summary;
        });
    }

    /** Why a write must wait now, if it must: a run rotated the key and has not finished. */
    async writeRefusal(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<WorkspaceError | undefined> {
        const record = await this.repository.get(organizationId, workspaceId);
        return record?.keyIndex === undefined ? undefined
            : { code: 'WORKSPACE_REENCRYPTING', message: 'Re-encryption in progress: writes wait until it ends (reads go on)', keyIndex: record.keyIndex };
    }

    /** Claims the run (or resumes it, or takes it over after its lease); with what the runner needs to rotate. */
    async start(session: DeviceSession, workspaceId: WorkspaceId, now: number): Result<ReencryptionStart> {
        const { organizationId } = session;
        const members = await this.workspaces.members(organizationId, workspaceId);
        if (!members.some(member => member.userId === session.userId)) {
            return refuse('WORKSPACE_NOT_FOUND', 'No such workspace');
        }
        const revoked = await this.repository.revokedAmong(organizationId, members.map(member => member.userId));
        if (!reencryptionRunners(members, userId => revoked.has(userId)).userIds.includes(session.userId)) {
            return refuse('NOT_ALLOWED', 'Only the workspace\'s Owners re-encrypt it (or, when every Owner is revoked, the members of the highest role left)');
        }
        const record = await this.repository.get(organizationId, workspaceId);
        if (!record || (record.revocations <= record.covered && record.keyIndex === undefined)) {
            return refuse('REENCRYPTION_NOT_NEEDED', 'No revoked user received this workspace\'s current key');
        }
        if (!await this.repository.claim(organizationId, workspaceId, session, now, now + this.leaseMs)) {
            const running = (await this.repository.get(organizationId, workspaceId)) ?? record;
            return fail({
                code: 'REENCRYPTION_RUNNING', message: 'Another device is re-encrypting this workspace', runnerUserId: running.runnerUserId!,
                leaseUntil: running.leaseUntil ?? now, done: running.done, total: running.total
            });
        }
        const claimed = (await this.repository.get(organizationId, workspaceId))!;
        const certificates = await this.repository.memberCertificates(organizationId, members.map(member => member.userId));
        const byUser = new Map(certificates.map(one => [one.userId, one]));
        const authors = certificates.flatMap(one => [one.userAuthorDevice, one.revocation?.authorDevice]).filter((id): id is DeviceId => id !== undefined);
        return ok({
            run: runOf(claimed)!,
            members: members.map(member => ({
                userId: member.userId, role: member.role, userCertificate: byUser.get(member.userId)!.userCertificate,
                ...(byUser.get(member.userId)?.revocation ? { revocation: byUser.get(member.userId)!.revocation!.certificate } : {})
            })),
            authorDevices: await this.contexts.deviceChains(organizationId, authors)
        });
    }

    /**
     * The rotation: role removals of revoked members only (with no active Owner, the runner's own
     * Owner certificate first), then exactly the next key; the key list sealed to exactly the
     * members left, none of them revoked. Maintenance starts with it.
     */
    async rotate(session: DeviceSession, workspaceId: WorkspaceId, certificates: readonly SignedCertificate[], sealedKeys: Readonly<Record<UserId, string>>, now: number):
        Result<{ run: ReencryptionRun }> {
        const { organizationId } = session;
        const targets: UserId[] = [];
        for (const signed of certificates) {
            const decoded = decodeCertificate(signed);
            if (!decoded.ok) { return decoded; }
            if (decoded.value.content.author !== session.deviceId) {
                return refuse('NOT_ALLOWED', 'Certificates sent on a connection must be signed by its own device');
            }
            if (decoded.value.content.kind === 'workspace_role') {
                targets.push(decoded.value.content.userId);
            }
        }
        return this.log.append<{ run: ReencryptionRun }, ReencryptionError>(organizationId, workspaceTopic(workspaceId), async head => {
            const [workspace, members, record, logged] = await Promise.all([
                this.workspaces.get(organizationId, workspaceId), this.workspaces.members(organizationId, workspaceId),
                this.repository.get(organizationId, workspaceId), this.workspaceLog(organizationId, workspaceId)
            ]);
            if (!workspace || !members.some(member => member.userId === session.userId)) {
                return refuse('WORKSPACE_NOT_FOUND', 'No such workspace');
            }
            if (!record || record.runnerDeviceId !== session.deviceId || (record.leaseUntil ?? 0) < now) {
                return refuse('REENCRYPTION_NOT_RUNNING', 'This device does not hold the workspace\'s re-encryption: start it first');
            }
            if (record.keyIndex !== undefined) {
                return refuse('BAD_PAYLOAD', `The run rotated to key ${record.keyIndex} already: re-encrypt the manifests`);
            }
            const users = [...new Set([session.userId, ...members.map(member => member.userId), ...subjectsOf(logged), ...targets])];
            const ctx = await this.contexts.read(organizationId, head, now, { users, devices: [session.deviceId] });
            if (!ctx.ok) { return ctx; }
            const isRevoked = (userId: UserId) => ctx.value.user(userId)?.revoked === true;
            const roles = new Map(members.map(member => [member.userId, member.role]));
            const checked = checkWorkspaceChange(certificates, {
                ...ctx.value, workspaceId, keyIndex: workspace.keyIndex, role: userId => roles.get(userId),
                owners: members.filter(member => member.role === 'OWNER').map(member => member.userId), members: members.map(member => member.userId)
            });
            if (!checked.ok) { return checked; }
            const keyIndex = workspace.keyIndex + 1;
            if (checked.value.keyIndex !== keyIndex || checked.value.certificates.filter(cert => cert.content.kind === 'workspace_key').length !== 1) {
                return refuse('BAD_PAYLOAD', `A rotation adds exactly the next key (${keyIndex})`);
            }
            const changes: RoleChange[] = [];
            for (const [userId, role] of checked.value.roles) {
                const removal = role === null && isRevoked(userId);
                const succession = role === 'OWNER' && userId === session.userId;
                if (!removal && !succession) {
                    return refuse('BAD_PAYLOAD', 'A rotation only removes revoked members (and, with no Owner left, makes its runner Owner)');
                }
                changes.push({ userId, role });
            }
            const after = members.filter(member => checked.value.roles.get(member.userId) !== null).map(member => member.userId);
            const need = reencryptionNeed([...logged, ...checked.value.certificates.map(cert => cert.content)], isRevoked);
            const recipients = Object.keys(sealedKeys);
            const missing = after.filter(userId => !recipients.includes(userId));
            const unexpected = recipients.filter(userId => !after.includes(userId));
            if (need.needed || missing.length > 0 || unexpected.length > 0) {
                return fail({
                    code: 'REENCRYPTION_RECIPIENTS_MISMATCH', missing, unexpected: [...new Set([...unexpected, ...need.exposedTo])],
                    message: need.needed ? `Revoked members must be removed before the new key: ${need.exposedTo.join(', ')}`
                        : 'The new key goes to exactly the workspace\'s remaining members, each once'
                });
            }
            return ok({
                entries: checked.value.certificates.map(cert => ({ content: cert.content, signed: cert.signed, redacted: cert.signed })),
                store: async () => {
                    // A revocation committing now: seen here (the rotation is refused) or it waits and marks the workspace again.
                    const active = await this.workspaces.activeUsers(organizationId, recipients);
                    if (recipients.some(userId => !active.has(userId))) {
                        return fail({ code: 'CERTIFICATE_INCONSISTENT', message: 'A member was revoked meanwhile: start the rotation again' });
                    }
                    await this.workspaces.applyRoles(organizationId, workspaceId, changes);
                    await this.repository.replaceSealedKeys(organizationId, workspaceId, sealedKeys);
                    await this.repository.setKeyIndex(organizationId, workspaceId, keyIndex);
                    await this.repository.rotated(organizationId, workspaceId, keyIndex);
                    return ok({ run: runOf((await this.repository.get(organizationId, workspaceId))!)! });
                },
                announce: () => {
                    if (changes.length > 0) {
                        this.bus.publish('workspace.membersChanged', { organizationId, workspaceId, changes: changes.map(change => ({ userId: change.userId, role: change.role })) });
                    }
                    this.bus.publish('workspace.maintenance', { organizationId, workspaceId, maintenance: true, keyIndex, members: after });
                }
            });
        });
    }

    /** Manifests still under an older key than the run's, in entry order after `after`. */
    async pending(session: DeviceSession, workspaceId: WorkspaceId, after: string, limit: number): Result<{ keyIndex: number; manifests: StoredManifest[] }> {
        const running = await this.running(session, workspaceId, Number.NEGATIVE_INFINITY);
        if (!running.ok) { return running; }
        const keyIndex = running.value;
        return ok({ keyIndex, manifests: await this.repository.pending(session.organizationId, workspaceId, keyIndex, after, limit) });
    }

    async batch(session: DeviceSession, workspaceId: WorkspaceId, entries: readonly ReencryptedManifestRecord[], now: number): Result<{ done: number; total: number }> {
        const running = await this.running(session, workspaceId, now);
        if (!running.ok) { return running; }
        const keyIndex = running.value;
        if (new Set(entries.map(entry => entry.entryId)).size !== entries.length) {
            return refuse('BAD_PAYLOAD', 'entries: an entry appears twice');
        }
        if (entries.some(entry => entry.fromKeyIndex >= keyIndex)) {
            return refuse('BAD_PAYLOAD', `entries: a manifest moves from a key older than ${keyIndex}`);
        }
        const moved = await this.repository.reencrypt(session.organizationId, workspaceId, session.deviceId, keyIndex, entries, now + this.leaseMs);
        if (moved === 'lease') {
            return refuse('REENCRYPTION_NOT_RUNNING', 'Another device took the re-encryption over');
        }
        if ('stale' in moved) {
            return fail({ code: 'REENCRYPTION_STALE_BATCH', message: 'A manifest of the batch is not at the version and key it names (moved already, or changed): nothing was written', entryId: moved.stale });
        }
        return ok(moved);
    }

    async finish(session: DeviceSession, workspaceId: WorkspaceId, now: number): Result<{ keyIndex: number; needed: boolean }> {
        const running = await this.running(session, workspaceId, now);
        if (!running.ok) { return running; }
        const keyIndex = running.value;
        const left = await this.repository.finish(session.organizationId, workspaceId, session.deviceId, keyIndex);
        if (left === 'lease') {
            return refuse('REENCRYPTION_NOT_RUNNING', 'Another device took the re-encryption over');
        }
        if (left > 0) {
            return fail({ code: 'REENCRYPTION_INCOMPLETE', message: `${left} manifest(s) are still under an older key`, remaining: left });
        }
        const record = (await this.repository.get(session.organizationId, workspaceId))!;
        const members = await this.workspaces.members(session.organizationId, workspaceId);
        this.bus.publish('workspace.maintenance', { organizationId: session.organizationId, workspaceId, maintenance: false, keyIndex, members: members.map(member => member.userId) });
        return ok({ keyIndex, needed: record.revocations > record.covered });
    }

    async release(session: DeviceSession, workspaceId: WorkspaceId): Result<Record<string, never>> {
        await this.repository.release(session.organizationId, workspaceId, session.deviceId);
        return ok({});
    }

    /** The run's key index when this device holds the run (its lease alive at `now`) and it rotated. */
    protected async running(session: DeviceSession, workspaceId: WorkspaceId, now: number): Result<number> {
        const record = await this.repository.get(session.organizationId, workspaceId);
        const members = await this.workspaces.members(session.organizationId, workspaceId);
        if (!members.some(member => member.userId === session.userId)) {
            return refuse('WORKSPACE_NOT_FOUND', 'No such workspace');
        }
        if (!record || record.keyIndex === undefined || record.runnerDeviceId !== session.deviceId || (record.leaseUntil ?? 0) < now) {
            return refuse('REENCRYPTION_NOT_RUNNING', 'This device does not hold a rotated re-encryption of the workspace: start it (again)');
        }
        return ok(record.keyIndex);
    }

    /** The workspace's topic of the log, decoded (the server stored only checked certificates). */
    protected async workspaceLog(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<WorkspaceLogCertificate[]> {
        const entries = await this.log.entries(organizationId, workspaceTopic(workspaceId), 0, LOG_LIMIT);
        return entries.flatMap(entry => {
            const decoded = decodeCertificate(entry.signed);
            return decoded.ok && (decoded.value.content.kind === 'workspace_role' || decoded.value.content.kind === 'workspace_key') ? [decoded.value.content as WorkspaceCertificate] : [];
        });
    }
}

function subjectsOf(log: readonly WorkspaceLogCertificate[]): UserId[] {
    return [...new Set(log.flatMap(cert => cert.kind === 'workspace_role' ? [cert.userId] : []))];
}

function runOf(record: ReencryptionRecord): ReencryptionRun | undefined {
    if (!record.runnerUserId || !record.runnerDeviceId) {
        return undefined;
    }
    return {
        ...(record.keyIndex !== undefined ? { keyIndex: record.keyIndex } : {}),
        runnerUserId: record.runnerUserId, runnerDeviceId: record.runnerDeviceId, leaseUntil: new Date(record.leaseUntil ?? 0).toISOString(),
        done: record.done, total: record.total
    };
}

function status(record: ReencryptionRecord): ReencryptionStatus {
    const run = runOf(record);
    return { needed: record.revocations > record.covered, ...(run ? { run } : {}) };
}
