import 'reflect-metadata';
import { expect } from 'chai';
import { Emitter, ILogger } from '@theia/core';
import { Container } from '@theia/core/shared/inversify';
import {
    anonymousRequestSchemas, authChallengeMessage, checkNewUser, decodeCertificate, DEFAULT_TIMESTAMP_BALLPARK_MS, fromBase64Url, portableEd25519,
    Reply, ScryptCost
} from '@vouch/protocol';
import { StoredDevice } from '../common/device-file';
import { DeviceKeystore } from './device-keystore';
import { DeviceConnectionStateChange, DeviceCredentials, VouchConnection } from './vouch-connection';
import { VouchServerLocation } from './vouch-server-location';
import { VouchSession, VouchSessionState } from './vouch-session';

class MemoryKeystore implements DeviceKeystore {
    device?: StoredDevice;
    async load(): Promise<StoredDevice | undefined> { return this.device; }
    async save(device: StoredDevice): Promise<void> { this.device = device; }
    async clear(): Promise<void> { this.device = undefined; }
}

/** Plays the server's part: answers bootstrap with `bootstrapReply`, accepts every device. */
class FakeConnection {
    readonly onDidChangeStateEmitter = new Emitter<DeviceConnectionStateChange>();
    readonly onDidChangeState = this.onDidChangeStateEmitter.event;
    readonly onDidAddCertificatesEmitter = new Emitter<{ index: number; kinds: [] }>();
    readonly onDidAddCertificates = this.onDidAddCertificatesEmitter.event;
    readonly onDidChangeProfileEmitter = new Emitter<{ profile: string }>();
    readonly onDidChangeProfile = this.onDidChangeProfileEmitter.event;
    profile = 'ADMINISTRATOR';
    readonly anonymousRequests: { event: string; payload: unknown }[] = [];
    bootstrapReply: Reply<unknown> = { ok: true, value: {} };
    credentials?: DeviceCredentials;

    async requestAnonymous(event: string, payload: unknown): Promise<Reply<unknown>> {
        this.anonymousRequests.push({ event, payload });
        return this.bootstrapReply;
    }
    async request(): Promise<Reply<unknown>> {
        return { ok: true, value: { organizationId: 'Acme', profile: this.profile, serverTime: new Date().toISOString() } };
    }
    connectDevice(credentials: DeviceCredentials): void {
        this.credentials = credentials;
        this.onDidChangeStateEmitter.fire({ state: 'connecting' });
        this.onDidChangeStateEmitter.fire({ state: 'connected' });
    }
    disconnectDevice(): void { /* nothing to close */ }
}

/** The server this workbench talks to; the session tells it which device it holds. */
class FakeServerLocation {
    readonly ready = Promise.resolve();
    deviceServerUrl?: string;
    get serverUrl(): string { return this.deviceServerUrl ?? 'https://vouch.example.org'; }
    useDevice(device: { serverUrl: string } | undefined): void { this.deviceServerUrl = device?.serverUrl; }
}

class TestSession extends VouchSession {
    protected override scryptCost(): ScryptCost {
        return { N: 16, r: 8, p: 1 };
    }
}

const silentLogger = { error: () => undefined, warn: () => undefined, info: () => undefined } as unknown as ILogger;

function createSession(keystore: MemoryKeystore, connection: FakeConnection, location = new FakeServerLocation()): VouchSession {
    const container = new Container();
    container.bind(VouchServerLocation).toConstantValue(location as unknown as VouchServerLocation);
    container.bind(DeviceKeystore).toConstantValue(keystore);
    container.bind(VouchConnection).toConstantValue(connection as unknown as VouchConnection);
    container.bind(ILogger).toConstantValue(silentLogger).whenTargetNamed('vouch');
    container.bind(TestSession).toSelf();
    return container.get(TestSession);
}

