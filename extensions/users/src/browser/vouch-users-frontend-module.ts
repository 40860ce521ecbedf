import { bindViewContribution, WidgetFactory } from '@theia/core/lib/browser';
import { ContainerModule } from '@theia/core/shared/inversify';
import { UsersModel } from './users-model';
import { UsersViewContribution } from './users-view-contribution';
import { USERS_WIDGET_ID, UsersWidget } from './users-widget';
import '../../src/browser/style/users.css';

export default new ContainerModule(bind => {
    bind(UsersModel).toSelf().inSingletonScope();
    bind(UsersWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: USERS_WIDGET_ID,
        createWidget: () => ctx.container.get(UsersWidget)
    })).inSingletonScope();
    bindViewContribution(bind, UsersViewContribution);
});

