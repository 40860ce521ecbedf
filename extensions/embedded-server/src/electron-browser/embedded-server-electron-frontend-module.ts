import { ServiceConnectionProvider } from '@theia/core/lib/browser/messaging/service-connection-provider';
import { ContainerModule } from '@theia/core/shared/inversify';
import { DesktopLocalServer } from '@vouch/core/lib/electron-browser/desktop-local-server';
import { DESKTOP_TRIAL_SERVER_PATH, DesktopTrialServerService } from '../common/desktop-trial-protocol';

export default new ContainerModule(bind => {
    bind(DesktopTrialServerService).toDynamicValue(ctx => ServiceConnectionProvider.createProxy<DesktopTrialServerService>(ctx.container, DESKTOP_TRIAL_SERVER_PATH))
        .inSingletonScope();
    bind(DesktopLocalServer).toDynamicValue(ctx => {
        const trial = ctx.container.get<DesktopTrialServerService>(DesktopTrialServerService);
        return { start: () => trial.start() };
    }).inSingletonScope();
});
