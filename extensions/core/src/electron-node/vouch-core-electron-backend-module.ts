import { ConnectionHandler, RpcConnectionHandler } from '@theia/core';
import { ContainerModule } from '@theia/core/shared/inversify';
import { DESKTOP_KEYCHAIN_PATH, DesktopKeychainService } from '../common/desktop-keychain-protocol';
import { DESKTOP_RECORDS_PATH, DesktopRecordsService } from '../common/desktop-records-protocol';
import { DesktopRecordsFiles } from './desktop-records-files';
import { OsKeychain } from './os-keychain';

export default new ContainerModule(bind => {
    bind(DesktopRecordsFiles).toSelf().inSingletonScope();
    bind(DesktopRecordsService).toService(DesktopRecordsFiles);
    // No client callbacks: one service serves every window of this desktop app.
    bind(ConnectionHandler).toDynamicValue(ctx => new RpcConnectionHandler(DESKTOP_RECORDS_PATH, () => ctx.container.get(DesktopRecordsService)))
        .inSingletonScope();
    bind(OsKeychain).toSelf().inSingletonScope();
    bind(DesktopKeychainService).toService(OsKeychain);
    bind(ConnectionHandler).toDynamicValue(ctx => new RpcConnectionHandler(DESKTOP_KEYCHAIN_PATH, () => ctx.container.get(DesktopKeychainService)))
        .inSingletonScope();
});
