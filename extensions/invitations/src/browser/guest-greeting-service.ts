import { FrontendApplicationContribution } from '@theia/core/lib/browser';
import { inject, injectable } from '@theia/core/shared/inversify';
import { ClaimedInvitation } from '@vouch/protocol';
import { GuestGreetingDialog } from './guest-greeting-dialog';
import { GuestGreetingSession } from './guest-greeting-session';
import { InvitationClient } from './invitation-client';

/** The guest's side on this page: one invitation claimed, greeted until its device is enrolled; an attempt ends when the page goes away. */
@injectable()
export class GuestGreetingService implements FrontendApplicationContribution {
    @inject(InvitationClient) protected readonly client: InvitationClient;

    protected session?: GuestGreetingSession;

    /** Waits to be greeted on a claimed invitation; resolves once the dialog closes (enrolled, or closed by the person). */
    async welcome(claimed: ClaimedInvitation, token: string, onEnrolled: () => void): Promise<void> {
        if (this.session) { return; }
        let dialog: GuestGreetingDialog | undefined = undefined;
        const session = new GuestGreetingSession(this.client, claimed, token, () => {
            dialog?.close();
            onEnrolled();
        });
        this.session = session;
        try {
            dialog = new GuestGreetingDialog(session);
            await dialog.open();
        } finally {
            session.dispose();
            this.session = undefined;
        }
    }

    /** The page goes away (reload, closed tab): the host is told at once, rather than after the server's grace period. */
    onStop(): void {
        this.session?.leave();
    }
}
