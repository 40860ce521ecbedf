import { Disposable, PreferenceScope, PreferenceService } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { parseLink } from '@vouch/protocol';
import { VOUCH_SERVER_URL_PREFERENCE } from '../common/vouch-server-preferences';
import { LinkOpening, VouchLinkHandler } from '../browser/vouch-link-handler';
import { VouchServerLocation } from '../browser/vouch-server-location';
import { VouchSession } from '../browser/vouch-session';

/**
 * The desktop app has no page origin to fall back on: the organization server is the one its
 * device was enrolled on, else the one the person named (first-run question, or the server of
 * a link they opened), kept as the `vouch.server.url` user preference.
 */
@injectable()
export class DesktopServerChoice {
    @inject(PreferenceService) protected readonly preferences: PreferenceService;
    @inject(VouchServerLocation) protected readonly location: VouchServerLocation;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(VouchLinkHandler) protected readonly links: VouchLinkHandler;

    /** A device talks to the server it was enrolled on, whatever the preference says. */
    get holdsDevice(): boolean {
        return this.session.device !== undefined;
    }

    /** No device, and nobody said where the server is: the app must ask. */
    async needsServer(): Promise<boolean> {
        await this.session.ready;
        return !this.session.device && this.location.server.source === 'page';
    }

    /** Remembers the server in the user's settings and resolves once the workbench talks to it. */
    async useServer(serverUrl: string): Promise<void> {
        const followed = this.locationReaches(serverUrl);
        await this.preferences.set(VOUCH_SERVER_URL_PREFERENCE, serverUrl, PreferenceScope.User);
        await followed;
    }

    /**
     * A link from the operating system or the first-run question: a workbench without a device
     * first goes to the link's server, then the one link handler opens it. A device keeps its
     * own server (the link's contribution says what it can do with a link of another one).
     */
    async openLink(address: string): Promise<LinkOpening> {
        await this.session.ready;
        const link = parseLink(address);
        if (link && !this.session.device && this.location.serverUrl !== link.serverUrl) {
            await this.useServer(link.serverUrl);
        }
        return this.links.openLink(address);
    }

    protected locationReaches(serverUrl: string): Promise<void> {
        if (this.location.serverUrl === serverUrl) {
            return Promise.resolve();
        }
        return new Promise(resolve => {
            const listener: Disposable = this.location.onDidChange(server => {
                if (server.url === serverUrl) {
                    listener.dispose();
                    resolve();
                }
            });
        });
    }
}
