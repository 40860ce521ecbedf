import 'reflect-metadata';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { expect } from 'chai';
import { bindContributionProvider, Emitter, ILogger, MessageService, PreferenceScope, PreferenceService } from '@theia/core';
import { OpenerService } from '@theia/core/lib/browser/opener-service';
import { ApplicationError } from '@theia/core/lib/common/application-error';
import URI from '@theia/core/lib/common/uri';
import { Container } from '@theia/core/shared/inversify';
import { InMemoryCredentialsProvider } from '@theia/core/lib/node/key-store-server';
import { buildInvitationLink, fail, LinkAction, ok, Outcome, toVouchSchemeLink, VouchLink } from '@vouch/protocol';
import { DesktopKeychainError, DesktopKeychainService, KEYCHAIN_SERVICE } from '../common/desktop-keychain-protocol';
import { DesktopRecordsService } from '../common/desktop-records-protocol';
import { DeviceKeys, openDevice, sealDevice, StoredDevice } from '../common/device-file';
import { VOUCH_SERVER_URL_PREFERENCE } from '../common/vouch-server-preferences';
import { DevicePasswordKeychain, DeviceUnlock } from '../browser/device-password-keychain';
import { VouchLinkContribution, VouchLinkHandler } from '../browser/vouch-link-handler';
import { ServerAddress, VouchServerLocation } from '../browser/vouch-server-location';
import { UnlockFailure, VouchSession } from '../browser/vouch-session';
import { Keytar, OsKeychain } from '../electron-node/os-keychain';
import { RecordsFolder } from '../electron-node/desktop-records-files';
import { FileDeviceKeystore, FileVerifiedHeadStore } from './desktop-file-stores';
import { DesktopServerChoice } from './desktop-server-choice';
import { OsDevicePasswordKeychain } from './os-device-password-keychain';
import { SystemLinkOpener } from './system-link-opener';

const SERVER = 'https://vouch.example.org';
const facts = {
    serverUrl: SERVER, organizationId: 'Acme', userId: 'a'.repeat(32), deviceId: 'b'.repeat(32),
    humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', createdOn: '2026-01-01T00:00:00.000Z'
};
const keys: DeviceKeys = { deviceSigningKey: 'A'.repeat(42) + 'E', userPrivateKey: 'B'.repeat(42) + 'E', rootVerifyKey: 'C'.repeat(42) + 'E' };
const silentLogger = { error: () => undefined, warn: () => undefined, info: () => undefined } as unknown as ILogger;

/** The session as the desktop pieces see it: the device it holds, unlocked by its real sealed box. */
class SealedDeviceSession {
    device?: StoredDevice;
    unlocked?: DeviceKeys;
    readonly ready = Promise.resolve();
    async unlock(password: string): Promise<Outcome<void, UnlockFailure>> {
        if (!this.device) {
            return fail('NO_DEVICE');
        }
        const opened = await openDevice(this.device, password);
        if (!opened.ok) {
            return opened;
        }
        this.unlocked = opened.value;
        return ok(undefined);
    }
}

/** The server location as it follows the `vouch.server.url` preference. */
class PreferenceFollowingLocation {
    readonly onDidChangeEmitter = new Emitter<ServerAddress>();
    readonly onDidChange = this.onDidChangeEmitter.event;
    preferred?: string;
    get server(): ServerAddress {
        return this.preferred ? { url: this.preferred, source: 'preference' } : { url: 'file://', source: 'page' };
    }
    get serverUrl(): string {
        return this.server.url;
    }
}

class RecordingPreferences {
    readonly set: { name: string; value: unknown; scope?: PreferenceScope }[] = [];
    constructor(protected readonly location: PreferenceFollowingLocation) { }
    async setPreference(name: string, value: unknown, scope?: PreferenceScope): Promise<void> {
        this.set.push({ name, value, scope });
        // As the preference service does: the change reaches its listeners after set() resolves.
        setTimeout(() => {
            this.location.preferred = value as string;
            this.location.onDidChangeEmitter.fire(this.location.server);
        }, 10);
    }
}

class RecordingContribution implements VouchLinkContribution {
    readonly opened: VouchLink[] = [];
    readonly serverWhenOpened: string[] = [];
    constructor(readonly actions: readonly LinkAction[], protected readonly location: PreferenceFollowingLocation) { }
    async openLink(link: VouchLink): Promise<void> {
        this.opened.push(link);
        this.serverWhenOpened.push(this.location.serverUrl);
    }
}

