import { IsNull, LessThan, Not } from 'typeorm';
import { OrganizationId, UserId } from '@vouch/protocol';
import { JoinRequestsRepository } from '../join-requests/join-requests-repository';
import { JoinAttempt, JoinRequestRecord, StoredAcceptance, StoredJoinState } from '../join-requests/join-requests-types';
import { Database } from './database';
import { isUniqueViolation } from './db-errors';
import { JoinAttemptEntity, JoinRequestEntity, JoinUsedAssertionEntity, OrganizationEntity, UserEntity } from './entities';

function toRecord(row: JoinRequestEntity): JoinRequestRecord {
    return {
        organizationId: row.organizationId,
        requestId: row.requestId,
        method: row.method as JoinRequestRecord['method'],
        state: row.state as StoredJoinState,
        email: row.email,
        claimHash: row.claimHash,
        payload: JSON.parse(row.payload),
        identity: JSON.parse(row.identity),
        ...(row.proof ? { proof: JSON.parse(row.proof) } : {}),
        createdOn: row.createdOn,
        ...(row.decidedOn !== null ? { decidedOn: row.decidedOn } : {}),
        ...(row.decidedBy !== null ? { decidedBy: row.decidedBy } : {}),
        ...(row.acceptance ? { acceptance: JSON.parse(row.acceptance) as StoredAcceptance } : {})
    };
}

function toAttempt(row: JoinAttemptEntity): JoinAttempt {
    return {
        id: row.id, organizationId: row.organizationId, method: row.method as JoinAttempt['method'],
        payload: JSON.parse(row.payload), ...(row.secret !== null ? { secret: row.secret } : {}), expiresOn: row.expiresOn
    };
}

export class TypeormJoinRequestsRepository implements JoinRequestsRepository {
    constructor(protected readonly db: Database) { }

    async organizationBootstrapped(organizationId: OrganizationId): Promise<boolean> {
        return await this.db.manager.countBy(OrganizationEntity, { id: organizationId, bootstrappedOn: Not(IsNull()) }) > 0;
    }

    async hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean> {
        return await this.db.manager.countBy(UserEntity, { organizationId, email, revokedOn: IsNull() }) > 0;
    }

    async insertPending(record: JoinRequestRecord, replace: boolean, now: number): Promise<'inserted' | 'pending-exists' | 'claim-reused'> {
        try {
            await this.db.withTransaction(async () => {
                if (replace) {
                    await this.db.manager.update(JoinRequestEntity,
                        { organizationId: record.organizationId, openEmail: record.email, state: 'pending' },
                        { state: 'replaced', openEmail: null, decidedOn: now });
                }
                await this.db.manager.insert(JoinRequestEntity, {
                    organizationId: record.organizationId, requestId: record.requestId, method: record.method, state: 'pending',
                    email: record.email, openEmail: record.email, claimHash: record.claimHash,
                    payload: JSON.stringify(record.payload), identity: JSON.stringify(record.identity),
                    proof: record.proof ? JSON.stringify(record.proof) : null,
                    createdOn: record.createdOn, decidedOn: null, decidedBy: null, acceptance: null
                });
            });
            return 'inserted';
        } catch (error) {
            if (!isUniqueViolation(error)) {
                throw error;
            }
            const sameClaim = await this.db.manager.countBy(JoinRequestEntity, { organizationId: record.organizationId, claimHash: record.claimHash });
            return sameClaim > 0 ? 'claim-reused' : 'pending-exists';
        }
    }

    async findByClaim(organizationId: OrganizationId, claimHash: string): Promise<JoinRequestRecord | undefined> {
        const row = await this.db.manager.findOneBy(JoinRequestEntity, { organizationId, claimHash });
        return row ? toRecord(row) : undefined;
    }

    async find(organizationId: OrganizationId, requestId: string): Promise<JoinRequestRecord | undefined> {
        const row = await this.db.manager.findOneBy(JoinRequestEntity, { organizationId, requestId });
        return row ? toRecord(row) : undefined;
    }

    async listOpen(organizationId: OrganizationId): Promise<JoinRequestRecord[]> {
        const rows = await this.db.manager.find(JoinRequestEntity, { where: { organizationId, state: 'pending' }, order: { createdOn: 'ASC', requestId: 'ASC' }, take: 500 });
        return rows.map(toRecord);
    }

    async accept(organizationId: OrganizationId, requestId: string, acceptance: StoredAcceptance, by: UserId, now: number): Promise<boolean> {
        // A conditional UPDATE: the database lets exactly one of concurrent callers change the row.
        const result = await this.db.withTransaction(() => this.db.manager.update(JoinRequestEntity,
            { organizationId, requestId, state: 'pending' },
            { state: 'accepted', openEmail: null, decidedOn: now, decidedBy: by, acceptance: JSON.stringify(acceptance) }));
        return result.affected === 1;
    }

    async decide(organizationId: OrganizationId, requestId: string, state: 'rejected' | 'cancelled', by: UserId | undefined, now: number): Promise<boolean> {
        const result = await this.db.withTransaction(() => this.db.manager.update(JoinRequestEntity,
            { organizationId, requestId, state: 'pending' }, { state, openEmail: null, decidedOn: now, decidedBy: by ?? null }));
        return result.affected === 1;
    }

    async saveAttempt(attempt: JoinAttempt): Promise<void> {
        await this.db.withTransaction(async () => {
            await this.db.manager.delete(JoinAttemptEntity, { expiresOn: LessThan(attempt.expiresOn - 3600_000) });
            // An id names its payload (SAML derives it from the payload): beginning the same request again
            // (a second tab, a double click) renews the attempt instead of colliding with it.
            await this.db.manager.upsert(JoinAttemptEntity, {
                id: attempt.id, organizationId: attempt.organizationId, method: attempt.method,
                payload: JSON.stringify(attempt.payload), secret: attempt.secret ?? null, expiresOn: attempt.expiresOn
            }, ['id']);
        });
    }

    async findAttempt(id: string, now: number): Promise<JoinAttempt | undefined> {
        const row = await this.db.manager.findOneBy(JoinAttemptEntity, { id });
        return row && row.expiresOn >= now ? toAttempt(row) : undefined;
    }

    async takeAttempt(id: string, now: number): Promise<JoinAttempt | undefined> {
        const row = await this.db.manager.findOneBy(JoinAttemptEntity, { id });
        if (!row) {
            return undefined;
        }
        // Whoever deletes the row owns the attempt: a replayed answer finds nothing.
        const deleted = await this.db.withTransaction(() => this.db.manager.delete(JoinAttemptEntity, { id }));
        if (deleted.affected !== 1 || row.expiresOn < now) {
            return undefined;
        }
        return toAttempt(row);
    }

    async recordUsedAssertion(id: string, expiresOn: number): Promise<boolean> {
        try {
            await this.db.withTransaction(async () => {
                await this.db.manager.delete(JoinUsedAssertionEntity, { expiresOn: LessThan(expiresOn - 24 * 3600_000) });
                await this.db.manager.insert(JoinUsedAssertionEntity, { id, expiresOn });
            });
            return true;
        } catch (error) {
            if (isUniqueViolation(error)) {
                return false;
            }
            throw error;
        }
    }
}
