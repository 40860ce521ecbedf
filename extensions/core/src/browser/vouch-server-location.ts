import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { VOUCH_SERVER_URL_PREFERENCE, VouchServerPreferences } from '../common/vouch-server-preferences';
import { PageAddress } from './page-address';

/** Who said where the server is: the device's own file, the `vouch.server.url` preference, or the page the workbench came from. */
export type ServerUrlSource = 'device' | 'preference' | 'page';

export interface ServerAddress {
    /** An origin, e.g. `https://vouch.example.org` (the server's Socket.IO path is fixed). */
    readonly url: string;
    readonly source: ServerUrlSource;
}

/**
 * Where the organization server is, in one place: the server the device in hand was enrolled
 * on; else the `vouch.server.url` preference; else the origin of the page (the browser app
 * embeds its server). The desktop app, which has no meaningful page origin, binds its own
 * `PageAddress` or replaces `pageOrigin`.
 */
@injectable()
export class VouchServerLocation implements Disposable {
    @inject(VouchServerPreferences) protected readonly preferences: VouchServerPreferences;
    @inject(PageAddress) protected readonly page: PageAddress;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected deviceServerUrl?: string;
    protected last?: string;
    protected warnedAbout?: string;
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<ServerAddress>();
    /** The address changed (a device was set up or forgotten, the preference was edited). */
    readonly onDidChange: Event<ServerAddress> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.preferences.onPreferenceChanged(event => {
                if (event.preferenceName === VOUCH_SERVER_URL_PREFERENCE) {
                    this.fireIfChanged();
                }
            })
        ]);
        this.preferences.ready.then(() => this.fireIfChanged(), () => undefined);
    }

    /** Resolves once the preference can be read. */
    get ready(): Promise<void> {
        return this.preferences.ready;
    }

    get server(): ServerAddress {
        if (this.deviceServerUrl) {
            return { url: this.deviceServerUrl, source: 'device' };
        }
        const preferred = this.preferredServer();
        return preferred ? { url: preferred, source: 'preference' } : { url: this.pageOrigin(), source: 'page' };
    }

    get serverUrl(): string {
        return this.server.url;
    }

    /** The device this workbench holds, or none: the server it was enrolled on comes first. */
    useDevice(device: { readonly serverUrl: string } | undefined): void {
        this.deviceServerUrl = device && originOf(device.serverUrl);
        this.fireIfChanged();
    }

    protected preferredServer(): string | undefined {
        const value = this.preferences[VOUCH_SERVER_URL_PREFERENCE]?.trim();
        if (!value) {
            return undefined;
        }
        const origin = originOf(value);
        if (!origin && this.warnedAbout !== value) {
            this.warnedAbout = value;
            this.logger.warn(`${VOUCH_SERVER_URL_PREFERENCE} is not an http(s) address, it is ignored: ${value}`);
        }
        return origin;
    }

    /** The browser app's organization server answers on the page's own origin. */
    protected pageOrigin(): string {
        return this.page.origin;
    }

    protected fireIfChanged(): void {
        const server = this.server;
        if (server.url !== this.last) {
            this.last = server.url;
            this.onDidChangeEmitter.fire(server);
        }
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}

/** `https://host[:port]` of an http(s) address; undefined for anything else. */
export function originOf(address: string): string | undefined {
    try {
        const url = new URL(address);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
    } catch {
        return undefined;
    }
}
