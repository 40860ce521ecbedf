import { CommandContribution } from '@theia/core';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ElectronUriHandlerContribution } from '@theia/core/lib/electron-browser/electron-uri-handler';
import { ContainerModule } from '@theia/core/shared/inversify';
import { DESKTOP_KEYCHAIN_PATH, DesktopKeychainService } from '../common/desktop-keychain-protocol';
import { DESKTOP_RECORDS_PATH, DesktopRecordsService } from '../common/desktop-records-protocol';
import { VerifiedHeadStore } from '../browser/certificate-log-watch';
import { DeviceKeystore } from '../browser/device-keystore';
import { DevicePasswordKeychain } from '../browser/device-password-keychain';
import { DesktopServerChoice } from './desktop-server-choice';
import { DesktopServerContribution } from './desktop-server-contribution';
import { FileDeviceKeystore, FileVerifiedHeadStore } from './desktop-file-stores';
import { OsDevicePasswordKeychain } from './os-device-password-keychain';
import { SystemLinkOpener } from './system-link-opener';
import { VouchElectronUriHandler } from './vouch-electron-uri-handler';

/** The desktop app: keys in files of the user's config folder, the OS keychain, links from the OS, the server asked on first run. */
export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(DesktopRecordsService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<DesktopRecordsService>(ctx.container, DESKTOP_RECORDS_PATH))
        .inSingletonScope();
    bind(FileDeviceKeystore).toSelf().inSingletonScope();
    rebind(DeviceKeystore).toService(FileDeviceKeystore);
    bind(FileVerifiedHeadStore).toSelf().inSingletonScope();
    rebind(VerifiedHeadStore).toService(FileVerifiedHeadStore);

    bind(DesktopKeychainService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<DesktopKeychainService>(ctx.container, DESKTOP_KEYCHAIN_PATH))
        .inSingletonScope();
    bind(OsDevicePasswordKeychain).toSelf().inSingletonScope();
    rebind(DevicePasswordKeychain).toService(OsDevicePasswordKeychain);

    bind(DesktopServerChoice).toSelf().inSingletonScope();
    bind(SystemLinkOpener).toSelf().inSingletonScope();
    bind(VouchElectronUriHandler).toSelf().inSingletonScope();
    rebind(ElectronUriHandlerContribution).toService(VouchElectronUriHandler);
    bind(DesktopServerContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(DesktopServerContribution);
    bind(CommandContribution).toService(DesktopServerContribution);
});
