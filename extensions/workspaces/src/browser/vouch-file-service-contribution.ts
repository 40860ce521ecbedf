import { inject, injectable } from '@theia/core/shared/inversify';
import { FileService, FileServiceContribution } from '@theia/filesystem/lib/browser/file-service';
import { VouchFileSystemProvider } from './vouch-file-system-provider';
import { VouchUri } from './vouch-uri';

/** Registers the `vouch:` file system with the workbench's file service, when a `vouch:` resource is first used. */
@injectable()
export class VouchFileServiceContribution implements FileServiceContribution {
    @inject(VouchFileSystemProvider) protected readonly provider: VouchFileSystemProvider;

    registerFileSystemProviders(service: FileService): void {
        service.onWillActivateFileSystemProvider(event => {
            if (event.scheme === VouchUri.SCHEME && !service.hasProvider(VouchUri.SCHEME)) {
                service.registerProvider(VouchUri.SCHEME, this.provider);
            }
        });
    }
}
