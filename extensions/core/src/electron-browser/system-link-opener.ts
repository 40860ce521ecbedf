import { ILogger } from '@theia/core';
import { OpenerService } from '@theia/core/lib/browser/opener-service';
import URI from '@theia/core/lib/common/uri';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { isVouchLink } from '@vouch/protocol';
import { DesktopServerChoice } from './desktop-server-choice';

/**
 * Opens what the operating system hands to the app (`vouch://…` links, registered by the
 * application's `uriScheme`). Theia's own handler turns addresses into URIs, which decode the
 * query (a parameter holding `&` would not survive); Vouch links go to the one link handler as
 * the exact address instead, through the link's server; anything else to Theia's openers.
 */
@injectable()
export class SystemLinkOpener {
    @inject(DesktopServerChoice) protected readonly choice: DesktopServerChoice;
    @inject(OpenerService) protected readonly openers: OpenerService;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    /** True when the address was taken (the link's own outcome is shown to the person). */
    async openUrl(url: string): Promise<boolean> {
        if (isVouchLink(url)) {
            this.choice.openLink(url).catch(error => this.logger.error('Could not open the link', error));
            return true;
        }
        try {
            const uri = new URI(url);
            const opener = await this.openers.getOpener(uri);
            await opener.open(uri);
            return true;
        } catch {
            return false;
        }
    }
}
