import { ILogger } from '@theia/core';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { BootstrapLinkSource } from '@vouch/core/lib/browser/bootstrap-link-source';
import { BootstrapLink, parseBootstrapLink } from '@vouch/protocol';
import { EmbeddedOrganizationService } from '../common/embedded-organization-protocol';

/** Asks the server embedded in Theia's backend for the organization it created and nobody bootstrapped yet. */
@injectable()
export class EmbeddedBootstrapLinkSource implements BootstrapLinkSource {
    @inject(EmbeddedOrganizationService) protected readonly embedded: EmbeddedOrganizationService;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    async pendingBootstrapLink(): Promise<BootstrapLink | undefined> {
        try {
            const pending = await this.embedded.getPendingBootstrap();
            return pending && parseBootstrapLink(pending.bootstrapLink);
        } catch (error) {
            this.logger.warn(`No pending bootstrap from the embedded server: ${error}`);
            return undefined;
        }
    }
}
