import { IsNull } from 'typeorm';
import { GreetingCancelReason, GreetingSide, InvitationKind, InvitationStatus, OrganizationId, UserId, UserProfile } from '@vouch/protocol';
import { InvitationRepository } from '../invitation/invitation-repository';
import { AttemptRecord, AttemptStatus, ConnectionId, InvitationListRow, InvitationRecord, StepRecord, StoredStep, UserHandleRow } from '../invitation/invitation-types';
import { Database } from './database';
import { isUniqueViolation } from './db-errors';
import { GreetingAttemptEntity, GreetingStepEntity, InvitationEntity, UserEntity } from './entities';

function toInvitation(row: InvitationEntity): InvitationRecord {
    return {
        invitationId: row.invitationId, organizationId: row.organizationId, token: row.token, kind: row.kind as InvitationKind, email: row.email,
        ...(row.userId ? { userId: row.userId } : {}),
        ...(row.proposedName ? { proposedName: row.proposedName } : {}),
        ...(row.proposedProfile ? { proposedProfile: row.proposedProfile as UserProfile } : {}),
        createdByUser: row.createdByUser, createdByDevice: row.createdByDevice, createdOn: row.createdOn, status: row.status as InvitationStatus,
        ...(row.activeAttemptId ? { activeAttemptId: row.activeAttemptId } : {}),
        ...(row.emailError ? { emailError: row.emailError } : {})
    };
}

function toAttempt(row: GreetingAttemptEntity): AttemptRecord {
    return {
        attemptId: row.attemptId, organizationId: row.organizationId, invitationId: row.invitationId, hostUserId: row.hostUserId,
        hostDeviceId: row.hostDeviceId, startedOn: row.startedOn, status: row.status as AttemptStatus,
        ...(row.cancelReason ? { cancelReason: row.cancelReason as GreetingCancelReason } : {}),
        ...(row.cancelledBy ? { cancelledBy: row.cancelledBy as GreetingSide | 'server' } : {}),
        ...(row.hostConnection ? { hostConnection: row.hostConnection } : {}),
        ...(row.guestConnection ? { guestConnection: row.guestConnection } : {})
    };
}

const CONNECTION_COLUMN: Record<GreetingSide, 'host_connection' | 'guest_connection'> = { host: 'host_connection', guest: 'guest_connection' };

export class TypeormInvitationRepository implements InvitationRepository {
    constructor(protected readonly db: Database) { }

    async insertInvitation(invitation: InvitationRecord, pendingKey: string): Promise<boolean> {
        try {
            await this.db.withTransaction(() => this.db.manager.insert(InvitationEntity, {
                invitationId: invitation.invitationId, organizationId: invitation.organizationId, token: invitation.token, kind: invitation.kind,
                email: invitation.email, userId: invitation.userId ?? null, proposedName: invitation.proposedName ?? null, proposedProfile: invitation.proposedProfile ?? null,
                createdByUser: invitation.createdByUser, createdByDevice: invitation.createdByDevice, createdOn: invitation.createdOn,
                status: invitation.status, finishedOn: null, pendingKey, activeAttemptId: null, emailError: null
            }));
            return true;
        } catch (error) {
            if (isUniqueViolation(error)) {
                return false;
            }
            throw error;
        }
    }

    async findPending(pendingKey: string): Promise<InvitationRecord | undefined> {
        const row = await this.db.manager.findOneBy(InvitationEntity, { pendingKey });
        return row ? toInvitation(row) : undefined;
    }

    async get(organizationId: OrganizationId, invitationId: string): Promise<InvitationRecord | undefined> {
        const row = await this.db.manager.findOneBy(InvitationEntity, { organizationId, invitationId });
        return row ? toInvitation(row) : undefined;
    }

    async getByToken(organizationId: OrganizationId, token: string): Promise<InvitationRecord | undefined> {
        const row = await this.db.manager.findOneBy(InvitationEntity, { organizationId, token });
        return row ? toInvitation(row) : undefined;
    }

    async listPending(organizationId: OrganizationId, filter: { withUsers: boolean; deviceOf: UserId }): Promise<InvitationListRow[]> {
        const query = this.db.manager.createQueryBuilder(InvitationEntity, 'i')
            .leftJoin(UserEntity, 'u', 'u.organization_id = i.organization_id AND u.user_id = i.created_by_user')
            .select('i').addSelect('u.label', 'creator_label')
            .where('i.organization_id = :organizationId AND i.status = :status', { organizationId, status: 'PENDING' });
        if (filter.withUsers) {
            query.andWhere('(i.kind = :user OR i.user_id = :userId)', { user: 'USER', userId: filter.deviceOf });
        } else {
            query.andWhere('i.kind = :device AND i.user_id = :userId', { device: 'DEVICE', userId: filter.deviceOf });
        }
        const { entities, raw } = await query.orderBy('i.created_on', 'DESC').addOrderBy('i.invitation_id', 'ASC').limit(1000).getRawAndEntities();
        return entities.map((row, i) => ({ ...toInvitation(row), createdByLabel: (raw[i] as { creator_label?: string }).creator_label ?? '' }));
    }

    async finish(invitationId: string, status: 'COMPLETED' | 'CANCELLED', now: number): Promise<boolean> {
        const result = await this.db.standalone(() => this.db.manager.createQueryBuilder().update(InvitationEntity)
            .set({ status, finishedOn: now, pendingKey: null })
            .where('invitation_id = :invitationId AND status = :pending', { invitationId, pending: 'PENDING' })
            .execute());
        return result.affected === 1;
    }

    async setEmailError(invitationId: string, error: string | undefined): Promise<void> {
        await this.db.standalone(() => this.db.manager.update(InvitationEntity, { invitationId }, { emailError: error ?? null }));
    }

