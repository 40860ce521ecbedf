import { MessageService, nls } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import {
    enrolDevice, enrolUser, GreetingRequestError, GuestDetails, HostGreeting, InvitationSummary, Reply, SocketGreetingChannel, toBase64Url, UserProfile
} from '@vouch/protocol';
import { HostGreetingDialog } from './host-greeting-dialog';
import { HostGreetingSession } from './host-greeting-session';
import { InvitationClient } from './invitation-client';
import { InvitationsModel } from './invitations-model';

/**
 * The host's side of greetings on this page: one dialog per invitation, attempts started on the
 * server, step 7 signed after the organization log's head (`VouchSession.sendAtLogHead`, the
 * retry every certificate writer shares), and the attempts ended when the page goes away.
 */
@injectable()
export class HostGreetingService implements FrontendApplicationContribution {
    @inject(InvitationClient) protected readonly client: InvitationClient;
    @inject(InvitationsModel) protected readonly model: InvitationsModel;
    @inject(MessageService) protected readonly messages: MessageService;

    protected readonly sessions = new Map<string, HostGreetingSession>();

    get session(): VouchSession {
        return this.client.session;
    }

    /** Whether this page greets the invitation now. */
    isGreeting(invitationId: string): boolean {
        return this.sessions.has(invitationId);
    }

    /** Opens the greeting of a pending invitation (once per invitation on this page) and starts an attempt. */
    async greet(invitationId: string): Promise<void> {
        if (this.sessions.has(invitationId)) { return; }
        const invitation = await this.model.pending(invitationId);
        if (!invitation) {
            this.messages.warn(nls.localize('vouch/invitations/gone', 'This invitation is no longer pending'));
            return;
        }
        const session = new HostGreetingSession(this, invitation);
        this.sessions.set(invitationId, session);
        try {
            const started = session.start();
            await new HostGreetingDialog(session).open();
            await started;
        } finally {
            session.dispose();
            this.sessions.delete(invitationId);
        }
    }

    /** A new attempt on the server: a previous one of the invitation ends, replaced. */
    start(invitationId: string): Promise<Reply<{ readonly attemptId: string; readonly guestOnline: boolean }>> {
        return this.client.request('greeting.start', { invitationId });
    }

    channel(attemptId: string): SocketGreetingChannel {
        return this.client.channel('host', attemptId);
    }

    /**
     * Step 7: the guest's user (or the host's new device) signed after the log's head and sent
     * with the confirmation; signed again after the head a refusal names when another writer
     * moved it first. Then the guest's acknowledgment (step 8).
     */
    async confirm(flow: HostGreeting, invitation: InvitationSummary, details: GuestDetails, decision: { label: string; profile: UserProfile }): Promise<void> {
        const session = this.session;
        const device = session.device;
        const rootVerifyKey = session.rootVerifyKey;
        const sign = session.signer;
        if (!device || !rootVerifyKey || !sign) {
            throw new Error(nls.localize('vouch/greeting/locked', 'This device is locked'));
        }
        const host = { organizationId: device.organizationId, rootVerifyKey: toBase64Url(rootVerifyKey), deviceId: device.deviceId, sign };
        const sent = await session.sendAtLogHead(async position => {
            if (details.kind === 'user') {
                const { newUser, confirmation } = enrolUser(host, details, { email: invitation.email, label: decision.label, profile: decision.profile, position });
                return flow.sendConfirmation(confirmation, { newUser });
            }
            const { newDevice, confirmation } = enrolDevice(host, details, {
                userId: device.userId, humanHandle: device.humanHandle, profile: session.profile ?? 'MEMBER', userPrivateKey: session.userPrivateKey!, position
            });
            return flow.sendConfirmation(confirmation, { newDevice });
        });
        if (!sent.ok) {
            throw new GreetingRequestError(sent.error);
        }
        await flow.guestAcknowledged();
    }

    /** The page goes away (reload, closed tab): each running attempt ends for its guest at once, rather than after the server's grace period. */
    onStop(): void {
        for (const session of this.sessions.values()) {
            session.leave();
        }
    }
}
