import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ContainerModule } from '@theia/core/shared/inversify';
import { BootstrapLinkSource } from '@vouch/core/lib/browser/bootstrap-link-source';
import { EMBEDDED_ORGANIZATION_PATH, EmbeddedOrganizationService } from '../common/embedded-organization-protocol';
import { EmbeddedBootstrapLinkSource } from './embedded-bootstrap-link-source';

export default new ContainerModule(bind => {
    bind(EmbeddedOrganizationService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<EmbeddedOrganizationService>(ctx.container, EMBEDDED_ORGANIZATION_PATH))
        .inSingletonScope();
    bind(EmbeddedBootstrapLinkSource).toSelf().inSingletonScope();
    bind(BootstrapLinkSource).toService(EmbeddedBootstrapLinkSource);
});
