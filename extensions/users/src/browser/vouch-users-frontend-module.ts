import { bindViewContribution, FrontendApplicationContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ContainerModule } from '@theia/core/shared/inversify';
import { UsersModel } from './users-model';
import { UsersViewContribution } from './users-view-contribution';
import { USERS_WIDGET_ID, UsersWidget } from './users-widget';
import { CommandContribution, MenuContribution } from '@theia/core';
import { KeybindingContribution } from '@theia/core/lib/browser/keybinding';
import { bindUsersPreferences } from '../common/users-preferences';
import { OrganizationHistoryContribution } from './history/organization-history-contribution';
import { OrganizationHistoryModel } from './history/organization-history-model';
import { HistoryExporter } from './history/history-exporter';
import { ORGANIZATION_HISTORY_WIDGET_ID, OrganizationHistoryWidget } from './history/organization-history-widget';
import { UserChangesClient } from './user-changes-client';
import { UserChangesContribution } from './user-changes-contribution';
import '../../src/browser/style/users.css';

export default new ContainerModule(bind => {
    bindUsersPreferences(bind);
    bind(UsersModel).toSelf().inSingletonScope();
    bind(UsersWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: USERS_WIDGET_ID,
        createWidget: () => ctx.container.get(UsersWidget)
    })).inSingletonScope();
    bindViewContribution(bind, UsersViewContribution);
    bind(FrontendApplicationContribution).toService(UsersViewContribution);

    bind(UserChangesClient).toSelf().inSingletonScope();
    bind(UserChangesContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(UserChangesContribution);
    bind(MenuContribution).toService(UserChangesContribution);
    bind(KeybindingContribution).toService(UserChangesContribution);

    bind(OrganizationHistoryModel).toSelf().inSingletonScope();
    bind(HistoryExporter).toSelf().inSingletonScope();
    bind(OrganizationHistoryWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: ORGANIZATION_HISTORY_WIDGET_ID,
        createWidget: () => ctx.container.get(OrganizationHistoryWidget)
    })).inSingletonScope();
    bindViewContribution(bind, OrganizationHistoryContribution);
});

