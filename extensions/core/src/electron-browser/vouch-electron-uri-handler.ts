import { ElectronUriHandlerContribution } from '@theia/core/lib/electron-browser/electron-uri-handler';
import { inject, injectable } from '@theia/core/shared/inversify';
import '@theia/core/lib/electron-common/electron-api';
import { SystemLinkOpener } from './system-link-opener';

/** Takes Theia's place as the receiver of the addresses Electron's main process hands to the window. */
@injectable()
export class VouchElectronUriHandler extends ElectronUriHandlerContribution {
    @inject(SystemLinkOpener) protected readonly systemLinks: SystemLinkOpener;

    override initialize(): void {
        window.electronTheiaCore.setOpenUrlHandler(url => this.systemLinks.openUrl(url));
    }
}
