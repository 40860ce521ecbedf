import { ILogger } from '@theia/core';
import { OpenerService } from '@theia/core/lib/browser/opener-service';
import URI from '@theia/core/lib/common/uri';
import { ElectronUriHandlerContribution } from '@theia/core/lib/electron-browser/electron-uri-handler';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { isVouchLink } from '@vouch/protocol';
import '@theia/core/lib/electron-common/electron-api';
import { DesktopServerChoice } from './desktop-server-choice';

/**
 * Addresses the operating system hands to the app (`vouch://…` links, registered by the
 * application's `uriScheme`). Theia's handler turns them into URIs, which decode the query (a
 * parameter holding `&` would not survive); Vouch links go to the one link handler as the exact
 * address instead, anything else to Theia's openers as before.
 */
@injectable()
export class VouchElectronUriHandler extends ElectronUriHandlerContribution {
    @inject(DesktopServerChoice) protected readonly choice: DesktopServerChoice;
    @inject(OpenerService) protected readonly openers: OpenerService;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    override initialize(): void {
        window.electronTheiaCore.setOpenUrlHandler(url => this.openUrl(url));
    }

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
