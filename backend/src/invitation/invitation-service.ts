import { randomBytes } from 'crypto';
import {
    buildInvitationLink, ClaimedInvitation, commitmentMatches, decodeCertificate, fail, fromBase64Url, GREETING_STEP_AUTHORS, GREETING_STEP_PAYLOADS, GreetingCancelReason,
    greetingCancelText, GreetingSide, GreetingState, GreetingStep, GreetingStepEvent, HostStepExtras, HumanHandle, InvitationKind, InvitationSummary,
    InviteResult, isAuthorOf, ok, OrganizationId, Outcome, UserId, UserProfile
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { ServerLogger, silentLogger } from '../common/server-logger';
import { Transactions } from '../common/transactions';
import { OrganizationService } from '../organization/organization-service';
import { composeInvitationMail, InvitationMailer } from './invitation-mailer';
import { InvitationRepository } from './invitation-repository';
import { AttemptRecord, InvitationError, InvitationRecord, pendingKey } from './invitation-types';

/** What the transport does for invitations: push to the right rooms, tell who is online. */
export interface InvitationEvents {
    invitationsChanged(organizationId: OrganizationId, invitation: Pick<InvitationRecord, 'invitationId' | 'kind' | 'userId'>): void;
    guestWaiting(organizationId: OrganizationId, invitation: Pick<InvitationRecord, 'invitationId' | 'kind' | 'userId' | 'email'>): void;
    greetingStarted(organizationId: OrganizationId, invitationId: string, attemptId: string, host: HumanHandle): void;
    invitationEnded(organizationId: OrganizationId, invitationId: string, status: 'CANCELLED' | 'COMPLETED'): void;
    greetingStep(organizationId: OrganizationId, attempt: AttemptRecord, event: GreetingStepEvent): void;
    greetingCancelled(organizationId: OrganizationId, attempt: AttemptRecord, reason: GreetingCancelReason, by: GreetingSide | 'server'): void;
    onlineGuests(organizationId: OrganizationId): Promise<Set<string>>;
    onlineUsers(organizationId: OrganizationId): Promise<Set<UserId>>;
}

/** Filled in once the server listens (mailer from config, links from the public URL, events from the transport). */
export class InvitationEnvironment {
    mailer?: InvitationMailer;
    events?: InvitationEvents;
    publicUrl: () => string = () => 'http://127.0.0.1';
    logger: ServerLogger = silentLogger;
}

type Result<T> = Promise<Outcome<T, InvitationError>>;
const refuse = (code: InvitationError['code'], message: string) => fail({ code, message });

/** Who posts on an attempt: the host's device session, or the guest holding the token. */
export type GreetingActor =
    | { readonly side: 'host'; readonly session: DeviceSession }
    | { readonly side: 'guest'; readonly organizationId: OrganizationId; readonly token: string };

export class InvitationService {
    constructor(
        protected readonly repository: InvitationRepository,
        protected readonly transactions: Transactions,
        protected readonly organizations: OrganizationService,
        protected readonly env: InvitationEnvironment
    ) { }

    // ---- invitations -----------------------------------------------------------------

    /** Administrators invite addresses; each gets its own outcome (created, existing, refused), and its email after the commit. */
    async inviteUsers(session: DeviceSession, invitees: readonly { email: string; profile?: UserProfile }[], sendEmail: boolean, now: number): Promise<InviteResult[]> {
        const results: InviteResult[] = [];
        const seen = new Set<string>();
        for (const invitee of invitees) {
            const email = invitee.email.trim().toLowerCase();
            if (seen.has(email)) { continue; }
            seen.add(email);
            if (await this.repository.hasActiveUserWithEmail(session.organizationId, email)) {
                results.push({ email, outcome: 'refused', error: `${email} is already a member of ${session.organizationId}` });
                continue;
            }
            const created = await this.create(session, 'USER', email, undefined, invitee.profile, now);
            results.push(await this.afterCreate(session, created, sendEmail));
        }
        return results;
    }

    /** Anyone adds a device for themselves: the invitation goes to their own address. */
    async inviteDevice(session: DeviceSession, sendEmail: boolean, now: number): Promise<InviteResult> {
        const created = await this.create(session, 'DEVICE', session.humanHandle.email, session.userId, undefined, now);
        return this.afterCreate(session, created, sendEmail);
    }

    protected async create(session: DeviceSession, kind: InvitationKind, email: string, userId: UserId | undefined, profile: UserProfile | undefined, now: number):
        Promise<{ invitation: InvitationRecord; existing: boolean }> {
        const key = pendingKey(session.organizationId, kind, kind === 'USER' ? email : userId!);
        // Bounded: a pending invitation that ends between our insert and our read is rare; retry a couple of times.
        for (let attempt = 0; attempt < 3; attempt++) {
            const invitation: InvitationRecord = {
                invitationId: randomBytes(16).toString('hex'), organizationId: session.organizationId,
                // 128 bits: guessing a token is the only way to claim someone else's invitation.
                token: randomBytes(16).toString('base64url'), kind, email, userId, proposedProfile: profile,
                createdByUser: session.userId, createdByDevice: session.deviceId, createdOn: now, status: 'PENDING'
            };
            if (await this.repository.insertInvitation(invitation, key)) {
                this.env.events?.invitationsChanged(session.organizationId, invitation);
                return { invitation, existing: false };
            }
            const existing = await this.repository.findPending(key);
            if (existing) {
                return { invitation: existing, existing: true };
            }
        }
        throw new Error(`Could not create or find the pending invitation of ${email}`);
    }

    protected async afterCreate(session: DeviceSession, created: { invitation: InvitationRecord; existing: boolean }, sendEmail: boolean): Promise<InviteResult> {
        const sent = sendEmail ? await this.sendEmail(created.invitation, session.humanHandle) : undefined;
        const online = await this.onlineGuests(session.organizationId);
        return {
            email: created.invitation.email,
            outcome: created.existing ? 'existing' : 'created',
            invitation: this.summary({ ...created.invitation, emailError: sent?.error, createdByLabel: session.humanHandle.label }, online),
            ...(sent ? { emailSent: sent.sent, ...(sent.error ? { emailError: sent.error } : {}) } : {})
        };
    }

    /** Sent after the commit; a failure is reported and stored on the invitation, which survives. */
    protected async sendEmail(invitation: InvitationRecord, host: HumanHandle): Promise<{ sent: boolean; error?: string }> {
        const mailer = this.env.mailer;
        if (!mailer) {
            return { sent: false, error: 'No mail transport is configured' };
        }
        const mail = composeInvitationMail(invitation.kind, invitation.email, host, invitation.organizationId, this.link(invitation));
        try {
            await mailer.send(mail);
            if (invitation.emailError) {
                await this.repository.setEmailError(invitation.invitationId, undefined);
            }
            return { sent: true };
        } catch (error) {
            const message = `The email to ${invitation.email} could not be sent: ${error instanceof Error ? error.message : String(error)}`.slice(0, 480);
            this.env.logger.warn(message);
            await this.repository.setEmailError(invitation.invitationId, message);
            return { sent: false, error: message };
        }
    }

    link(invitation: Pick<InvitationRecord, 'organizationId' | 'token'>): string {
        return buildInvitationLink(this.env.publicUrl(), invitation.organizationId, invitation.token);
    }

    protected summary(row: InvitationRecord & { createdByLabel: string }, online: Set<string>): InvitationSummary {
        return {
            invitationId: row.invitationId, kind: row.kind, email: row.email,
            ...(row.proposedProfile ? { proposedProfile: row.proposedProfile } : {}),
            createdBy: { userId: row.createdByUser, label: row.createdByLabel },
            createdOn: new Date(row.createdOn).toISOString(),
            guestOnline: online.has(row.invitationId),
            link: this.link(row),
            ...(row.emailError ? { emailError: row.emailError } : {})
        };
    }

    protected async onlineGuests(organizationId: OrganizationId): Promise<Set<string>> {
        return await this.env.events?.onlineGuests(organizationId) ?? new Set();
    }

    async list(session: DeviceSession): Promise<InvitationSummary[]> {
        const rows = await this.repository.listPending(session.organizationId, { withUsers: session.profile === 'ADMINISTRATOR', deviceOf: session.userId });
        const online = await this.onlineGuests(session.organizationId);
        return rows.map(row => this.summary(row, online));
    }

    /** Administrators act on user invitations; a user on the invitations of their own devices. */
    protected mayHandle(session: DeviceSession, invitation: InvitationRecord): boolean {
        return invitation.kind === 'USER' ? session.profile === 'ADMINISTRATOR' : invitation.userId === session.userId;
    }

    protected async pendingFor(session: DeviceSession, invitationId: string): Result<InvitationRecord> {
        const invitation = await this.repository.get(session.organizationId, invitationId);
        if (!invitation || !this.mayHandle(session, invitation)) {
            return refuse('INVITATION_NOT_FOUND', 'No such invitation');
        }
        if (invitation.status !== 'PENDING') {
            return refuse('INVITATION_NO_LONGER_VALID', `This invitation is no longer valid: it was ${invitation.status === 'COMPLETED' ? 'used' : 'cancelled'}`);
        }
        return ok(invitation);
    }

    async cancel(session: DeviceSession, invitationId: string, now: number): Result<Record<string, never>> {
        const invitation = await this.pendingFor(session, invitationId);
        if (!invitation.ok) { return invitation; }
        if (!await this.repository.finish(invitationId, 'CANCELLED', now)) {
            return refuse('INVITATION_NO_LONGER_VALID', 'This invitation is no longer valid');
        }
        if (invitation.value.activeAttemptId) {
            await this.endAttempt(invitation.value.organizationId, invitation.value.activeAttemptId, 'INVITATION_CANCELLED', 'server', now);
        }
        this.env.events?.invitationsChanged(session.organizationId, invitation.value);
        this.env.events?.invitationEnded(session.organizationId, invitationId, 'CANCELLED');
        return ok({});
    }

    async resend(session: DeviceSession, invitationId: string): Result<{ emailSent: boolean; emailError?: string }> {
        const invitation = await this.pendingFor(session, invitationId);
        if (!invitation.ok) { return invitation; }
        const sent = await this.sendEmail(invitation.value, session.humanHandle);
        this.env.events?.invitationsChanged(session.organizationId, invitation.value);
        return ok({ emailSent: sent.sent, ...(sent.error ? { emailError: sent.error } : {}) });
    }

    // ---- the guest -------------------------------------------------------------------

    protected async guestInvitation(organizationId: OrganizationId, token: string, allowCompleted = false): Result<InvitationRecord> {
        const invitation = await this.repository.getByToken(organizationId, token);
        if (!invitation) {
            return refuse('INVITATION_NOT_FOUND', 'This invitation link is not valid: ask for a new one');
        }
        if (invitation.status === 'CANCELLED' || (invitation.status === 'COMPLETED' && !allowCompleted)) {
            return refuse('INVITATION_NO_LONGER_VALID', `This invitation is no longer valid: it was ${invitation.status === 'COMPLETED' ? 'used already' : 'cancelled'}`);
        }
        return ok(invitation);
    }

    async claim(organizationId: OrganizationId, token: string): Result<{ claimed: ClaimedInvitation; invitation: InvitationRecord }> {
        const found = await this.guestInvitation(organizationId, token);
        if (!found.ok) { return found; }
        const invitation = found.value;
        const online = await this.env.events?.onlineUsers(organizationId) ?? new Set<UserId>();
        const people = invitation.kind === 'USER'
            ? await this.repository.administrators(organizationId)
            : [await this.repository.user(organizationId, invitation.userId!)].filter(user => user !== undefined && !user.revoked).map(user => user!);
        let activeGreeting: ClaimedInvitation['activeGreeting'];
        if (invitation.activeAttemptId) {
            const attempt = await this.repository.getAttempt(organizationId, invitation.activeAttemptId);
            const host = attempt?.status === 'ACTIVE' ? await this.repository.user(organizationId, attempt.hostUserId) : undefined;
            if (attempt && host) {
                activeGreeting = { attemptId: attempt.attemptId, host: host.humanHandle };
            }
        }
        return ok({
            invitation,
            claimed: {
                invitationId: invitation.invitationId, kind: invitation.kind, organizationId, email: invitation.email,
                greeters: people.map(person => ({ userId: person.userId, humanHandle: person.humanHandle, online: online.has(person.userId) })),
                ...(activeGreeting ? { activeGreeting } : {})
            }
        });
    }

    /** The transport tells when a claimed guest's connection comes or goes. */
    guestArrived(invitation: InvitationRecord): void {
        this.env.events?.guestWaiting(invitation.organizationId, invitation);
        this.env.events?.invitationsChanged(invitation.organizationId, invitation);
    }

    guestLeft(invitation: InvitationRecord): void {
        this.env.events?.invitationsChanged(invitation.organizationId, invitation);
    }

    // ---- greeting attempts -----------------------------------------------------------

    /** Starts an attempt; an active one (of any host) ends, replaced, and both its sides are told. */
    async start(session: DeviceSession, invitationId: string, now: number): Result<{ attemptId: string; guestOnline: boolean }> {
        for (let round = 0; round < 5; round++) {
            const invitation = await this.pendingFor(session, invitationId);
            if (!invitation.ok) { return invitation; }
            const attempt: AttemptRecord = {
                attemptId: randomBytes(16).toString('hex'), organizationId: session.organizationId, invitationId,
                hostUserId: session.userId, hostDeviceId: session.deviceId, startedOn: now, status: 'ACTIVE'
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
                await this.endAttempt(session.organizationId, previous, 'REPLACED', 'server', now);
            }
            this.env.events?.greetingStarted(session.organizationId, invitationId, attempt.attemptId, session.humanHandle);
            const online = await this.onlineGuests(session.organizationId);
            return ok({ attemptId: attempt.attemptId, guestOnline: online.has(invitationId) });
        }
        throw new Error(`Greeting attempts of ${invitationId} kept moving`);
    }

    /** The attempt an actor may act on, or why not. */
    protected async attemptFor(actor: GreetingActor, attemptId: string, allowEnded = false): Result<{ attempt: AttemptRecord; invitation: InvitationRecord }> {
        const organizationId = actor.side === 'host' ? actor.session.organizationId : actor.organizationId;
        const [attempt, guestFound] = await Promise.all([
            this.repository.getAttempt(organizationId, attemptId),
            actor.side === 'guest' ? this.guestInvitation(actor.organizationId, actor.token, true) : undefined
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

    async state(actor: GreetingActor, attemptId: string): Result<GreetingState> {
        const found = await this.attemptFor(actor, attemptId, true);
        if (!found.ok) { return found; }
        const { attempt, invitation } = found.value;
        const steps = await this.repository.steps(attemptId);
        return ok({
            attemptId, invitationId: invitation.invitationId, kind: invitation.kind, status: attempt.status, steps,
            ...(attempt.status === 'CANCELLED' ? { cancelled: { attemptId, reason: attempt.cancelReason ?? 'CANCELLED', by: attempt.cancelledBy ?? 'server' } } : {})
        });
    }

    async post(actor: GreetingActor, attemptId: string, step: number, payload: string, extras: HostStepExtras, now: number): Result<Record<string, never>> {
        // Read together: the steps are only used once the attempt is known to be this actor's.
        const [found, steps] = await Promise.all([this.attemptFor(actor, attemptId), this.repository.steps(attemptId)]);
        if (!found.ok) { return found; }
        const { attempt, invitation } = found.value;
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
                await this.endAttempt(attempt.organizationId, attemptId, 'COMMITMENT_MISMATCH', 'server', now);
                return refuse('GREETING_COMMITMENT_MISMATCH', 'The nonce does not match the commitment posted before: the greeting ended');
            }
        }
        if (step === GreetingStep.HOST_CONFIRMATION && actor.side === 'host') {
            const stored = await this.storeEnrolment(actor.session, invitation, extras, now);
            if (!stored.ok) { return stored; }
        }
        if (!await this.repository.insertStep(attemptId, { step, side, payload }, now)) {
            const again = (await this.repository.steps(attemptId)).find(posted => posted.step === step && posted.side === side);
            return again?.payload === payload ? ok({}) : refuse('GREETING_STEP_PAYLOAD_CHANGED', `Step ${step} was posted already with another payload`);
        }
        this.env.events?.greetingStep(attempt.organizationId, attempt, { attemptId, step, side, payload });
        if (step === GreetingStep.GUEST_ACK) {
            await this.repository.endAttempt(attemptId, 'COMPLETED', now);
        }
        return ok({});
    }

    /** Step 7: the new user (users.create rules) or the new device, then the invitation is used. */
    protected async storeEnrolment(session: DeviceSession, invitation: InvitationRecord, extras: HostStepExtras, now: number): Result<void> {
        if (invitation.status !== 'PENDING') {
            return refuse('INVITATION_NO_LONGER_VALID', 'This invitation is no longer valid');
        }
        if (invitation.kind === 'USER') {
            if (!extras.newUser || extras.newDevice) {
                return refuse('BAD_PAYLOAD', 'newUser: step 7 of a user invitation carries the new user\'s certificates');
            }
            const user = decodeCertificate(extras.newUser.user);
            if (!user.ok || user.value.content.kind !== 'user' || user.value.content.humanHandle?.email !== invitation.email) {
                return refuse('NOT_ALLOWED', `The new user must have the invited address ${invitation.email}`);
            }
            const added = await this.organizations.addUser(session, extras.newUser, now);
            if (!added.ok) { return fail({ code: added.error.code as InvitationError['code'], message: added.error.message }); }
        } else {
            if (!extras.newDevice || extras.newUser) {
                return refuse('BAD_PAYLOAD', 'newDevice: step 7 of a device invitation carries the new device\'s certificates');
            }
            const added = await this.organizations.addDevice(session, extras.newDevice, now);
            if (!added.ok) { return fail({ code: added.error.code as InvitationError['code'], message: added.error.message }); }
        }
        await this.repository.finish(invitation.invitationId, 'COMPLETED', now);
        this.env.events?.invitationsChanged(invitation.organizationId, invitation);
        return ok(undefined);
    }

    async cancelAttempt(actor: GreetingActor, attemptId: string, reason: GreetingCancelReason, now: number): Result<Record<string, never>> {
        const found = await this.attemptFor(actor, attemptId);
        if (!found.ok) { return found; }
        await this.endAttempt(found.value.attempt.organizationId, attemptId, reason, actor.side, now);
        return ok({});
    }

    protected async endAttempt(organizationId: OrganizationId, attemptId: string, reason: GreetingCancelReason, by: GreetingSide | 'server', now: number): Promise<void> {
        if (await this.repository.endAttempt(attemptId, 'CANCELLED', now, reason, by)) {
            const attempt = await this.repository.getAttempt(organizationId, attemptId);
            if (attempt) {
                this.env.events?.greetingCancelled(organizationId, attempt, reason, by);
            }
        }
    }
}
