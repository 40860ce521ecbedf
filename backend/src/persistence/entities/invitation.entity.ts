import { Column, Entity, PrimaryColumn } from 'typeorm';
import { msTransformer } from './columns';

/** An invitation: a user's (by email) or a device's (for an existing user). Tokens are the guest's secret. */
@Entity({ name: 'invitation' })
export class InvitationEntity {
    @PrimaryColumn({ name: 'invitation_id', type: 'varchar', length: 32 })
    invitationId!: string;

    @Column({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @Column({ type: 'varchar', length: 64 })
    token!: string;

    @Column({ type: 'varchar', length: 8 })
    kind!: string;

    @Column({ type: 'varchar', length: 254 })
    email!: string;

    /** The user a device invitation adds a device to. */
    @Column({ name: 'user_id', type: 'varchar', length: 32, nullable: true })
    userId!: string | null;

    /** The name the inviter gave, for the guest's name field. */
    @Column({ name: 'proposed_name', type: 'varchar', length: 128, nullable: true })
    proposedName!: string | null;

    @Column({ name: 'proposed_profile', type: 'varchar', length: 16, nullable: true })
    proposedProfile!: string | null;

    @Column({ name: 'created_by_user', type: 'varchar', length: 32 })
    createdByUser!: string;

    @Column({ name: 'created_by_device', type: 'varchar', length: 32 })
    createdByDevice!: string;

    @Column({ name: 'created_on', type: 'bigint', transformer: msTransformer })
    createdOn!: number;

    @Column({ type: 'varchar', length: 16 })
    status!: string;

    @Column({ name: 'finished_on', type: 'bigint', nullable: true, transformer: msTransformer })
    finishedOn!: number | null;

    /** Set while pending (unique), null after: one pending invitation per address or user. */
    @Column({ name: 'pending_key', type: 'varchar', length: 300, nullable: true })
    pendingKey!: string | null;

    @Column({ name: 'active_attempt_id', type: 'varchar', length: 32, nullable: true })
    activeAttemptId!: string | null;

    @Column({ name: 'email_error', type: 'varchar', length: 500, nullable: true })
    emailError!: string | null;
}

@Entity({ name: 'greeting_attempt' })
export class GreetingAttemptEntity {
    @PrimaryColumn({ name: 'attempt_id', type: 'varchar', length: 32 })
    attemptId!: string;

    @Column({ name: 'organization_id', type: 'varchar', length: 32 })
    organizationId!: string;

    @Column({ name: 'invitation_id', type: 'varchar', length: 32 })
    invitationId!: string;

    @Column({ name: 'host_user_id', type: 'varchar', length: 32 })
    hostUserId!: string;

    @Column({ name: 'host_device_id', type: 'varchar', length: 32 })
    hostDeviceId!: string;

    @Column({ name: 'started_on', type: 'bigint', transformer: msTransformer })
    startedOn!: number;

    @Column({ type: 'varchar', length: 16 })
    status!: string;

    @Column({ name: 'cancel_reason', type: 'varchar', length: 32, nullable: true })
    cancelReason!: string | null;

    @Column({ name: 'cancelled_by', type: 'varchar', length: 8, nullable: true })
    cancelledBy!: string | null;

    @Column({ name: 'ended_on', type: 'bigint', nullable: true, transformer: msTransformer })
    endedOn!: number | null;

    /** The connection (socket id) that holds the host's side while the attempt is active. */
    @Column({ name: 'host_connection', type: 'varchar', length: 32, nullable: true })
    hostConnection!: string | null;

    @Column({ name: 'guest_connection', type: 'varchar', length: 32, nullable: true })
    guestConnection!: string | null;
}

@Entity({ name: 'greeting_step' })
export class GreetingStepEntity {
    @PrimaryColumn({ name: 'attempt_id', type: 'varchar', length: 32 })
    attemptId!: string;

    @PrimaryColumn({ type: 'int' })
    step!: number;

    @PrimaryColumn({ type: 'varchar', length: 8 })
    side!: string;

    @Column({ type: 'text' })
    payload!: string;

    @Column({ name: 'posted_on', type: 'bigint', transformer: msTransformer })
    postedOn!: number;
}
