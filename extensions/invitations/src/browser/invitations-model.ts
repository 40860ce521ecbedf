import { Disposable, DisposableCollection, Emitter, Event } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { InvitationSummary, MailDelivery } from '@vouch/protocol';
import { InvitationClient } from './invitation-client';

/** The pending invitations this session may act on, kept current by what the server pushes. */
@injectable()
export class InvitationsModel implements Disposable {
    @inject(InvitationClient) protected readonly client: InvitationClient;

    protected current: readonly InvitationSummary[] = [];
    protected currentMail?: MailDelivery;
    protected currentError?: string;
    protected loading?: Promise<void>;
    protected again = false;
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.client.session.onDidChangeState(state => {
                if (state === 'connected') {
                    this.refresh();
                } else if (this.current.length > 0) {
                    this.current = [];
                    this.onDidChangeEmitter.fire();
                }
            }),
            this.client.onDidChangeInvitations(() => this.refresh())
        ]);
        if (this.client.session.state === 'connected') {
            this.refresh();
        }
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

    /** One request at a time; changes announced meanwhile cause one more. */
    refresh(): Promise<void> {
        if (this.loading) {
            this.again = true;
            return this.loading;
        }
        this.loading = (async () => {
            do {
                this.again = false;
                const reply = await this.client.request('invitation.list', {});
                if (reply.ok) {
                    this.current = reply.value.invitations;
                    this.currentMail = reply.value.mail;
                    this.currentError = undefined;
                } else {
                    this.currentError = reply.error.message;
                }
                this.onDidChangeEmitter.fire();
            } while (this.again);
        })().finally(() => { this.loading = undefined; });
        return this.loading;
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
