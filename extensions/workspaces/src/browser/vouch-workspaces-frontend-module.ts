import { bindViewContribution, FrontendApplicationContribution, LabelProviderContribution, WidgetFactory } from '@theia/core/lib/browser';
import { QuickAccessContribution } from '@theia/core/lib/browser/quick-input/quick-access';
import { ContainerModule } from '@theia/core/shared/inversify';
import { FileServiceContribution } from '@theia/filesystem/lib/browser/file-service';
import { WorkspaceService } from '@theia/workspace/lib/browser/workspace-service';
import { CommandContribution, MenuContribution } from '@theia/core';
import { bindReencryptionPreferences } from '../common/reencryption-preferences';
import { createWorkspaceEngine } from '../common/workspace-engine';
import { OpenWorkspaces } from './open-workspaces';
import { PeopleDirectory } from './people-directory';
import { FilepathBreadcrumbsContribution } from '@theia/filesystem/lib/browser/breadcrumbs/filepath-breadcrumbs-contribution';
import { FileUploadService } from '@theia/filesystem/lib/common/upload/file-upload';
import { VouchFileUploadService } from './vouch-file-upload-service';
import { VouchBreadcrumbsContribution } from './vouch-breadcrumbs-contribution';
import { VouchExplorerRoots } from './vouch-explorer-roots';
import { ReencryptionContribution } from './reencryption-contribution';
import { ReencryptionRuns } from './reencryption-runs';
import { WorkspacesRevocationImpact } from './revocation-impact-provider';
import { RevocationImpactProvider } from '@vouch/users/lib/browser/revocation-impact';
import { VouchFileServiceContribution, VouchFileSystemProviderFactory } from './vouch-file-service-contribution';
import { VouchFileSystemProvider } from './vouch-file-system-provider';
import { VouchLabelProviderContribution } from './vouch-label-provider-contribution';
import { VouchQuickFileOpen } from './vouch-quick-file-open';
import { VouchWorkspaceRoots } from './vouch-workspace-roots';
import { VouchWorkspaceService } from './vouch-workspace-service';
import { WorkspaceEngineFactory, WorkspaceEngineHost } from './workspace-engine-host';
import { WorkspacesContribution } from './workspaces-contribution';
import { WORKSPACES_WIDGET_ID, WorkspacesWidget } from './workspaces-widget';
import '../../src/browser/style/workspaces.css';

/** The Workspaces view, its commands and the `vouch:` file system. */
export default new ContainerModule((bind, _unbind, _isBound, rebind) => {
    bind(WorkspaceEngineFactory).toConstantValue((host: Parameters<WorkspaceEngineFactory>[0]) => createWorkspaceEngine(host));
    bind(WorkspaceEngineHost).toSelf().inSingletonScope();
    bind(OpenWorkspaces).toSelf().inSingletonScope();
    bind(VouchWorkspaceRoots).toSelf().inSingletonScope();
    bind(PeopleDirectory).toSelf().inSingletonScope();

    bind(VouchFileSystemProvider).toSelf().inSingletonScope();
    bind(VouchFileSystemProviderFactory).toFactory(ctx => () => ctx.container.get(VouchFileSystemProvider));
    bind(VouchFileServiceContribution).toSelf().inSingletonScope();
    bind(FileServiceContribution).toService(VouchFileServiceContribution);
    bind(VouchWorkspaceService).toSelf().inSingletonScope();
    rebind(WorkspaceService).toService(VouchWorkspaceService);
    bind(VouchLabelProviderContribution).toSelf().inSingletonScope();
    bind(LabelProviderContribution).toService(VouchLabelProviderContribution);

    bind(VouchFileUploadService).toSelf().inSingletonScope();
    rebind(FileUploadService).toService(VouchFileUploadService);
    rebind(FilepathBreadcrumbsContribution).to(VouchBreadcrumbsContribution).inSingletonScope();
    bind(VouchExplorerRoots).toSelf().inSingletonScope();
    bind(FrontendApplicationContribution).toService(VouchExplorerRoots);

    bind(VouchQuickFileOpen).toSelf().inSingletonScope();
    bind(QuickAccessContribution).toService(VouchQuickFileOpen);

    bind(WorkspacesWidget).toSelf();
    bind(WidgetFactory).toDynamicValue(ctx => ({
        id: WORKSPACES_WIDGET_ID,
        createWidget: () => ctx.container.get(WorkspacesWidget)
    })).inSingletonScope();
    bindViewContribution(bind, WorkspacesContribution);
    bind(FrontendApplicationContribution).toService(WorkspacesContribution);

    bindReencryptionPreferences(bind);
    bind(ReencryptionRuns).toSelf().inSingletonScope();
    bind(ReencryptionContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(ReencryptionContribution);
    bind(MenuContribution).toService(ReencryptionContribution);
    bind(FrontendApplicationContribution).toService(ReencryptionContribution);
    bind(RevocationImpactProvider).to(WorkspacesRevocationImpact).inSingletonScope();
});

