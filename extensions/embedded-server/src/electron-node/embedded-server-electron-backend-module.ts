import { ConnectionHandler, RpcConnectionHandler } from '@theia/core';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ContainerModule } from '@theia/core/shared/inversify';
import { DESKTOP_TRIAL_SERVER_PATH, DesktopTrialServerService } from '../common/desktop-trial-protocol';
import { DesktopTrialServer } from './desktop-trial-server';

/** The desktop app embeds no server by default: only the one-person trial's, once asked for. */
export default new ContainerModule(bind => {
    bind(DesktopTrialServer).toSelf().inSingletonScope();
    bind(BackendApplicationContribution).toService(DesktopTrialServer);
    bind(DesktopTrialServerService).toService(DesktopTrialServer);
    bind(ConnectionHandler).toDynamicValue(ctx => new RpcConnectionHandler(DESKTOP_TRIAL_SERVER_PATH, () => ctx.container.get(DesktopTrialServerService)))
        .inSingletonScope();
});
