import { CommandContribution } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ContainerModule } from '@theia/core/shared/inversify';
import { EMBEDDED_ORGANIZATION_PATH, EmbeddedOrganizationService } from '../common/embedded-organization-protocol';
import { DeviceKeystore, IndexedDbDeviceKeystore } from './device-keystore';
import { CertificateLogWatch, IndexedDbVerifiedHeadStore, VerifiedHeadStore } from './certificate-log-watch';
import { VouchConnection } from './vouch-connection';
import { VouchSession } from './vouch-session';
import { VouchSessionContribution } from './vouch-session-contribution';
import '../../src/browser/style/vouch.css';

export default new ContainerModule(bind => {
    bind(IndexedDbDeviceKeystore).toSelf().inSingletonScope();
    bind(DeviceKeystore).toService(IndexedDbDeviceKeystore);
    bind(VouchConnection).toSelf().inSingletonScope();
    bind(VouchSession).toSelf().inSingletonScope();
    bind(IndexedDbVerifiedHeadStore).toSelf().inSingletonScope();
    bind(VerifiedHeadStore).toService(IndexedDbVerifiedHeadStore);
    bind(CertificateLogWatch).toSelf().inSingletonScope();
    bind(EmbeddedOrganizationService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<EmbeddedOrganizationService>(ctx.container, EMBEDDED_ORGANIZATION_PATH))
        .inSingletonScope();
    bind(VouchSessionContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(VouchSessionContribution);
    bind(CommandContribution).toService(VouchSessionContribution);
});
