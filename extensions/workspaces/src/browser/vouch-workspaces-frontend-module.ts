import { ContainerModule } from '@theia/core/shared/inversify';

/** The Workspaces view, its commands and the `vouch:` file system. */
export default new ContainerModule(() => {
    // Filled in by the workspaces issue (10).
});