describe('VouchSession', () => {
    const link = { action: 'bootstrap' as const, serverUrl: 'http://127.0.0.1:3000', organizationId: 'Acme', token: 'token-1' };
    const form = { name: 'Alice', email: 'alice@example.com', deviceLabel: 'Laptop', password: 'long password', passwordConfirmation: 'long password' };

    it('bootstraps: sends certificates the server rules accept, stores the device, connects', async () => {
        const keystore = new MemoryKeystore();
        const connection = new FakeConnection();
        const session = createSession(keystore, connection);
        await session.ready;
        expect(session.state).to.equal('no-device');
        const states: VouchSessionState[] = [];
        session.onDidChangeState(state => states.push(state));

        expect(await session.bootstrap(link, form)).to.deep.equal({ ok: true, value: undefined });

        const request = connection.anonymousRequests[0];
        expect(request.event).to.equal('organization.bootstrap');
        const payload = anonymousRequestSchemas['organization.bootstrap'].parse(request.payload);
        const checked = checkNewUser(payload.certificates, {
            scheme: portableEd25519, rootVerifyKey: fromBase64Url(payload.rootVerifyKey)!, now: Date.now(), ballparkMs: DEFAULT_TIMESTAMP_BALLPARK_MS,
            head: { digest: null, timestamp: undefined }, device: () => undefined, user: () => undefined
        }, { bootstrap: true });
        expect(checked.ok).to.equal(true);
        expect(payload.token).to.equal('token-1');
        // The device names the server it was enrolled on: the one the workbench talked to, not the link's.
        expect(keystore.device).to.include({ organizationId: 'Acme', deviceLabel: 'Laptop', serverUrl: 'https://vouch.example.org' });
        expect(states).to.include.members(['connecting', 'connected']);
        expect(session.state).to.equal('connected');
        expect(session.createTrustStore()).not.to.equal(undefined);

        // The device proves itself with the key its certificate names.
        const device = decodeCertificate(payload.certificates.device);
        const verifyKey = device.ok && device.value.content.kind === 'device' ? fromBase64Url(device.value.content.verifyKey)! : new Uint8Array();
        const message = authChallengeMessage('Acme', keystore.device!.deviceId, 'challenge');
        expect(portableEd25519.verify(verifyKey, message, connection.credentials!.sign(message))).to.equal(true);
    });

    it('keeps nothing when the form or the server refuses', async () => {
        const keystore = new MemoryKeystore();
        const connection = new FakeConnection();
        const session = createSession(keystore, connection);
        const invalid = await session.bootstrap(link, { ...form, email: 'nope' });
        expect(!invalid.ok && invalid.error.kind).to.equal('invalid-form');
        expect(connection.anonymousRequests).to.have.length(0);

        connection.bootstrapReply = { ok: false, error: { code: 'BOOTSTRAP_TOKEN_INVALID', message: 'bad token' } };
        const refused = await session.bootstrap(link, form);
        expect(refused).to.deep.equal({ ok: false, error: { kind: 'server', code: 'BOOTSTRAP_TOKEN_INVALID', message: 'bad token' } });
        expect(keystore.device).to.equal(undefined);
        expect(session.state).to.equal('no-device');
    });

    it('starts locked with a stored device, stays locked on a wrong password, connects with the right one', async () => {
        const keystore = new MemoryKeystore();
        await createSession(keystore, new FakeConnection()).bootstrap(link, form);

        const connection = new FakeConnection();
        const location = new FakeServerLocation();
        const session = createSession(keystore, connection, location);
        await session.ready;
        expect(session.state).to.equal('locked');
        expect(location.deviceServerUrl, 'the stored device says where its server is').to.equal('https://vouch.example.org');
        expect(await session.unlock('wrong password')).to.deep.equal({ ok: false, error: 'WRONG_PASSWORD' });
        expect(session.state).to.equal('locked');
        expect(connection.credentials).to.equal(undefined);

        expect(await session.unlock(form.password)).to.deep.equal({ ok: true, value: undefined });
        expect(session.state).to.equal('connected');
        expect(connection.credentials?.deviceId).to.equal(keystore.device!.deviceId);
    });

    it('reports a refusal with its reason, and reconnecting', async () => {
        const keystore = new MemoryKeystore();
        const connection = new FakeConnection();
        const session = createSession(keystore, connection);
        await session.bootstrap(link, form);
        connection.onDidChangeStateEmitter.fire({ state: 'reconnecting' });
        expect(session.state).to.equal('reconnecting');
        connection.onDidChangeStateEmitter.fire({ state: 'refused', refusal: { code: 'AUTH_USER_REVOKED', message: 'revoked' } });
        expect(session.state).to.equal('refused');
        expect(session.refusal).to.deep.equal({ code: 'AUTH_USER_REVOKED', message: 'revoked' });
    });

    it('follows a profile change pushed by the server, and forgets its keys once revoked', async () => {
        const connection = new FakeConnection();
        const session = createSession(new MemoryKeystore(), connection);
        await session.bootstrap(link, form);
        await new Promise(resolve => setTimeout(resolve, 0));
        expect(session.profile).to.equal('ADMINISTRATOR');
        const changed = new Promise(resolve => session.onDidChangeState(resolve));
        connection.profile = 'MEMBER';
        connection.onDidChangeProfileEmitter.fire({ profile: 'MEMBER' });
        await changed;
        expect(session.profile).to.equal('MEMBER');

        const deviceId = session.device!.deviceId;
        const update = { kind: 'user_update' as const, version: 1 as const, author: deviceId, timestamp: Date.now(), previous: null, userId: session.device!.userId, newProfile: 'MEMBER' as const };
        expect(session.signCertificates([update])).to.have.length(1);
        expect(session.signCertificates([{ ...update, author: 'f'.repeat(32) }]), 'only its own device signs').to.equal(undefined);
        connection.onDidChangeStateEmitter.fire({ state: 'refused', refusal: { code: 'AUTH_USER_REVOKED', message: 'revoked' } });
        expect(session.signCertificates([update])).to.equal(undefined);
        expect(session.rootVerifyKey).to.equal(undefined);
        expect(session.profile).to.equal(undefined);
    });
});
