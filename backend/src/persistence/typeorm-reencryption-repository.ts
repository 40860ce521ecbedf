import { In, IsNull, LessThan, MoreThan, Not } from 'typeorm';
import { COMMON_TOPIC, DeviceId, OrganizationId, UserId, WorkspaceId } from '@vouch/protocol';
import { ReencryptionRepository } from '../workspaces/reencryption-repository';
import { MemberCertificates, ReencryptedManifestRecord, ReencryptionRecord } from '../workspaces/reencryption-types';
import { ManifestRecord } from '../workspaces/workspaces-types';
import { chunks, Database } from './database';
import { CertificateEntity, UserEntity, WorkspaceEntity, WorkspaceManifestEntity, WorkspaceMemberEntity, WorkspaceReencryptionEntity } from './entities';

/** Manifests per UPDATE: a whole batch (six placeholders each, well under SQLite's and MySQL's limits). */
const UPDATE_CHUNK = 500;
const WORKSPACE_TOPIC_PREFIX = 'workspace:';

function toRecord(row: WorkspaceReencryptionEntity): ReencryptionRecord {
    return {
        organizationId: row.organizationId, workspaceId: row.workspaceId, revocations: row.revocations, covered: row.covered,
        ...(row.neededSince !== null ? { neededSince: row.neededSince } : {}),
        ...(row.keyIndex !== null ? { keyIndex: row.keyIndex } : {}),
        ...(row.runnerUserId !== null ? { runnerUserId: row.runnerUserId } : {}),
        ...(row.runnerDeviceId !== null ? { runnerDeviceId: row.runnerDeviceId } : {}),
        ...(row.leaseUntil !== null ? { leaseUntil: row.leaseUntil } : {}),
        ...(row.startedOn !== null ? { startedOn: row.startedOn } : {}),
        done: row.done, total: row.total
    };
}

/** Thrown to roll a batch back; never leaves this file. */
class Rollback extends Error {
    constructor(readonly outcome: { staleIn: readonly ReencryptedManifestRecord[] } | 'lease') {
        super('rollback');
    }
}

export class TypeormReencryptionRepository implements ReencryptionRepository {
    constructor(protected readonly db: Database) { }

