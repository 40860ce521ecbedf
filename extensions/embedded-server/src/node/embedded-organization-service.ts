import { injectable, inject } from '@theia/core/shared/inversify';
import { EmbeddedOrganizationService, EmbeddedServerNotRunning, PendingBootstrap } from '../common/embedded-organization-protocol';
import { EmbeddedVouchServer } from './embedded-vouch-server';

@injectable()
export class EmbeddedOrganizationServiceImpl implements EmbeddedOrganizationService {
    @inject(EmbeddedVouchServer) protected readonly embedded: EmbeddedVouchServer;

    async getPendingBootstrap(): Promise<PendingBootstrap | undefined> {
        let pending: PendingBootstrap[];
        try {
            pending = await (await this.embedded.running).pendingBootstraps();
        } catch (error) {
            throw EmbeddedServerNotRunning(error instanceof Error ? error.message : String(error));
        }
        const first = pending[0];
        return first && { organizationId: first.organizationId, bootstrapLink: first.bootstrapLink };
    }
}
