import { ILogger } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { isVouchLink, withoutLinkParameters } from '@vouch/protocol';
import { PageAddress } from './page-address';
import { VouchLinkHandler } from './vouch-link-handler';

/**
 * The browser's way in for links: the page was opened on one. Its Vouch parameters leave the
 * address bar at once — tokens are secrets, and a reload must not replay the link — and the
 * link goes to the one link handler.
 */
@injectable()
export class PageLinkFeeder implements FrontendApplicationContribution {
    @inject(PageAddress) protected readonly page: PageAddress;
    @inject(VouchLinkHandler) protected readonly links: VouchLinkHandler;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    onStart(): void {
        const address = this.page.href;
        if (!isVouchLink(address)) {
            return;
        }
        this.page.replace(withoutLinkParameters(address));
        this.links.openLink(address).catch(error => this.logger.error('Could not open the link of the page', error));
    }
}
