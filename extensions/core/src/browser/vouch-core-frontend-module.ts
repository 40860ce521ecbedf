import { bindContributionProvider, CommandContribution } from '@theia/core';
import { DialogOverlayService } from '@theia/core/lib/browser/dialogs';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { KeybindingContribution } from '@theia/core/lib/browser/keybinding';
import { OpenHandler } from '@theia/core/lib/browser/opener-service';
import { ContainerModule } from '@theia/core/shared/inversify';
import { bindVouchNotificationPreferences } from '../common/notification-preferences';
import { bindVouchServerPreferences } from '../common/vouch-server-preferences';
import { BootstrapLinkSource } from './bootstrap-link-source';
import { DeviceKeystore, IndexedDbDeviceKeystore } from './device-keystore';
import { BrowserDevicePasswordKeychain, DevicePasswordKeychain, DeviceUnlock } from './device-password-keychain';
import { CertificateLogWatch, IndexedDbVerifiedHeadStore, VerifiedHeadStore } from './certificate-log-watch';
import { ModalDialogEscapeContribution, ModalDialogOverlayService } from './modal-dialog-escape';
import { OrganizationBootstrapContribution } from './organization-bootstrap-contribution';
import { PageAddress } from './page-address';
import { PageLinkFeeder } from './page-link-feeder';
import { VouchConnection } from './vouch-connection';
import { VouchContextKeyService } from './vouch-context-key-service';
import { VouchLinkContribution, VouchLinkHandler } from './vouch-link-handler';
import { VouchServerLocation } from './vouch-server-location';
import { VouchSession } from './vouch-session';
import { VouchSessionContribution } from './vouch-session-contribution';
import { WithdrawableNotifications } from './withdrawable-notifications';
import '../../src/browser/style/vouch.css';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(PageAddress).toSelf().inSingletonScope();
    bind(IndexedDbDeviceKeystore).toSelf().inSingletonScope();
    bind(DeviceKeystore).toService(IndexedDbDeviceKeystore);
    bind(BrowserDevicePasswordKeychain).toSelf().inSingletonScope();
    bind(DevicePasswordKeychain).toService(BrowserDevicePasswordKeychain);
    bind(DeviceUnlock).toSelf().inSingletonScope();
    bindVouchServerPreferences(bind);
    bind(VouchServerLocation).toSelf().inSingletonScope();
    bind(VouchConnection).toSelf().inSingletonScope();
    bind(VouchSession).toSelf().inSingletonScope();
    bind(IndexedDbVerifiedHeadStore).toSelf().inSingletonScope();
    bind(VerifiedHeadStore).toService(IndexedDbVerifiedHeadStore);
    bind(CertificateLogWatch).toSelf().inSingletonScope();
    bind(WithdrawableNotifications).toSelf().inSingletonScope();

    // Links: one handler; each extension contributes what its actions do.
    bindContributionProvider(bind, VouchLinkContribution);
    bind(VouchLinkHandler).toSelf().inSingletonScope();
    bind(OpenHandler).toService(VouchLinkHandler);
    // First of Vouch's start contributions, so a link is being opened before any other looks for one.
    bind(PageLinkFeeder).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(PageLinkFeeder);

    bind(VouchContextKeyService).toSelf().inSingletonScope();
    // Made at start (as a contribution with nothing else to do), so the keys hold values before any menu asks.
    bind(FrontendApplicationContribution).toService(VouchContextKeyService);
    bindVouchNotificationPreferences(bind);
    bind(VouchSessionContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(VouchSessionContribution);
    bind(CommandContribution).toService(VouchSessionContribution);

    // An embedded organization server (@vouch/embedded-server) binds a source; a workbench without one has none.
    bindContributionProvider(bind, BootstrapLinkSource);
    bind(OrganizationBootstrapContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(OrganizationBootstrapContribution);
    bind(CommandContribution).toService(OrganizationBootstrapContribution);
    bind(VouchLinkContribution).toService(OrganizationBootstrapContribution);
    // Escape closes the modal dialog before it hides notifications.
    bind(ModalDialogOverlayService).toSelf().inSingletonScope();
    rebind(DialogOverlayService).toService(ModalDialogOverlayService);
    bind(ModalDialogEscapeContribution).toSelf().inSingletonScope();
    bind(KeybindingContribution).toService(ModalDialogEscapeContribution);
});
