import { CommandContribution } from '@theia/core';
import { DialogOverlayService } from '@theia/core/lib/browser/dialogs';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { KeybindingContribution } from '@theia/core/lib/browser/keybinding';
import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ContainerModule } from '@theia/core/shared/inversify';
import { EMBEDDED_ORGANIZATION_PATH, EmbeddedOrganizationService } from '../common/embedded-organization-protocol';
import { bindVouchNotificationPreferences } from '../common/notification-preferences';
import { DeviceKeystore, IndexedDbDeviceKeystore } from './device-keystore';
import { ModalDialogEscapeContribution, ModalDialogOverlayService } from './modal-dialog-escape';
import { VouchConnection } from './vouch-connection';
import { VouchContextKeyService } from './vouch-context-key-service';
import { VouchSession } from './vouch-session';
import { VouchSessionContribution } from './vouch-session-contribution';
import '../../src/browser/style/vouch.css';

export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(IndexedDbDeviceKeystore).toSelf().inSingletonScope();
    bind(DeviceKeystore).toService(IndexedDbDeviceKeystore);
    bind(VouchConnection).toSelf().inSingletonScope();
    bind(VouchSession).toSelf().inSingletonScope();
    bind(VouchContextKeyService).toSelf().inSingletonScope();
    // Made at start (as a contribution with nothing else to do), so the keys hold values before any menu asks.
    bind(FrontendApplicationContribution).toService(VouchContextKeyService);
    bindVouchNotificationPreferences(bind);
    bind(EmbeddedOrganizationService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<EmbeddedOrganizationService>(ctx.container, EMBEDDED_ORGANIZATION_PATH))
        .inSingletonScope();
    bind(VouchSessionContribution).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(VouchSessionContribution);
    bind(CommandContribution).toService(VouchSessionContribution);

    // Escape closes the modal dialog before it hides notifications.
    bind(ModalDialogOverlayService).toSelf().inSingletonScope();
    rebind(DialogOverlayService).toService(ModalDialogOverlayService);
    bind(ModalDialogEscapeContribution).toSelf().inSingletonScope();
    bind(KeybindingContribution).toService(ModalDialogEscapeContribution);
});
