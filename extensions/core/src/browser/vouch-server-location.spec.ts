import 'reflect-metadata';
import { expect } from 'chai';
import { Emitter, ILogger } from '@theia/core';
import { Container } from '@theia/core/shared/inversify';
import { VOUCH_SERVER_URL_PREFERENCE, VouchServerPreferences } from '../common/vouch-server-preferences';
import { PageAddress } from './page-address';
import { ServerAddress, VouchServerLocation } from './vouch-server-location';

/** The `vouch.server.url` preference as the proxy shows it; `set` is what editing settings.json does. */
class FakeServerPreferences {
    protected value = '';
    readonly onPreferenceChangedEmitter = new Emitter<{ preferenceName: string }>();
    readonly onPreferenceChanged = this.onPreferenceChangedEmitter.event;
    readonly ready = Promise.resolve();
    get [VOUCH_SERVER_URL_PREFERENCE](): string { return this.value; }
    set(value: string): void {
        this.value = value;
        this.onPreferenceChangedEmitter.fire({ preferenceName: VOUCH_SERVER_URL_PREFERENCE });
    }
}


describe('VouchServerLocation', () => {
    const warnings: string[] = [];
    const logger = { warn: (message: string) => warnings.push(message), error: () => undefined, info: () => undefined } as unknown as ILogger;

    function create(): { location: VouchServerLocation; preferences: FakeServerPreferences } {
        const preferences = new FakeServerPreferences();
        const container = new Container();
        container.bind(VouchServerPreferences).toConstantValue(preferences as unknown as VouchServerPreferences);
        container.bind(ILogger).toConstantValue(logger).whenTargetNamed('vouch');
        // A page opened from the browser app's own server.
        container.bind(PageAddress).toConstantValue({ origin: 'http://127.0.0.1:3000' } as PageAddress);
        container.bind(VouchServerLocation).toSelf();
        return { location: container.get(VouchServerLocation), preferences };
    }

    it('takes the device\'s server first, then the preference, then the page\'s origin', () => {
        const { location, preferences } = create();
        expect(location.server).to.deep.equal({ url: 'http://127.0.0.1:3000', source: 'page' });

        preferences.set('https://vouch.example.org/');
        expect(location.server).to.deep.equal({ url: 'https://vouch.example.org', source: 'preference' });

        location.useDevice({ serverUrl: 'https://enrolled.example.org:8443/' });
        expect(location.server).to.deep.equal({ url: 'https://enrolled.example.org:8443', source: 'device' });
        preferences.set('https://elsewhere.example.org');
        expect(location.serverUrl, 'a device keeps its server whatever the preference says').to.equal('https://enrolled.example.org:8443');

        location.useDevice(undefined);
        expect(location.server).to.deep.equal({ url: 'https://elsewhere.example.org', source: 'preference' });
        preferences.set('  ');
        expect(location.server).to.deep.equal({ url: 'http://127.0.0.1:3000', source: 'page' });
    });

    it('ignores a preference that is not an http(s) address, and says so once', () => {
        const { location, preferences } = create();
        warnings.length = 0;
        for (const value of ['vouch.example.org', 'ftp://vouch.example.org', 'javascript:alert(1)']) {
            preferences.set(value);
            expect(location.server, value).to.deep.equal({ url: 'http://127.0.0.1:3000', source: 'page' });
            expect(location.server, value).to.deep.equal({ url: 'http://127.0.0.1:3000', source: 'page' });
        }
        expect(warnings).to.have.length(3);
        expect(warnings[0]).to.contain('vouch.example.org');
    });

    it('tells when the address changes, and only then', async () => {
        const { location, preferences } = create();
        await location.ready;
        const changes: ServerAddress[] = [];
        location.onDidChange(change => changes.push(change));
        preferences.set('https://vouch.example.org');
        preferences.set('https://vouch.example.org/');
        location.useDevice({ serverUrl: 'https://vouch.example.org' });
        location.useDevice({ serverUrl: 'https://other.example.org' });
        expect(changes).to.deep.equal([
            { url: 'https://vouch.example.org', source: 'preference' },
            { url: 'https://other.example.org', source: 'device' }
        ]);
    });
});
