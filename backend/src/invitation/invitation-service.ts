import { randomBytes } from 'crypto';
import {
    buildInvitationLink, ClaimedInvitation, fail, HumanHandle, InvitationKind, InvitationSummary, InviteResult, MailDelivery, ok, OrganizationId, Outcome, UserId,
    UserProfile
} from '@vouch/protocol';
import { DeviceSession, StandingReader } from '../authentication/authentication-types';
import { EventBus } from '../common/event-bus';
import { ServerLogger } from '../common/server-logger';
import { GreetingAttempts } from './greeting-attempts';
import { composeInvitationMail, InvitationMailer } from './invitation-mailer';
import { InvitationRepository } from './invitation-repository';
import { InvitationError, InvitationRecord, pendingKey } from './invitation-types';

/** Who is online, read from the transport's rooms (across instances). */
export interface InvitationPresence {
    onlineGuests(organizationId: OrganizationId): Promise<Set<string>>;
    onlineUsers(organizationId: OrganizationId): Promise<Set<UserId>>;
}

export const NO_PRESENCE: InvitationPresence = {
    onlineGuests: async () => new Set(),
    onlineUsers: async () => new Set()
};

/** What invitations need around them: where mail goes, the links' base, who is online. */
export interface InvitationEnvironment {
    /** Absent: nothing can be sent (the CLI). */
    readonly mailer?: InvitationMailer;
    readonly publicUrl: () => string;
    readonly presence: InvitationPresence;
    readonly logger: ServerLogger;
}

type Result<T> = Promise<Outcome<T, InvitationError>>;

/** An address to invite, with what the inviter proposes for it. */
export interface Invitee {
    readonly email: string;
    readonly name?: string;
    readonly profile?: UserProfile;
}
const refuse = (code: InvitationError['code'], message: string) => fail({ code, message });

/**
 * Invitations: Administrators invite addresses, anyone invites a device of their own; the email
 * leaves after the commit; a guest holding the token claims it. The greeting that follows is
 * `GreetingService`'s.
 */
export class InvitationService {
    constructor(
        protected readonly repository: InvitationRepository,
        protected readonly attempts: GreetingAttempts,
        protected readonly standing: StandingReader,
        protected readonly bus: EventBus,
        protected readonly env: InvitationEnvironment
    ) { }

