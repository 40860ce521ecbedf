import { inject, injectable } from '@theia/core/shared/inversify';
import { InvitationSummary, MailDelivery } from '@vouch/protocol';
import { VouchModel } from '@vouch/core/lib/browser/vouch-model';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';
import { InvitationClient } from './invitation-client';

/** The pending invitations this session may act on, kept current by what the server pushes. */
@injectable()
export class InvitationsModel extends VouchModel {
    @inject(InvitationClient) protected readonly client: InvitationClient;

    protected current: readonly InvitationSummary[] = [];
    protected currentMail?: MailDelivery;
    protected currentError?: string;

    protected override init(): void {
        super.init();
        this.toDispose.push(this.client.onDidChangeInvitations(() => this.refresh()));
    }

    get invitations(): readonly InvitationSummary[] {
        return this.current;
    }

    get error(): string | undefined {
        return this.currentError;
    }

    /** Where the server's invitation emails go; undefined until the first list arrived. */
    get mail(): MailDelivery | undefined {
        return this.currentMail;
    }

    find(invitationId: string): InvitationSummary | undefined {
        return this.current.find(invitation => invitation.invitationId === invitationId);
    }

    /** A pending invitation, asked again from the server when this list does not have it (yet). */
    async pending(invitationId: string): Promise<InvitationSummary | undefined> {
        if (!this.find(invitationId)) {
            await this.refresh();
        }
        return this.find(invitationId);
    }

    protected async load(superseded: () => boolean): Promise<void> {
        if (this.session.state !== 'connected') {
            return;
        }
        const reply = await this.client.request('invitation.list', {});
        if (superseded()) {
            return;
        }
        if (reply.ok) {
            this.current = reply.value.invitations;
            this.currentMail = reply.value.mail;
            this.currentError = undefined;
        } else {
            this.currentError = describeApiError(reply.error);
        }
        this.fireDidChange();
    }

    protected clear(): void {
        this.current = [];
        this.currentError = undefined;
    }
}