    async setActiveAttempt(invitationId: string, expected: string | undefined, attemptId: string): Promise<boolean> {
        const result = await this.db.standalone(() => this.db.manager.createQueryBuilder().update(InvitationEntity)
            .set({ activeAttemptId: attemptId })
            .where({ invitationId, status: 'PENDING', activeAttemptId: expected ?? IsNull() })
            .execute());
        return result.affected === 1;
    }

    async insertAttempt(attempt: AttemptRecord): Promise<void> {
        await this.db.standalone(() => this.db.manager.insert(GreetingAttemptEntity, {
            attemptId: attempt.attemptId, organizationId: attempt.organizationId, invitationId: attempt.invitationId, hostUserId: attempt.hostUserId,
            hostDeviceId: attempt.hostDeviceId, startedOn: attempt.startedOn, status: attempt.status, cancelReason: null, cancelledBy: null, endedOn: null,
            hostConnection: attempt.hostConnection ?? null, guestConnection: attempt.guestConnection ?? null
        }));
    }

    async getAttempt(organizationId: OrganizationId, attemptId: string): Promise<AttemptRecord | undefined> {
        const row = await this.db.manager.findOneBy(GreetingAttemptEntity, { organizationId, attemptId });
        return row ? toAttempt(row) : undefined;
    }

    async endAttempt(attemptId: string, status: Exclude<AttemptStatus, 'ACTIVE'>, now: number, reason?: string, by?: string,
        heldBy?: { side: GreetingSide; connection: ConnectionId }): Promise<boolean> {
        const result = await this.db.standalone(() => {
            const query = this.db.manager.createQueryBuilder().update(GreetingAttemptEntity)
                .set({ status, endedOn: now, cancelReason: reason ?? null, cancelledBy: by ?? null })
                .where('attempt_id = :attemptId AND status = :active', { attemptId, active: 'ACTIVE' });
            if (heldBy) {
                query.andWhere(`${CONNECTION_COLUMN[heldBy.side]} = :connection`, { connection: heldBy.connection });
            }
            return query.execute();
        });
        return result.affected === 1;
    }

    async holdAttempt(attemptId: string, side: GreetingSide, connection: ConnectionId): Promise<void> {
        await this.db.standalone(() => this.db.manager.createQueryBuilder().update(GreetingAttemptEntity)
            .set(side === 'host' ? { hostConnection: connection } : { guestConnection: connection })
            .where('attempt_id = :attemptId AND status = :active', { attemptId, active: 'ACTIVE' })
            .execute());
    }

    async idleAttempts(cutoff: number, limit: number): Promise<{ organizationId: OrganizationId; attemptId: string }[]> {
        const rows = await this.db.manager.createQueryBuilder(GreetingAttemptEntity, 'a')
            .select(['a.attempt_id AS attempt_id', 'a.organization_id AS organization_id'])
            .where('a.status = :active AND a.started_on < :cutoff', { active: 'ACTIVE', cutoff })
            .andWhere(query => `NOT EXISTS ${query.subQuery().select('1').from(GreetingStepEntity, 's')
                .where('s.attempt_id = a.attempt_id AND s.posted_on >= :cutoff').getQuery()}`)
            .orderBy('a.started_on', 'ASC').limit(limit)
            .getRawMany<{ attempt_id: string; organization_id: string }>();
        return rows.map(row => ({ organizationId: row.organization_id, attemptId: row.attempt_id }));
    }

    async lastStepOn(attemptId: string): Promise<number | undefined> {
        const row = await this.db.manager.createQueryBuilder(GreetingStepEntity, 's')
            .select('MAX(s.posted_on)', 'last').where('s.attempt_id = :attemptId', { attemptId })
            .getRawOne<{ last: string | number | null }>();
        return row?.last === null || row?.last === undefined ? undefined : Number(row.last);
    }

    async steps(attemptId: string): Promise<StoredStep[]> {
        const rows = await this.db.manager.find(GreetingStepEntity, { where: { attemptId }, order: { step: 'ASC', side: 'ASC' } });
        return rows.map(row => ({ step: row.step, side: row.side as GreetingSide, payload: row.payload, postedOn: row.postedOn }));
    }

    async insertStep(attemptId: string, step: StepRecord, now: number): Promise<boolean> {
        try {
            // One statement: autocommit is enough (no BEGIN/COMMIT round trips on the hot path), kept out
            // of other requests' transactions on SQLite's single connection.
            await this.db.standalone(() => this.db.manager.insert(GreetingStepEntity, { attemptId, step: step.step, side: step.side, payload: step.payload, postedOn: now }));
            return true;
        } catch (error) {
            if (isUniqueViolation(error)) {
                return false;
            }
            throw error;
        }
    }

    async administrators(organizationId: OrganizationId): Promise<UserHandleRow[]> {
        const rows = await this.db.manager.find(UserEntity, {
            where: { organizationId, profile: 'ADMINISTRATOR', revokedOn: IsNull() }, order: { sortLabel: 'ASC' }, take: 200
        });
        return rows.map(row => ({ userId: row.userId, humanHandle: { email: row.email, label: row.label } }));
    }

    async user(organizationId: OrganizationId, userId: UserId): Promise<(UserHandleRow & { revoked: boolean }) | undefined> {
        const row = await this.db.manager.findOneBy(UserEntity, { organizationId, userId });
        return row ? { userId: row.userId, humanHandle: { email: row.email, label: row.label }, revoked: row.revokedOn !== null } : undefined;
    }

    async hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean> {
        return await this.db.manager.countBy(UserEntity, { organizationId, email, revokedOn: IsNull() }) > 0;
    }
}