describe('the desktop app\'s frontend pieces', () => {
    let root: string;
    let records: RecordsFolder;

    beforeEach(async () => {
        root = await fs.mkdtemp(path.join(os.tmpdir(), 'vouch-desktop-'));
        records = new RecordsFolder(path.join(root, 'vouch'));
    });

    afterEach(async () => {
        await fs.rm(root, { recursive: true, force: true });
    });

    function desktopContainer(session = new SealedDeviceSession()) {
        const location = new PreferenceFollowingLocation();
        const preferences = new RecordingPreferences(location);
        const claims = new RecordingContribution(['claim'], location);
        const opened: string[] = [];
        const container = new Container();
        container.bind(DesktopRecordsService).toConstantValue(records);
        container.bind(FileDeviceKeystore).toSelf();
        container.bind(FileVerifiedHeadStore).toSelf();
        container.bind(VouchSession).toConstantValue(session as unknown as VouchSession);
        container.bind(VouchServerLocation).toConstantValue(location as unknown as VouchServerLocation);
        container.bind(PreferenceService).toConstantValue({ set: preferences.setPreference.bind(preferences) } as unknown as PreferenceService);
        bindContributionProvider(container, VouchLinkContribution);
        container.bind(VouchLinkContribution).toConstantValue(claims);
        container.bind(MessageService).toConstantValue({ error: async () => undefined } as unknown as MessageService);
        container.bind(ILogger).toConstantValue(silentLogger).whenTargetNamed('vouch');
        container.bind(VouchLinkHandler).toSelf().inSingletonScope();
        container.bind(DesktopServerChoice).toSelf().inSingletonScope();
        container.bind(OpenerService).toConstantValue({
            getOpener: async (uri: URI) => ({ open: async () => opened.push(uri.toString()) })
        } as unknown as OpenerService);
        container.bind(SystemLinkOpener).toSelf();
        return { container, location, preferences, claims, opened, session };
    }

    it('keeps the device sealed in the config folder\'s file, only ciphertext, and reads it back from a new keystore', async () => {
        const { container } = desktopContainer();
        const device = await sealDevice(facts, keys, 'correct horse', { N: 16, r: 8, p: 1 });
        await container.get(FileDeviceKeystore).save(device);
        const text = await fs.readFile(path.join(root, 'vouch', 'vouch.devices.json'), 'utf8');
        expect(text).to.not.include(keys.deviceSigningKey).and.not.include(keys.userPrivateKey).and.not.include('correct horse');
        expect(await container.get(FileDeviceKeystore).load()).to.deep.equal(device);

        await container.get(FileVerifiedHeadStore).save('Acme/device', { index: 4, digest: 'abc' });
        expect(await container.get(FileVerifiedHeadStore).load('Acme/device')).to.deep.equal({ index: 4, digest: 'abc' });

        await container.get(FileDeviceKeystore).clear();
        expect(await container.get(FileDeviceKeystore).load()).to.equal(undefined);
        // Something in the file that is not a device is no device.
        await records.put('vouch', 'devices', 'current', { nonsense: true });
        expect(await container.get(FileDeviceKeystore).load()).to.equal(undefined);
    });

    it('routes a vouch:// link from the system, untouched, through the link\'s server to the one link handler', async () => {
        const { container, location, preferences, claims, opened } = desktopContainer();
        const opener = container.get(SystemLinkOpener);
        const systemHandler = (url: string) => opener.openUrl(url);

        // A token holding "&" and "=" survives: the handler gets the exact address.
        const link = toVouchSchemeLink(buildInvitationLink('http://127.0.0.1:4100', 'Acme', 'to&ken=1'))!;
        expect(await systemHandler(link)).to.equal(true);
        await waitUntil(() => claims.opened.length === 1);
        expect(claims.opened[0]).to.deep.include({ action: 'claim', serverUrl: 'http://127.0.0.1:4100', token: 'to&ken=1' });
        // The workbench went to the link's server before the link was opened, and remembers it.
        expect(claims.serverWhenOpened).to.deep.equal(['http://127.0.0.1:4100']);
        expect(preferences.set).to.deep.equal([{ name: VOUCH_SERVER_URL_PREFERENCE, value: 'http://127.0.0.1:4100', scope: PreferenceScope.User }]);
        expect(location.server.source).to.equal('preference');

        // Anything else goes to Theia's openers, as before.
        expect(await systemHandler('https://example.org/docs')).to.equal(true);
        expect(opened).to.deep.equal(['https://example.org/docs']);
    });

    it('asks for a server only while there is no device and none was named; a device keeps its own server when a link arrives', async () => {
        const session = new SealedDeviceSession();
        const { container, preferences, claims } = desktopContainer(session);
        const choice = container.get(DesktopServerChoice);
        expect(await choice.needsServer()).to.equal(true);
        await choice.useServer(SERVER);
        expect(await choice.needsServer()).to.equal(false);
        expect(choice.holdsDevice).to.equal(false);

        session.device = await sealDevice(facts, keys, 'pw', { N: 16, r: 8, p: 1 });
        expect(choice.holdsDevice).to.equal(true);
        await choice.openLink(buildInvitationLink('http://other.example', 'Acme', 'token'));
        expect(preferences.set.map(set => set.value)).to.deep.equal([SERVER]);
        expect(claims.opened).to.have.length(1);
    });

    describe('the password in the system keychain, when ticked', () => {
        class TestKeychain extends OsKeychain {
            constructor(protected readonly loader: () => Promise<Keytar>) {
                super();
            }
            protected override loadKeytar(): Promise<Keytar> {
                return this.loader();
            }
        }

        function unlockWith(keychain: DesktopKeychainService, session: SealedDeviceSession): DeviceUnlock {
            const container = new Container();
            container.bind(DesktopKeychainService).toConstantValue(keychain);
            container.bind(OsDevicePasswordKeychain).toSelf();
            container.bind(DevicePasswordKeychain).toService(OsDevicePasswordKeychain);
            container.bind(VouchSession).toConstantValue(session as unknown as VouchSession);
            container.bind(ILogger).toConstantValue(silentLogger).whenTargetNamed('vouch');
            container.bind(DeviceUnlock).toSelf();
            return container.get(DeviceUnlock);
        }

        it('remembers only when ticked, unlocks with it next time, and forgets one that no longer opens the device', async () => {
            const vault = new InMemoryCredentialsProvider();
            const keychain = new TestKeychain(async () => vault as unknown as Keytar);
            const session = new SealedDeviceSession();
            session.device = await sealDevice(facts, keys, 'right password', { N: 16, r: 8, p: 1 });
            const account = `${facts.organizationId}/${facts.deviceId}`;

            expect(await unlockWith(keychain, session).canRemember()).to.equal(true);
            expect(await unlockWith(keychain, session).unlock('wrong password', true)).to.deep.equal({ ok: false, error: 'WRONG_PASSWORD' });
            expect(await vault.getPassword(KEYCHAIN_SERVICE, account)).to.equal(null);
            expect(await unlockWith(keychain, session).unlock('right password', false)).to.deep.equal({ ok: true, value: {} });
            expect(await vault.getPassword(KEYCHAIN_SERVICE, account)).to.equal(null);

            expect(await unlockWith(keychain, session).unlock('right password', true)).to.deep.equal({ ok: true, value: {} });
            expect(await vault.getPassword(KEYCHAIN_SERVICE, account)).to.equal('right password');
            session.unlocked = undefined;
            expect(await unlockWith(keychain, session).unlockWithRememberedPassword()).to.equal(true);
            expect(session.unlocked).to.deep.equal(keys);

            // The device was sealed again under another password elsewhere: the remembered one goes.
            session.device = await sealDevice(facts, keys, 'new password', { N: 16, r: 8, p: 1 });
            expect(await unlockWith(keychain, session).unlockWithRememberedPassword()).to.equal(false);
            expect(await vault.getPassword(KEYCHAIN_SERVICE, account)).to.equal(null);
        });

        it('offers nothing and keeps nothing anywhere when the keychain does not answer', async () => {
            const keychain = new TestKeychain(async () => {
                const vault = new InMemoryCredentialsProvider();
                return Object.assign(vault, { findCredentials: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')) }) as unknown as Keytar;
            });
            expect(await keychain.unavailableReason()).to.equal('Cannot autolaunch D-Bus without X11 $DISPLAY');
            const refused = await keychain.setPassword('Acme/device', 'secret').then(() => undefined, error => error);
            expect(ApplicationError.is(refused) && refused.code).to.equal(DesktopKeychainError.Unavailable.code);
            const session = new SealedDeviceSession();
            session.device = await sealDevice(facts, keys, 'right password', { N: 16, r: 8, p: 1 });
            expect(await unlockWith(keychain, session).canRemember()).to.equal(false);
            expect(await unlockWith(keychain, session).unlockWithRememberedPassword()).to.equal(false);
        });

        it('says what this machine\'s keychain answers through the real keytar, and keeps nothing when it cannot', async () => {
            const keychain = new OsKeychain();
            const reason = await keychain.unavailableReason();
            if (reason !== undefined) {
                const refused = await keychain.getPassword('Acme/device').then(() => undefined, error => error);
                expect(ApplicationError.is(refused) && refused.code).to.equal(DesktopKeychainError.Unavailable.code);
            } else {
                expect(await keychain.getPassword(`Acme/missing-${Date.now()}`)).to.equal(undefined);
            }
        });
    });
});

async function waitUntil(condition: () => boolean): Promise<void> {
    for (let attempt = 0; !condition(); attempt++) {
        if (attempt > 200) {
            throw new Error('condition not met');
        }
        await new Promise(resolve => setTimeout(resolve, 10));
    }
}
