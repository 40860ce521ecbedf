import { randomBytes } from 'crypto';
import {
    commitmentMatches, decodeCertificate, fail, fromBase64Url, GREETING_STEP_AUTHORS, GREETING_STEP_PAYLOADS, GreetingCancelReason, greetingCancelText, GreetingState,
    GreetingStep, HostStepExtras, isAuthorOf, ok, OrganizationId, Outcome
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { EventBus } from '../common/event-bus';
import { Transactions } from '../common/transactions';
import { OrganizationService } from '../organization/organization-service';
import { attemptRef, GreetingAttempts } from './greeting-attempts';
import { InvitationRepository } from './invitation-repository';
import { InvitationService, ref } from './invitation-service';
import { AttemptRecord, ConnectionId, GreetingError, InvitationRecord, StepRecord, StoredStep } from './invitation-types';

type Result<T> = Promise<Outcome<T, GreetingError>>;
const refuse = (code: GreetingError['code'], message: string) => fail({ code, message });

/**
 * Who posts on an attempt: the host's device session, or the guest holding the token; each on
 * a connection, which holds that side of the attempt from its first request on (see
 * GreetingLiveness: a side whose connection closes for good ends the attempt).
 */
export type GreetingActor =
    | { readonly side: 'host'; readonly session: DeviceSession; readonly connection: ConnectionId }
    | { readonly side: 'guest'; readonly organizationId: OrganizationId; readonly token: string; readonly connection: ConnectionId };

/**
 * The SAS greeting of an invitation: attempts started by a host, steps posted by each side in
 * order and pushed to the other, ended by either side or the server with a reason both are
 * told; step 7 enrols the guest through the organization's rules.
 */
export class GreetingService {
    constructor(
        protected readonly repository: InvitationRepository,
        protected readonly transactions: Transactions,
        protected readonly invitations: InvitationService,
        protected readonly attempts: GreetingAttempts,
        protected readonly organizations: OrganizationService,
        protected readonly bus: EventBus
    ) { }

    /** Starts an attempt held by the host's `connection`; an active one (of any host) ends, replaced, and both its sides are told. */
    async start(session: DeviceSession, invitationId: string, now: number, connection: ConnectionId): Result<{ attemptId: string; guestOnline: boolean }> {
        for (let round = 0; round < 5; round++) {
            const invitation = await this.invitations.pendingFor(session, invitationId);
            if (!invitation.ok) { return invitation; }
            const attempt: AttemptRecord = {
                attemptId: randomBytes(16).toString('hex'), organizationId: session.organizationId, invitationId,
                hostUserId: session.userId, hostDeviceId: session.deviceId, startedOn: now, status: 'ACTIVE', hostConnection: connection
            };
            const previous = invitation.value.activeAttemptId;
            const moved = await this.transactions.withTransaction(async () => {
                if (!await this.repository.setActiveAttempt(invitationId, previous, attempt.attemptId)) {
                    return false;
                }
                await this.repository.insertAttempt(attempt);
                return true;
            });
            if (!moved) { continue; }
            if (previous) {
                await this.attempts.end(session.organizationId, previous, 'REPLACED', 'server', now);
            }
            this.bus.publish('greeting.started', { organizationId: session.organizationId, attempt: attemptRef(attempt), host: session.humanHandle });
            const online = await this.invitations.onlineGuests(session.organizationId);
            return ok({ attemptId: attempt.attemptId, guestOnline: online.has(invitationId) });
        }
        throw new Error(`Greeting attempts of ${invitationId} kept moving`);
    }

    /** The attempt an actor may act on, or why not. */
    protected async attemptFor(actor: GreetingActor, attemptId: string, allowEnded = false): Result<{ attempt: AttemptRecord; invitation: InvitationRecord }> {
        const organizationId = actor.side === 'host' ? actor.session.organizationId : actor.organizationId;
        const [attempt, guestFound] = await Promise.all([
            this.repository.getAttempt(organizationId, attemptId),
            actor.side === 'guest' ? this.invitations.guestInvitation(actor.organizationId, actor.token, true) : undefined
        ]);
        let invitation: InvitationRecord | undefined;
        if (actor.side === 'guest') {
            const found = guestFound!;
            if (!found.ok) { return found; }
            invitation = found.value;
            if (!attempt || attempt.invitationId !== invitation.invitationId) {
                return refuse('GREETING_ATTEMPT_NOT_FOUND', 'No such greeting for this invitation');
            }
        } else {
            // Another device (even of the same user) starts its own attempt instead.
            if (!attempt || attempt.hostDeviceId !== actor.session.deviceId) {
                return refuse('GREETING_ATTEMPT_NOT_FOUND', 'No such greeting on this device');
            }
            invitation = await this.repository.get(organizationId, attempt.invitationId);
            if (!invitation) {
                return refuse('GREETING_ATTEMPT_NOT_FOUND', 'No such greeting');
            }
        }
        if (!allowEnded && attempt.status !== 'ACTIVE') {
            const why = attempt.cancelReason ? greetingCancelText(attempt.cancelReason, attempt.cancelledBy ?? 'server') : 'It is complete';
            return refuse('GREETING_ATTEMPT_ENDED', `This greeting has ended: ${why}`);
        }
        return ok({ attempt, invitation });
    }

    /**
     * After an actor was found to own a side of an active attempt: an attempt nobody touched for
     * its lifetime ends here (whoever looks next), and the actor's connection holds its side from
     * now on (a side back on a new connection, on any instance, keeps the attempt alive).
     */
    protected async touch(actor: GreetingActor, attempt: AttemptRecord, steps: readonly StoredStep[], now: number): Promise<AttemptRecord> {
        if (attempt.status !== 'ACTIVE') {
            return attempt;
        }
        if (await this.attempts.expireIfIdle(attempt, now, steps)) {
            return await this.repository.getAttempt(attempt.organizationId, attempt.attemptId) ?? attempt;
        }
        const held = actor.side === 'host' ? attempt.hostConnection : attempt.guestConnection;
        if (held !== actor.connection) {
            await this.repository.holdAttempt(attempt.attemptId, actor.side, actor.connection);
        }
        return attempt;
    }

    async state(actor: GreetingActor, attemptId: string, now: number): Result<GreetingState> {
        const found = await this.attemptFor(actor, attemptId, true);
        if (!found.ok) { return found; }
        const { invitation } = found.value;
        const steps = await this.repository.steps(attemptId);
        const attempt = await this.touch(actor, found.value.attempt, steps, now);
        return ok({
            attemptId, invitationId: invitation.invitationId, kind: invitation.kind, status: attempt.status,
            steps: steps.map(({ step, side, payload }) => ({ step, side, payload })),
            ...(attempt.status === 'CANCELLED' ? { cancelled: { attemptId, reason: attempt.cancelReason ?? 'CANCELLED', by: attempt.cancelledBy ?? 'server' } } : {})
        });
    }

    async post(actor: GreetingActor, attemptId: string, step: number, payload: string, extras: HostStepExtras, now: number): Result<Record<string, never>> {
        // Read together: the steps are only used once the attempt is known to be this actor's.
        const [found, steps] = await Promise.all([this.attemptFor(actor, attemptId), this.repository.steps(attemptId)]);
        if (!found.ok) { return found; }
        const { invitation } = found.value;
        const attempt = await this.touch(actor, found.value.attempt, steps, now);
        if (attempt.status !== 'ACTIVE') {
            return refuse('GREETING_ATTEMPT_ENDED', `This greeting has ended: ${greetingCancelText(attempt.cancelReason ?? 'EXPIRED', attempt.cancelledBy ?? 'server')}`);
        }
        const side = actor.side;
        if (!isAuthorOf(side, step)) {
            return refuse('GREETING_STEP_NOT_YOURS', `Step ${step} is the ${side === 'host' ? 'guest' : 'host'}'s to post`);
        }
        if (!GREETING_STEP_PAYLOADS[step].safeParse(payload).success) {
            return refuse('BAD_PAYLOAD', `payload: not a valid payload for step ${step}`);
        }
        const same = steps.find(posted => posted.step === step && posted.side === side);
        if (same) {
            // A side that reconnects may post again what it posted: the same is fine, another is not.
            return same.payload === payload ? ok({}) : refuse('GREETING_STEP_PAYLOAD_CHANGED', `Step ${step} was posted already with another payload`);
        }
        for (let earlier = 0; earlier < step; earlier++) {
            const missing = GREETING_STEP_AUTHORS[earlier].find(author => !steps.some(posted => posted.step === earlier && posted.side === author));
            if (missing) {
                return refuse('GREETING_STEP_TOO_EARLY', `Step ${step} comes after step ${earlier} of the ${missing}`);
            }
        }
        if (step === GreetingStep.GUEST_NONCE) {
            const commitment = fromBase64Url(steps.find(posted => posted.step === GreetingStep.GUEST_COMMITMENT)!.payload)!;
            if (!commitmentMatches(commitment, fromBase64Url(payload)!)) {
                await this.attempts.end(attempt.organizationId, attemptId, 'COMMITMENT_MISMATCH', 'server', now);
                return refuse('GREETING_COMMITMENT_MISMATCH', 'The nonce does not match the commitment posted before: the greeting ended');
            }
        }
        if (step === GreetingStep.HOST_CONFIRMATION && actor.side === 'host') {
            const stored = await this.enrol(actor.session, attemptId, invitation, extras, { step, side, payload }, now);
            if (!stored.ok) { return stored; }
        } else if (!await this.repository.insertStep(attemptId, { step, side, payload }, now)) {
            return this.postedAlready(attemptId, { step, side, payload });
        }
        this.bus.publish('greeting.step', { organizationId: attempt.organizationId, attempt: attemptRef(attempt), step: { attemptId, step, side, payload } });
        if (step === GreetingStep.GUEST_ACK) {
            await this.repository.endAttempt(attemptId, 'COMPLETED', now);
        }
        return ok({});
    }

    /** A step this side posted before: the same payload is fine, another one is refused. */
    protected async postedAlready(attemptId: string, posted: StepRecord): Result<Record<string, never>> {
        const again = (await this.repository.steps(attemptId)).find(one => one.step === posted.step && one.side === posted.side);
        return again?.payload === posted.payload ? ok({}) : refuse('GREETING_STEP_PAYLOAD_CHANGED', `Step ${posted.step} was posted already with another payload`);
    }

    /**
     * Step 7: the new user (users.create rules) or the new device, the invitation used and the
     * step stored, in one transaction with the certificates: a cancel that commits first leaves no
     * user behind, and the loser of such a race is told why.
     */
    protected async enrol(session: DeviceSession, attemptId: string, invitation: InvitationRecord, extras: HostStepExtras, posted: StepRecord, now: number): Result<void> {
        if (invitation.status !== 'PENDING') {
            return refuse('INVITATION_NO_LONGER_VALID', 'This invitation is no longer valid');
        }
        const along = async (): Promise<Outcome<void, GreetingError>> => {
            if (!await this.repository.finish(invitation.invitationId, 'COMPLETED', now)) {
                return refuse('INVITATION_NO_LONGER_VALID', 'This invitation was cancelled meanwhile: nobody was added');
            }
            if (!await this.repository.insertStep(attemptId, posted, now)) {
                return refuse('GREETING_STEP_PAYLOAD_CHANGED', `Step ${posted.step} was posted already`);
            }
            return ok(undefined);
        };
        let added: Outcome<unknown, GreetingError>;
        if (invitation.kind === 'USER') {
            if (!extras.newUser || extras.newDevice) {
                return refuse('BAD_PAYLOAD', 'newUser: step 7 of a user invitation carries the new user\'s certificates');
            }
            const user = decodeCertificate(extras.newUser.user);
            if (!user.ok || user.value.content.kind !== 'user' || user.value.content.humanHandle?.email !== invitation.email) {
                return refuse('NOT_ALLOWED', `The new user must have the invited address ${invitation.email}`);
            }
            added = await this.organizations.addUser(session, extras.newUser, now, along);
        } else {
            if (!extras.newDevice || extras.newUser) {
                return refuse('BAD_PAYLOAD', 'newDevice: step 7 of a device invitation carries the new device\'s certificates');
            }
            added = await this.organizations.addDevice(session, extras.newDevice, now, along);
        }
        if (!added.ok) {
            return added;
        }
        this.bus.publish('invitations.changed', { organizationId: invitation.organizationId, invitation: ref(invitation) });
        return ok(undefined);
    }

    async cancelAttempt(actor: GreetingActor, attemptId: string, reason: GreetingCancelReason, now: number): Result<Record<string, never>> {
        const found = await this.attemptFor(actor, attemptId);
        if (!found.ok) { return found; }
        await this.attempts.end(found.value.attempt.organizationId, attemptId, reason, actor.side, now);
        return ok({});
    }
}
