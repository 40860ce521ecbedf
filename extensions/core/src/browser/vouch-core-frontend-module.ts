import { bindContributionProvider, CommandContribution } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ContainerModule } from '@theia/core/shared/inversify';
import { BootstrapLinkSource } from './bootstrap-link-source';
import { DeviceKeystore, IndexedDbDeviceKeystore } from './device-keystore';
import { bindVouchServerPreferences } from '../common/vouch-server-preferences';
import { VouchConnection } from './vouch-connection';
import { VouchServerLocation } from './vouch-server-location';
import { VouchSession } from './vouch-session';
import { VouchSessionContribution } from './vouch-session-contribution';
import '../../src/browser/style/vouch.css';

export default new ContainerModule(bind => {
    bind(IndexedDbDeviceKeystore).toSelf().inSingletonScope();
    bind(DeviceKeystore).toService(IndexedDbDeviceKeystore);
    bindVouchServerPreferences(bind);
    bind(VouchServerLocation).toSelf().inSingletonScope();
    bind(VouchConnection).toSelf().inSingletonScope();
    bind(VouchSession).toSelf().inSingletonScope();
    // An embedded organization server (@vouch/embedded-server) binds one; a workbench without one has none.
    bindContributionProvider(bind, BootstrapLinkSource);
    bind(VouchSessionContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(VouchSessionContribution);
    bind(CommandContribution).toService(VouchSessionContribution);
});
