import { z } from 'zod';
import { SignedCertificateSchema } from '../certificates/certificate-types';
import { GreetingCancelReason, GreetingCancelReasonSchema, GreetingSide, GreetingStepNumberSchema } from '../greeting/greeting-steps';
import { HumanHandle, HumanHandleSchema, OrganizationId, OrganizationIdSchema, UserId, UserProfile, UserProfileSchema } from '../identity';
import { NewUserCertificatesSchema } from './api-common';

/**
 * Invitations and greetings (DESIGN.md "Greeting (SAS)", after Parsec RFC 1011, but pushed:
 * each step a side posts is stored, then pushed to the other side; nobody polls). The guest
 * speaks on the anonymous namespace with its token; the host on the device namespace.
 */

export const INVITATIONS_MAX_PER_REQUEST = 100;
export const InvitationIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not an invitation id');
export const GreetingAttemptIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'Not a greeting attempt id');
const TokenSchema = z.string().min(16).max(64);
const StepPayloadSchema = z.string().min(1).max(16 * 1024);

const guest = { organizationId: OrganizationIdSchema, token: TokenSchema };

export const invitationAnonymousRequests = {
    /** The guest opens its link: what it was invited to, and who may greet it. Marks the guest online. */
    'invitation.claim': z.object(guest).strict(),
    'greeting.guestStep': z.object({ ...guest, attemptId: GreetingAttemptIdSchema, step: GreetingStepNumberSchema, payload: StepPayloadSchema }).strict(),
    /** Everything posted so far in an attempt: a side that reconnects resumes from it. */
    'greeting.guestState': z.object({ ...guest, attemptId: GreetingAttemptIdSchema }).strict(),
    'greeting.guestCancel': z.object({ ...guest, attemptId: GreetingAttemptIdSchema, reason: GreetingCancelReasonSchema }).strict()
};

export const InviteeSchema = z.object({
    email: HumanHandleSchema.shape.email,
    /** The name the inviter knows (a spreadsheet's name column): the guest's name field starts from it. */
    name: HumanHandleSchema.shape.label.optional(),
    /** The profile the inviter proposes; the greeter decides at confirmation. */
    profile: UserProfileSchema.optional()
}).strict();

export const invitationDeviceRequests = {
    'invitation.inviteUsers': z.object({
        invitees: z.array(InviteeSchema).min(1).max(INVITATIONS_MAX_PER_REQUEST),
        sendEmail: z.boolean().default(true)
    }).strict(),
    'invitation.inviteDevice': z.object({ sendEmail: z.boolean().default(false) }).strict(),
    'invitation.list': z.object({}).strict(),
    'invitation.cancel': z.object({ invitationId: InvitationIdSchema }).strict(),
    'invitation.resend': z.object({ invitationId: InvitationIdSchema }).strict(),
    /** The host starts (or restarts) greeting an invitation; a previous attempt ends, replaced. */
    'greeting.start': z.object({ invitationId: InvitationIdSchema }).strict(),
    'greeting.hostStep': z.object({
        attemptId: GreetingAttemptIdSchema,
        step: GreetingStepNumberSchema,
        payload: StepPayloadSchema,
        /** With step 7 of a user invitation: the new user, stored by the `users.create` rules. */
        newUser: NewUserCertificatesSchema.optional(),
        /** With step 7 of a device invitation: the new device of the host's own user. */
        newDevice: z.object({ device: SignedCertificateSchema, redactedDevice: SignedCertificateSchema }).strict().optional()
    }).strict(),
    'greeting.hostState': z.object({ attemptId: GreetingAttemptIdSchema }).strict(),
    'greeting.hostCancel': z.object({ attemptId: GreetingAttemptIdSchema, reason: GreetingCancelReasonSchema }).strict()
};

export type InvitationKind = 'USER' | 'DEVICE';
export type InvitationStatus = 'PENDING' | 'COMPLETED' | 'CANCELLED';

/**
 * Where the server's invitation emails go: an SMTP server, or (none configured) `.eml` files in
 * an outbox folder on the server's machine, which nobody receives unless someone sends them.
 */
export type MailDelivery =
    | { readonly kind: 'smtp' }
    | { readonly kind: 'outbox'; readonly folder: string }
    | { readonly kind: 'none' };