    /** Administrators invite addresses; each gets its own outcome (created, existing, refused), and its email after the commit. */
    async inviteUsers(session: DeviceSession, invitees: readonly Invitee[], sendEmail: boolean, now: number): Result<InviteResult[]> {
        // The rights were checked against the session as it was when the request arrived: look again.
        if (!await this.isAdministrator(session)) {
            return refuse('NOT_ALLOWED', 'Only Administrators may invite users');
        }
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
            const created = await this.create(session, 'USER', email, undefined, { name: invitee.name?.trim() || undefined, profile: invitee.profile }, now);
            results.push(await this.afterCreate(session, created, sendEmail));
        }
        return ok(results);
    }

    /** Anyone adds a device for themselves: the invitation goes to their own address. */
    async inviteDevice(session: DeviceSession, sendEmail: boolean, now: number): Promise<InviteResult> {
        const created = await this.create(session, 'DEVICE', session.humanHandle.email, session.userId, {}, now);
        return this.afterCreate(session, created, sendEmail);
    }

    protected async create(session: DeviceSession, kind: InvitationKind, email: string, userId: UserId | undefined,
        proposed: { name?: string; profile?: UserProfile }, now: number):
        Promise<{ invitation: InvitationRecord; existing: boolean }> {
        const key = pendingKey(session.organizationId, kind, kind === 'USER' ? email : userId!);
        // Bounded: a pending invitation that ends between our insert and our read is rare; retry a couple of times.
        for (let attempt = 0; attempt < 3; attempt++) {
            const invitation: InvitationRecord = {
                invitationId: randomBytes(16).toString('hex'), organizationId: session.organizationId,
                // 128 bits: guessing a token is the only way to claim someone else's invitation.
                token: randomBytes(16).toString('base64url'), kind, email, userId, proposedName: proposed.name, proposedProfile: proposed.profile,
                createdByUser: session.userId, createdByDevice: session.deviceId, createdOn: now, status: 'PENDING'
            };
            if (await this.repository.insertInvitation(invitation, key)) {
                this.bus.publish('invitations.changed', { organizationId: session.organizationId, invitation: ref(invitation) });
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

    /** Where invitation emails go, so the host is told where an invitation went. */
    get mail(): MailDelivery {
        return this.env.mailer?.delivery ?? { kind: 'none' };
    }

    link(invitation: Pick<InvitationRecord, 'organizationId' | 'token'>): string {
        return buildInvitationLink(this.env.publicUrl(), invitation.organizationId, invitation.token);
    }

    protected summary(row: InvitationRecord & { createdByLabel: string }, online: Set<string>): InvitationSummary {
        return {
            invitationId: row.invitationId, kind: row.kind, email: row.email,
            ...(row.proposedName ? { proposedName: row.proposedName } : {}),
            ...(row.proposedProfile ? { proposedProfile: row.proposedProfile } : {}),
            createdBy: { userId: row.createdByUser, label: row.createdByLabel },
            createdOn: new Date(row.createdOn).toISOString(),
            guestOnline: online.has(row.invitationId),
            link: this.link(row),
            ...(row.emailError ? { emailError: row.emailError } : {})
        };
    }

    async list(session: DeviceSession): Promise<InvitationSummary[]> {
        const rows = await this.repository.listPending(session.organizationId, { withUsers: session.profile === 'ADMINISTRATOR', deviceOf: session.userId });
        const online = await this.onlineGuests(session.organizationId);
        return rows.map(row => this.summary(row, online));
    }

    onlineGuests(organizationId: OrganizationId): Promise<Set<string>> {
        return this.env.presence.onlineGuests(organizationId);
    }

    protected async isAdministrator(session: DeviceSession): Promise<boolean> {
        const current = await this.standing(session);
        return current !== undefined && !current.revoked && current.profile === 'ADMINISTRATOR';
    }

    /**
     * A pending invitation this device may act on: Administrators on user invitations (their
     * standing read now, not as of the connection), a user on the invitations of their own devices.
     */
    async pendingFor(session: DeviceSession, invitationId: string): Result<InvitationRecord> {
        const invitation = await this.repository.get(session.organizationId, invitationId);
        const mayHandle = invitation !== undefined &&
            (invitation.kind === 'USER' ? await this.isAdministrator(session) : invitation.userId === session.userId);
        if (!invitation || !mayHandle) {
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
            await this.attempts.end(invitation.value.organizationId, invitation.value.activeAttemptId, 'INVITATION_CANCELLED', 'server', now);
        }
        this.bus.publish('invitations.changed', { organizationId: session.organizationId, invitation: ref(invitation.value) });
        this.bus.publish('invitation.ended', { organizationId: session.organizationId, invitationId, status: 'CANCELLED' });
        return ok({});
    }

    async resend(session: DeviceSession, invitationId: string): Result<{ emailSent: boolean; emailError?: string }> {
        const invitation = await this.pendingFor(session, invitationId);
        if (!invitation.ok) { return invitation; }
        const sent = await this.sendEmail(invitation.value, session.humanHandle);
        this.bus.publish('invitations.changed', { organizationId: session.organizationId, invitation: ref(invitation.value) });
        return ok({ emailSent: sent.sent, ...(sent.error ? { emailError: sent.error } : {}) });
    }

    // ---- the guest -------------------------------------------------------------------

    /** The invitation a token holder may use; a completed one only when asked (a guest reading its last step). */
    async guestInvitation(organizationId: OrganizationId, token: string, allowCompleted = false): Result<InvitationRecord> {
        const invitation = await this.repository.getByToken(organizationId, token);
        if (!invitation) {
            return refuse('INVITATION_NOT_FOUND', 'This invitation link is not valid: ask for a new one');
        }
        if (invitation.status === 'CANCELLED' || (invitation.status === 'COMPLETED' && !allowCompleted)) {
            return refuse('INVITATION_NO_LONGER_VALID', `This invitation is no longer valid: it was ${invitation.status === 'COMPLETED' ? 'used already' : 'cancelled'}`);
        }
        return ok(invitation);
    }

    async claim(organizationId: OrganizationId, token: string, now: number): Result<{ claimed: ClaimedInvitation; invitation: InvitationRecord }> {
        const found = await this.guestInvitation(organizationId, token);
        if (!found.ok) { return found; }
        const invitation = found.value;
        const online = await this.env.presence.onlineUsers(organizationId);
        const people = invitation.kind === 'USER'
            ? await this.repository.administrators(organizationId)
            : [await this.repository.user(organizationId, invitation.userId!)].filter(user => user !== undefined && !user.revoked).map(user => user!);
        let activeGreeting: ClaimedInvitation['activeGreeting'];
        if (invitation.activeAttemptId) {
            const attempt = await this.repository.getAttempt(organizationId, invitation.activeAttemptId);
            // An attempt nobody touched for its lifetime ends here rather than being offered.
            const live = attempt !== undefined && !await this.attempts.expireIfIdle(attempt, now);
            const host = live ? await this.repository.user(organizationId, attempt.hostUserId) : undefined;
            if (attempt && host) {
                activeGreeting = { attemptId: attempt.attemptId, host: host.humanHandle };
            }
        }
        return ok({
            invitation,
            claimed: {
                invitationId: invitation.invitationId, kind: invitation.kind, organizationId, email: invitation.email,
                ...(invitation.proposedName ? { proposedName: invitation.proposedName } : {}),
                greeters: people.map(person => ({ userId: person.userId, humanHandle: person.humanHandle, online: online.has(person.userId) })),
                ...(activeGreeting ? { activeGreeting } : {})
            }
        });
    }

    /** The transport tells when a claimed guest's connection comes or goes. */
    guestArrived(invitation: InvitationRecord): void {
        this.bus.publish('invitation.guestWaiting', { organizationId: invitation.organizationId, invitation: { ...ref(invitation), email: invitation.email } });
        this.bus.publish('invitations.changed', { organizationId: invitation.organizationId, invitation: ref(invitation) });
    }

    guestLeft(invitation: InvitationRecord): void {
        this.bus.publish('invitations.changed', { organizationId: invitation.organizationId, invitation: ref(invitation) });
    }
}

/** What an event needs of an invitation to reach its audience. */
export function ref(invitation: InvitationRecord): { invitationId: string; kind: InvitationKind; userId?: UserId } {
    return { invitationId: invitation.invitationId, kind: invitation.kind, ...(invitation.userId ? { userId: invitation.userId } : {}) };
}
