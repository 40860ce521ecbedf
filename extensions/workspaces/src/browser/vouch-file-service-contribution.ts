import { inject, injectable } from '@theia/core/shared/inversify';
import { FileService, FileServiceContribution } from '@theia/filesystem/lib/browser/file-service';
import { VouchFileSystemProvider } from './vouch-file-system-provider';
import { VouchUri } from './vouch-uri';

/** Gives the `vouch:` file system once it is needed. */
export const VouchFileSystemProviderFactory = Symbol('VouchFileSystemProviderFactory');
export type VouchFileSystemProviderFactory = () => VouchFileSystemProvider;

/**
 * Registers the `vouch:` file system with the workbench's file service when a `vouch:`
 * resource is first used. The provider is made then, not with the file service: it needs
 * services (progress, the engine's host) that themselves need the file service.
 */
@injectable()
export class VouchFileServiceContribution implements FileServiceContribution {
    @inject(VouchFileSystemProviderFactory) protected readonly provider: VouchFileSystemProviderFactory;

    registerFileSystemProviders(service: FileService): void {
        service.onWillActivateFileSystemProvider(event => {
            if (event.scheme === VouchUri.SCHEME && !service.hasProvider(VouchUri.SCHEME)) {
                service.registerProvider(VouchUri.SCHEME, this.provider());
            }
        });
    }
}