export interface InvitationSummary {
    readonly invitationId: string;
    readonly kind: InvitationKind;
    readonly email: string;
    /** The name the inviter gave, if any. */
    readonly proposedName?: string;
    readonly proposedProfile?: UserProfile;
    readonly createdBy: { readonly userId: UserId; readonly label: string };
    /** ISO time. */
    readonly createdOn: string;
    /** The guest has the link open now. */
    readonly guestOnline: boolean;
    readonly link: string;
    /** Why the last email could not be sent, if it could not. */
    readonly emailError?: string;
}

export interface InviteResult {
    readonly email: string;
    /** `existing`: the address had a pending invitation, returned as it is. */
    readonly outcome: 'created' | 'existing' | 'refused';
    readonly invitation?: InvitationSummary;
    /** When `refused`: why, in words. */
    readonly error?: string;
    /** When an email was to be sent: whether it left, and why not. */
    readonly emailSent?: boolean;
    readonly emailError?: string;
}

export interface Greeter {
    readonly userId: UserId;
    readonly humanHandle: HumanHandle;
    readonly online: boolean;
}

export interface ActiveGreeting {
    readonly attemptId: string;
    readonly host: HumanHandle;
}

export interface ClaimedInvitation {
    readonly invitationId: string;
    readonly kind: InvitationKind;
    readonly organizationId: OrganizationId;
    readonly email: string;
    /** The name the inviter gave: the guest's name field starts from it. */
    readonly proposedName?: string;
    /** Who may greet: every Administrator for a user invitation, the user for a device. */
    readonly greeters: readonly Greeter[];
    /** A greeting a host started and that waits for this guest. */
    readonly activeGreeting?: ActiveGreeting;
}

export interface PostedStep {
    readonly step: number;
    readonly side: GreetingSide;
    readonly payload: string;
}

export interface GreetingState {
    readonly attemptId: string;
    readonly invitationId: string;
    readonly kind: InvitationKind;
    readonly status: 'ACTIVE' | 'CANCELLED' | 'COMPLETED';
    readonly steps: readonly PostedStep[];
    readonly cancelled?: GreetingCancelledEvent;
}

export interface GreetingStartedEvent {
    readonly attemptId: string;
    readonly invitationId: string;
    readonly host: HumanHandle;
}

export interface GreetingStepEvent {
    readonly attemptId: string;
    readonly step: number;
    readonly side: GreetingSide;
    readonly payload: string;
}

export interface GreetingCancelledEvent {
    readonly attemptId: string;
    readonly reason: GreetingCancelReason;
    readonly by: GreetingSide | 'server';
}

export interface InvitationAnonymousResponses {
    'invitation.claim': ClaimedInvitation;
    'greeting.guestStep': Record<string, never>;
    'greeting.guestState': GreetingState;
    'greeting.guestCancel': Record<string, never>;
}

export interface InvitationDeviceResponses {
    'invitation.inviteUsers': { readonly results: readonly InviteResult[]; readonly mail: MailDelivery };
    'invitation.inviteDevice': InviteResult;
    'invitation.list': { readonly invitations: readonly InvitationSummary[]; readonly mail: MailDelivery };
    'invitation.cancel': Record<string, never>;
    'invitation.resend': { readonly emailSent: boolean; readonly emailError?: string };
    'greeting.start': { readonly attemptId: string; readonly guestOnline: boolean };
    'greeting.hostStep': Record<string, never>;
    'greeting.hostState': GreetingState;
    'greeting.hostCancel': Record<string, never>;
}

export interface InvitationChangedEvent {
    readonly invitationId: string;
}

export interface GuestWaitingEvent {
    readonly invitationId: string;
    readonly kind: InvitationKind;
    readonly email: string;
}

export interface InvitationDeviceServerEvents {
    /** An invitation was created, cancelled, completed, or its guest came or left. */
    'invitations.changed': (event: InvitationChangedEvent) => void;
    /** A guest opened its link: those who may greet it are told. */
    'invitation.guestWaiting': (event: GuestWaitingEvent) => void;
    'greeting.step': (event: GreetingStepEvent) => void;
    'greeting.cancelled': (event: GreetingCancelledEvent) => void;
}

/** A waiting guest's invitation ended: cancelled, or used (by another page of the same link). */
export interface InvitationEndedEvent {
    readonly invitationId: string;
    readonly status: 'CANCELLED' | 'COMPLETED';
}

export interface InvitationAnonymousServerEvents {
    'invitation.ended': (event: InvitationEndedEvent) => void;
    'greeting.started': (event: GreetingStartedEvent) => void;
    'greeting.step': (event: GreetingStepEvent) => void;
    'greeting.cancelled': (event: GreetingCancelledEvent) => void;
}
