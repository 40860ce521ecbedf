import { CommandContribution } from '@theia/core';
import { FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ContainerModule } from '@theia/core/shared/inversify';
import { VouchLinkContribution } from '@vouch/core/lib/browser/vouch-link-handler';
import { JoinRequester } from './join-requester';
import { JoinRequestsContribution } from './join-requests-contribution';
import { JoinRequestsModel } from './join-requests-model';
import { JOIN_REQUESTS_WIDGET_ID, JoinRequestsWidget } from './join-requests-widget';
import { PendingJoinStore } from './pending-join-store';
import { PkiAnchorsContribution } from './pki-anchors-contribution';
import '../../src/browser/style/join-requests.css';

export default new ContainerModule(bind => {
    bind(PendingJoinStore).toSelf().inSingletonScope();
    bind(JoinRequester).toSelf().inSingletonScope();
    bind(JoinRequestsModel).toSelf().inSingletonScope();
    bind(JoinRequestsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: JOIN_REQUESTS_WIDGET_ID,
        createWidget: () => ctx.container.get(JoinRequestsWidget)
    })).inSingletonScope();
    bind(JoinRequestsContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(JoinRequestsContribution);
    bind(FrontendApplicationContribution).toService(JoinRequestsContribution);
    bind(PkiAnchorsContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(PkiAnchorsContribution);
    bind(VouchLinkContribution).toService(JoinRequestsContribution);
});
