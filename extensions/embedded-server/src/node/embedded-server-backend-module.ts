import { ConnectionHandler, RpcConnectionHandler } from '@theia/core';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ContainerModule } from '@theia/core/shared/inversify';
import { EMBEDDED_ORGANIZATION_PATH, EmbeddedOrganizationService } from '../common/embedded-organization-protocol';
import { EmbeddedOrganizationServiceImpl } from './embedded-organization-service';
import { EmbeddedVouchServer } from './embedded-vouch-server';

export default new ContainerModule(bind => {
    bind(EmbeddedVouchServer).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(EmbeddedVouchServer);
    bind(EmbeddedOrganizationServiceImpl).toSelf().inSingletonScope();
    bind(EmbeddedOrganizationService).toService(EmbeddedOrganizationServiceImpl);
    // Stateless, no client callbacks: one service serves every connection.
    bind(ConnectionHandler).toDynamicValue(ctx => new RpcConnectionHandler(EMBEDDED_ORGANIZATION_PATH, () => ctx.container.get(EmbeddedOrganizationService)))
        .inSingletonScope();
});
