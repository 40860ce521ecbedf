import { bindViewContribution, FrontendApplicationContribution, ViewContainer, WidgetFactory, WidgetManager } from '@theia/core/lib/browser';
import { ContainerModule } from '@theia/core/shared/inversify';
import { nls } from '@theia/core';
import { VouchLinkContribution } from '@vouch/core/lib/browser/vouch-link-handler';
import { INVITATIONS_VIEW_CONTAINER_ID } from '@vouch/core/lib/browser/vouch-views';
import { GuestGreetingService } from './guest-greeting-service';
import { HostGreetingService } from './host-greeting-service';
import { InvitationClient } from './invitation-client';
import { INVITATIONS_CONTAINER_ICON, InvitationsContribution } from './invitations-contribution';
import { InvitationsModel } from './invitations-model';
import { INVITATIONS_WIDGET_ID, InvitationsWidget } from './invitations-widget';
import { TabBarToolbarContribution } from '@theia/core/lib/browser/shell/tab-bar-toolbar';
import { UsersToolbarContribution } from './users-toolbar-contribution';
import '../../src/browser/style/invitations.css';

export default new ContainerModule(bind => {
    bind(InvitationClient).toSelf().inSingletonScope();
    bind(InvitationsModel).toSelf().inSingletonScope();
    bind(HostGreetingService).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(HostGreetingService);
    bind(GuestGreetingService).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(GuestGreetingService);
    bind(InvitationsWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: INVITATIONS_WIDGET_ID,
        createWidget: () => ctx.container.get(InvitationsWidget)
    })).inSingletonScope();
    // The shared container: the join-requests extension adds its part when it is created (onWillCreateWidget).
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: INVITATIONS_VIEW_CONTAINER_ID,
        createWidget: async () => {
            const container = ctx.container.get<ViewContainer.Factory>(ViewContainer.Factory)({ id: INVITATIONS_VIEW_CONTAINER_ID });
            container.setTitleOptions({
                label: nls.localize('vouch/invitations/container', 'Invitations & Join Requests'),
                iconClass: INVITATIONS_CONTAINER_ICON,
                closeable: true
            });
            const part = await ctx.container.get(WidgetManager).getOrCreateWidget(INVITATIONS_WIDGET_ID);
            container.addWidget(part, { canHide: false, initiallyCollapsed: false, order: 0 });
            return container;
        }
    })).inSingletonScope();
    // bindViewContribution binds it as a Command-, Menu- and KeybindingContribution already: binding it
    // again would register every command twice ("A command … is already registered").
    bindViewContribution(bind, InvitationsContribution);
    bind(FrontendApplicationContribution).toService(InvitationsContribution);
    bind(VouchLinkContribution).toService(InvitationsContribution);
    bind(UsersToolbarContribution).toSelf().inSingletonScope();
    bind(TabBarToolbarContribution).toService(UsersToolbarContribution);
});