    async get(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<ReencryptionRecord | undefined> {
        const row = await this.db.manager.findOneBy(WorkspaceReencryptionEntity, { organizationId, workspaceId });
        return row ? toRecord(row) : undefined;
    }

    async getMany(organizationId: OrganizationId, workspaceIds: readonly WorkspaceId[]): Promise<Map<WorkspaceId, ReencryptionRecord>> {
        const out = new Map<WorkspaceId, ReencryptionRecord>();
        for (const chunk of chunks(workspaceIds)) {
            for (const row of await this.db.manager.findBy(WorkspaceReencryptionEntity, { organizationId, workspaceId: In(chunk) })) {
                out.set(row.workspaceId, toRecord(row));
            }
        }
        return out;
    }

    async workspacesEverSharedWith(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<WorkspaceId[]> {
        const topics = new Set<string>();
        for (const chunk of chunks(userIds)) {
            const rows = await this.db.manager.createQueryBuilder(CertificateEntity, 'c').select('DISTINCT c.topic', 'topic')
                .where({ organizationId, kind: 'workspace_role', subject: In(chunk) }).getRawMany<{ topic: string }>();
            rows.forEach(row => topics.add(row.topic));
        }
        return [...topics].filter(topic => topic.startsWith(WORKSPACE_TOPIC_PREFIX)).map(topic => topic.slice(WORKSPACE_TOPIC_PREFIX.length)).sort();
    }

    async revokedAmong(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<Set<UserId>> {
        const out = new Set<UserId>();
        for (const chunk of chunks(userIds)) {
            const rows = await this.db.manager.find(UserEntity, { select: { userId: true }, where: { organizationId, userId: In(chunk), revokedOn: Not(IsNull()) } });
            rows.forEach(row => out.add(row.userId));
        }
        return out;
    }

    async markExposed(organizationId: OrganizationId, workspaceId: WorkspaceId, revokedOn: number, revokedUserIds: readonly UserId[]): Promise<void> {
        const row = await this.db.manager.findOneBy(WorkspaceReencryptionEntity, { organizationId, workspaceId });
        if (!row) {
            await this.db.manager.insert(WorkspaceReencryptionEntity, {
                organizationId, workspaceId, revocations: 1, covered: 0, neededSince: revokedOn, keyIndex: null, runnerUserId: null, runnerDeviceId: null,
                leaseUntil: null, startedOn: null, done: 0, total: 0
            });
            return;
        }
        const runnerRevoked = row.runnerUserId !== null && revokedUserIds.includes(row.runnerUserId);
        await this.db.manager.update(WorkspaceReencryptionEntity, { organizationId, workspaceId }, {
            revocations: row.revocations + 1,
            neededSince: row.revocations > row.covered ? row.neededSince : revokedOn,
            // A revoked runner never comes back: the run is free for another at once.
            ...(runnerRevoked ? { leaseUntil: 0 } : {})
        });
    }

    async claim(organizationId: OrganizationId, workspaceId: WorkspaceId, runner: { userId: UserId; deviceId: DeviceId }, now: number, leaseUntil: number): Promise<boolean> {
        const result = await this.db.standalone(() => this.db.manager.createQueryBuilder().update(WorkspaceReencryptionEntity)
            .set({ runnerUserId: runner.userId, runnerDeviceId: runner.deviceId, leaseUntil, startedOn: () => `COALESCE(started_on, ${Math.floor(now)})` })
            .where('organization_id = :organizationId AND workspace_id = :workspaceId', { organizationId, workspaceId })
            .andWhere('(runner_device_id IS NULL OR runner_device_id = :deviceId OR lease_until < :now)', { deviceId: runner.deviceId, now })
            .execute());
        if (result.affected === 1) {
            return true;
        }
        // MySQL counts changed rows only: the same device claiming twice in one millisecond changed nothing.
        const row = await this.db.manager.findOneBy(WorkspaceReencryptionEntity, { organizationId, workspaceId });
        return row?.runnerDeviceId === runner.deviceId && (row.leaseUntil ?? 0) >= now;
    }

    async release(organizationId: OrganizationId, workspaceId: WorkspaceId, deviceId: DeviceId): Promise<void> {
        await this.db.standalone(() => this.db.manager.update(WorkspaceReencryptionEntity, { organizationId, workspaceId, runnerDeviceId: deviceId }, { leaseUntil: 0 }));
    }

    async rotated(organizationId: OrganizationId, workspaceId: WorkspaceId, keyIndex: number): Promise<void> {
        const total = await this.db.manager.countBy(WorkspaceManifestEntity, { organizationId, workspaceId });
        await this.db.manager.createQueryBuilder().update(WorkspaceReencryptionEntity)
            .set({ keyIndex, covered: () => 'revocations', neededSince: null, done: 0, total })
            .where('organization_id = :organizationId AND workspace_id = :workspaceId', { organizationId, workspaceId })
            .execute();
    }

    async replaceSealedKeys(organizationId: OrganizationId, workspaceId: WorkspaceId, sealedKeys: Readonly<Record<UserId, string>>): Promise<void> {
        for (const [userId, sealed] of Object.entries(sealedKeys)) {
            await this.db.manager.update(WorkspaceMemberEntity, { organizationId, workspaceId, userId }, { sealedKeys: sealed });
        }
    }

    async setKeyIndex(organizationId: OrganizationId, workspaceId: WorkspaceId, keyIndex: number): Promise<void> {
        await this.db.manager.update(WorkspaceEntity, { organizationId, workspaceId }, { keyIndex });
    }

    async pending(organizationId: OrganizationId, workspaceId: WorkspaceId, keyIndex: number, after: string, limit: number): Promise<ManifestRecord[]> {
        const rows = await this.db.manager.find(WorkspaceManifestEntity, {
            select: { entryId: true, version: true, keyIndex: true, blob: true, change: true },
            where: { organizationId, workspaceId, entryId: MoreThan(after), keyIndex: LessThan(keyIndex) }, order: { entryId: 'ASC' }, take: limit
        });
        return rows.map(row => ({ entryId: row.entryId, version: row.version, keyIndex: row.keyIndex, blob: row.blob, change: row.change }));
    }

    async reencrypt(organizationId: OrganizationId, workspaceId: WorkspaceId, deviceId: DeviceId, keyIndex: number, entries: readonly ReencryptedManifestRecord[], leaseUntil: number):
        Promise<{ done: number; total: number } | { stale: string } | 'lease'> {
        try {
            return await this.db.withTransaction(async () => {
                const manager = this.db.manager;
                // The run's row first: batches of one workspace queue here (a row lock on MySQL), and a taken-over run stops.
                const run = await manager.createQueryBuilder().update(WorkspaceReencryptionEntity)
                    .set({ leaseUntil, done: () => `done + ${entries.length}` })
                    .where('organization_id = :organizationId AND workspace_id = :workspaceId AND runner_device_id = :deviceId AND key_index = :keyIndex',
                        { organizationId, workspaceId, deviceId, keyIndex })
                    .execute();
                if (run.affected !== 1) {
                    throw new Rollback('lease');
                }
                // One conditional UPDATE per chunk: a row moves only from the version and key the batch names.
                for (const chunk of chunks(entries, UPDATE_CHUNK)) {
                    const parameters: Record<string, string | number> = { organizationId, workspaceId };
                    const when = (column: 'blob' | 'v' | 'k') => chunk.map((entry, i) => {
                        parameters[`e${i}`] = entry.entryId;
                        parameters[`${column}${i}`] = column === 'blob' ? entry.blob : column === 'v' ? entry.version : entry.fromKeyIndex;
                        return `WHEN :e${i} THEN :${column}${i}`;
                    }).join(' ');
                    const blobs = `CASE entry_id ${when('blob')} END`;
                    const result = await manager.createQueryBuilder().update(WorkspaceManifestEntity)
                        .set({ keyIndex, blob: () => blobs })
                        .where('organization_id = :organizationId AND workspace_id = :workspaceId')
                        .andWhere('entry_id IN (:...ids)', { ids: chunk.map(entry => entry.entryId) })
                        .andWhere(`version = CASE entry_id ${when('v')} END AND key_index = CASE entry_id ${when('k')} END`)
                        .setParameters(parameters)
                        .execute();
                    if (result.affected !== chunk.length) {
                        throw new Rollback({ staleIn: chunk });
                    }
                }
                const after = await manager.findOneByOrFail(WorkspaceReencryptionEntity, { organizationId, workspaceId });
                return { done: after.done, total: after.total };
            });
        } catch (error) {
            if (error instanceof Rollback) {
                return error.outcome === 'lease' ? 'lease' : { stale: await this.firstStale(organizationId, workspaceId, error.outcome.staleIn) };
            }
            throw error;
        }
    }

    /** After the rollback: the first entry of a refused chunk that is not at the version and key it names (to say which). */
    protected async firstStale(organizationId: OrganizationId, workspaceId: WorkspaceId, chunk: readonly ReencryptedManifestRecord[]): Promise<string> {
        const rows = await this.db.manager.find(WorkspaceManifestEntity, {
            select: { entryId: true, version: true, keyIndex: true }, where: { organizationId, workspaceId, entryId: In(chunk.map(entry => entry.entryId)) }
        });
        const stored = new Map(rows.map(row => [row.entryId, row]));
        return (chunk.find(entry => stored.get(entry.entryId)?.version !== entry.version || stored.get(entry.entryId)?.keyIndex !== entry.fromKeyIndex) ?? chunk[0]).entryId;
    }

    async finish(organizationId: OrganizationId, workspaceId: WorkspaceId, deviceId: DeviceId, keyIndex: number): Promise<number | 'lease'> {
        return this.db.withTransaction(async () => {
            const manager = this.db.manager;
            const query = manager.createQueryBuilder(WorkspaceReencryptionEntity, 'r').where({ organizationId, workspaceId });
            if (!this.db.isSqlite) {
                query.setLock('pessimistic_write');
            }
            const run = await query.getOne();
            if (run?.runnerDeviceId !== deviceId || run.keyIndex !== keyIndex) {
                return 'lease';
            }
            const left = await manager.countBy(WorkspaceManifestEntity, { organizationId, workspaceId, keyIndex: LessThan(keyIndex) });
            if (left > 0) {
                return left;
            }
            await manager.update(WorkspaceReencryptionEntity, { organizationId, workspaceId },
                { keyIndex: null, runnerUserId: null, runnerDeviceId: null, leaseUntil: null, startedOn: null, done: 0, total: 0 });
            return 0;
        });
    }

    async memberCertificates(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<MemberCertificates[]> {
        const out: MemberCertificates[] = [];
        for (const chunk of chunks(userIds)) {
            const users = await this.db.manager.findBy(UserEntity, { organizationId, userId: In(chunk) });
            const [certificates, revocations] = await Promise.all([
                this.db.manager.findBy(CertificateEntity, { organizationId, topic: COMMON_TOPIC, index: In(users.map(user => user.certificateIndex)) }),
                this.db.manager.find(CertificateEntity, { where: { organizationId, topic: COMMON_TOPIC, subject: In(chunk), kind: 'revoked_user' }, order: { index: 'ASC' } })
            ]);
            const byIndex = new Map(certificates.map(row => [row.index, row]));
            const revocationOf = new Map<string, CertificateEntity>();
            revocations.forEach(row => revocationOf.has(row.subject!) || revocationOf.set(row.subject!, row));
            for (const user of users) {
                const revocation = revocationOf.get(user.userId);
                out.push({
                    userId: user.userId, revoked: user.revokedOn !== null, userCertificate: byIndex.get(user.certificateIndex)!.redacted,
                    ...(user.createdByDevice ? { userAuthorDevice: user.createdByDevice } : {}),
                    ...(revocation ? { revocation: { certificate: revocation.signed, authorDevice: revocation.author! } } : {})
                });
            }
        }
        return out;
    }
}
