import { ContributionProvider, ILogger, MessageService, nls } from '@theia/core';
import { OpenHandler } from '@theia/core/lib/browser/opener-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { isVouchLink, LinkAction, linkAction, parseLink, VouchLink } from '@vouch/protocol';

/**
 * What an extension does with the links of its actions: core creates the organization
 * (`bootstrap`), invitations claim (`claim`), join requests open the requester's dialog
 * (`join`, `join-return`); the workspaces will add theirs.
 */
export const VouchLinkContribution = Symbol('VouchLinkContribution');

export interface VouchLinkContribution {
    readonly actions: readonly LinkAction[];
    /** Opens a link of one of `actions`, already parsed and checked. Shows its own outcome. */
    openLink(link: VouchLink): Promise<void>;
}

export type LinkOpening = 'opened' | 'unknown-action' | 'malformed';

/** Ahead of Theia's handler for http(s) addresses (500), which would open the link in another window. */
export const VOUCH_LINK_PRIORITY = 1_000;

/**
 * The one handler of Vouch links, in both forms (`http(s)://…?vouch-action=…` and `vouch://…`).
 * The browser feeds it the page's own address at start (`PageLinkFeeder`), the desktop app will
 * feed it what the operating system hands over, and anything opened through Theia's
 * `OpenerService` reaches it too. It hands each link to the contribution of its action, or
 * says why it cannot be opened.
 */
@injectable()
export class VouchLinkHandler implements OpenHandler {
    readonly id = 'vouch-link';
    readonly label = nls.localize('vouch/links/label', 'Vouch link');

    @inject(ContributionProvider) @named(VouchLinkContribution) protected readonly contributions: ContributionProvider<VouchLinkContribution>;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    canHandle(uri: URI): number {
        return isVouchLink(uri.toString(true)) ? VOUCH_LINK_PRIORITY : 0;
    }

    async open(uri: URI): Promise<undefined> {
        await this.openLink(uri.toString(true));
        return undefined;
    }

    /**
     * Opens a link given as the exact address (feeders pass it so: a Theia URI decodes its
     * query, so a parameter holding `&` would not survive the trip). The contribution is called
     * before this returns to the event loop, so whoever starts later knows a link is being opened.
     */
    openLink(address: string): Promise<LinkOpening> {
        const action = linkAction(address);
        const contribution = this.contributions.getContributions().find(candidate => candidate.actions.some(known => known === action));
        if (action === undefined || !contribution) {
            this.messages.error(nls.localize('vouch/links/unknownAction', 'This workbench does not know Vouch links of the kind "{0}"; it may be older than the server that made the link.', action ?? ''));
            return Promise.resolve('unknown-action');
        }
        const link = parseLink(address);
        if (!link) {
            this.messages.error(nls.localize('vouch/links/malformed', 'This Vouch link is incomplete or damaged. Copy the whole link again from where you received it.'));
            return Promise.resolve('malformed');
        }
        return contribution.openLink(link).then(() => 'opened' as const, error => {
            this.logger.error(`Could not open the ${action} link`, error);
            this.messages.error(nls.localize('vouch/links/failed', 'The Vouch link could not be opened: {0}', error instanceof Error ? error.message : String(error)));
            return 'opened' as const;
        });
    }
}
