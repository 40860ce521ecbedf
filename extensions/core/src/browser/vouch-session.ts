import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { Deferred } from '@theia/core/lib/common/promise-util';
import {
    ApiError, AuthErrorData, BootstrapLink, CertificatesAddedEvent, CertificateSigner, CertificateTrustStore, DEFAULT_SCRYPT_COST, fail, fromBase64Url, LogPosition, ok, OrganizationId, Outcome,
    portableEd25519, positionAfter, Reply, ScryptCost, sendAtLogPosition, SessionInfo, Certificate, SignedCertificate, signCertificate, UserProfile
} from '@vouch/protocol';
import { createBootstrapCertificates } from '../common/bootstrap-certificates';
import { BootstrapForm, BootstrapFormProblem, validateBootstrapForm } from '../common/bootstrap-form';
import { DeviceFacts, DeviceKeys, openDevice, sealDevice, StoredDevice } from '../common/device-file';
import { DeviceKeystore } from './device-keystore';
import { DeviceConnectionStateChange, VouchConnection } from './vouch-connection';
import { VouchServerLocation } from './vouch-server-location';

/**
 * no-device: nothing stored in this browser; locked: a device waits for its password;
 * connecting / connected / reconnecting: the device namespace; refused: the server said no.
 */
export type VouchSessionState = 'no-device' | 'locked' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

export type BootstrapFailure =
    | { readonly kind: 'invalid-form'; readonly problems: readonly BootstrapFormProblem[] }
    | { readonly kind: 'server'; readonly code: string; readonly message: string }
    | { readonly kind: 'already-has-device' };

export type UnlockFailure = 'WRONG_PASSWORD' | 'MALFORMED' | 'NO_DEVICE';

/** How often a certificate write is signed again after losing the race for the log's head. */
export const LOG_HEAD_RETRIES = 3;

/** What the enrolment says about a new device; the server it lives on is the one this workbench talks to. */
export type EnrolledDeviceFacts = Omit<DeviceFacts, 'serverUrl'>;

/**
 * The workbench's session with its organization: which device this browser holds, whether
 * it is unlocked, and the state of its connection. Views read it and listen to it.
 */
@injectable()
export class VouchSession implements Disposable {
    @inject(DeviceKeystore) protected readonly keystore: DeviceKeystore;
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(VouchServerLocation) protected readonly location: VouchServerLocation;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected currentState: VouchSessionState = 'no-device';
    protected storedDevice?: StoredDevice;
    protected keys?: DeviceKeys;
    protected currentRefusal?: AuthErrorData;
    protected currentSessionInfo?: SessionInfo;
    protected readonly readyDeferred = new Deferred<void>();
    protected readonly toDispose = new DisposableCollection();

    protected readonly onDidChangeStateEmitter = new Emitter<VouchSessionState>();
    readonly onDidChangeState: Event<VouchSessionState> = this.onDidChangeStateEmitter.event;
    protected readonly onDidAddCertificatesEmitter = new Emitter<CertificatesAddedEvent>();
    readonly onDidAddCertificates: Event<CertificatesAddedEvent> = this.onDidAddCertificatesEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeStateEmitter,
            this.onDidAddCertificatesEmitter,
            this.connection.onDidChangeState(change => this.handleConnectionState(change)),
            this.connection.onDidAddCertificates(event => this.onDidAddCertificatesEmitter.fire(event)),
            // Menus and views follow the new rights at once: they listen to onDidChangeState.
            this.connection.onDidChangeProfile(() => this.refreshSessionInfo())
        ]);
        this.loadDevice().finally(() => this.readyDeferred.resolve());
    }

    protected async loadDevice(): Promise<void> {
        try {
            this.keepDevice(await this.keystore.load());
        } catch (error) {
            this.logger.error('Could not read the device keystore', error);
        }
        await this.location.ready;
        this.setState(this.storedDevice ? 'locked' : 'no-device');
    }

    /** The device in hand decides which server this workbench talks to. */
    protected keepDevice(device: StoredDevice | undefined): void {
        this.storedDevice = device;
        this.location.useDevice(device);
    }

    /** Resolves once the keystore has been read and the server's address is known. */
    get ready(): Promise<void> {
        return this.readyDeferred.promise;
    }

    get state(): VouchSessionState {
        return this.currentState;
    }

    get device(): StoredDevice | undefined {
        return this.storedDevice;
    }

    get organizationId(): OrganizationId | undefined {
        return this.storedDevice?.organizationId;
    }

    /** Why the server refused this device, while `state` is `refused`. */
    get refusal(): AuthErrorData | undefined {
        return this.currentRefusal;
    }

    get sessionInfo(): SessionInfo | undefined {
        return this.currentSessionInfo;
    }

    /** The profile the server gives this session, while connected. */
    get profile(): UserProfile | undefined {
        return this.currentState === 'connected' ? this.currentSessionInfo?.profile : undefined;
    }

    /** The organization's root verify key, from the sealed device only; undefined while locked. */
    get rootVerifyKey(): Uint8Array | undefined {
        return this.keys && fromBase64Url(this.keys.rootVerifyKey);
    }

    /**
     * Signs certificates with this device's key (certificates name their author device, so
     * only this device's own are signed); undefined while locked.
     */
    signCertificates(contents: readonly Certificate[]): SignedCertificate[] | undefined {
        const sign = this.signer;
        return sign && !contents.some(content => content.author !== this.storedDevice!.deviceId) ? contents.map(sign) : undefined;
    }

    /** Signs one certificate of this device's (another author's throws); undefined while locked. */
    get signer(): CertificateSigner | undefined {
        const device = this.storedDevice;
        const signingKey = this.keys && fromBase64Url(this.keys.deviceSigningKey);
        if (!device || !signingKey) {
            return undefined;
        }
        return content => {
            if (content.author !== device.deviceId) {
                throw new Error('This device signs only its own certificates');
            }
            return signCertificate(content, signingKey, portableEd25519);
        };
    }

    /** Where this device signs its next certificate: after the organization log's head, as the server says it stands. */
    async nextLogPosition(): Promise<Outcome<LogPosition, ApiError>> {
        const head = await this.connection.request('certificates.head', {});
        return head.ok ? ok(positionAfter({ digest: head.value.digest ?? null, timestamp: head.value.timestamp }, Date.now())) : head;
    }

    /**
     * Signs and sends at the log's head; when another writer moved it first (or this clock is
     * behind), signs again after the head the refusal names, at most `retries` more times.
     */
    async sendAtLogHead<R>(send: (position: LogPosition) => Promise<Reply<R>>, retries = LOG_HEAD_RETRIES): Promise<Reply<R>> {
        const first = await this.nextLogPosition();
        return first.ok ? sendAtLogPosition(first.value, send, retries) : first;
    }

    get request(): VouchConnection['request'] {
        return this.connection.request.bind(this.connection);
    }

    /**
     * A trust store that believes only the root verify key of the unlocked device, for
     * re-checking what the server sends; undefined while locked.
     */
    createTrustStore(): CertificateTrustStore | undefined {
        const rootVerifyKey = this.keys && fromBase64Url(this.keys.rootVerifyKey);
        return rootVerifyKey && new CertificateTrustStore(rootVerifyKey, portableEd25519);
    }

    async bootstrap(link: BootstrapLink, form: BootstrapForm): Promise<Outcome<void, BootstrapFailure>> {
        await this.ready;
        if (this.storedDevice) {
            return fail({ kind: 'already-has-device' });
        }
        const checked = validateBootstrapForm(form);
        if ('problems' in checked) {
            return fail({ kind: 'invalid-form', problems: checked.problems });
        }
        const made = createBootstrapCertificates({
            organizationId: link.organizationId, humanHandle: checked.valid.humanHandle, deviceLabel: checked.valid.deviceLabel, now: Date.now()
        });
        const reply = await this.connection.requestAnonymous('organization.bootstrap', {
            organizationId: link.organizationId, token: link.token, rootVerifyKey: made.rootVerifyKey, certificates: made.certificates
        });
        if (!reply.ok) {
            return fail({ kind: 'server', code: reply.error.code, message: reply.error.message });
        }
        return this.keepEnrolledDevice({
            organizationId: link.organizationId, userId: made.userId, deviceId: made.deviceId,
            humanHandle: checked.valid.humanHandle, deviceLabel: checked.valid.deviceLabel, createdOn: new Date().toISOString()
        }, made.keys, checked.valid.password);
    }

    /**
     * A device enrolled by a greeting or an accepted join request: its keys are sealed with the
     * password, kept in this browser, and the device connects.
     */
    async enrolDevice(facts: EnrolledDeviceFacts, keys: DeviceKeys, password: string): Promise<Outcome<void, 'already-has-device'>> {
        await this.ready;
        if (this.storedDevice) {
            return fail('already-has-device');
        }
        return this.keepEnrolledDevice(facts, keys, password);
    }

    /** The device file names the server the device was enrolled on: the one this workbench talked to. */
    protected async keepEnrolledDevice(facts: EnrolledDeviceFacts, keys: DeviceKeys, password: string): Promise<Outcome<void, never>> {
        const stored = await sealDevice({ ...facts, serverUrl: this.location.serverUrl }, keys, password, this.scryptCost());
        await this.keystore.save(stored);
        this.keepDevice(stored);
        this.connect(keys);
        return ok(undefined);
    }

    /** The user's X25519 private key (base64url), which a new device of the same user receives when greeted; undefined while locked. */
    get userPrivateKey(): string | undefined {
        return this.keys?.userPrivateKey;
    }

    async unlock(password: string): Promise<Outcome<void, UnlockFailure>> {
        await this.ready;
        if (!this.storedDevice) {
            return fail('NO_DEVICE');
        }
        const opened = await openDevice(this.storedDevice, password);
        if (!opened.ok) {
            return opened;
        }
        this.connect(opened.value);
        return ok(undefined);
    }

    /**
     * Forgets this browser's device for good (a revoked one can never connect again), so the
     * person can be invited or ask to join anew from the same browser.
     */
    async forgetDevice(): Promise<void> {
        this.storedDevice = undefined;
        this.keys = undefined;
        this.currentSessionInfo = undefined;
        this.currentRefusal = undefined;
        this.connection.disconnectDevice();
        // Once the device socket is closed, so the next request goes to the server a device-less workbench uses.
        this.location.useDevice(undefined);
        await this.keystore.clear();
        this.setState('no-device');
    }

    /** How hard the password is to guess from a stolen device; lowered only by unit tests. */
    protected scryptCost(): ScryptCost {
        return DEFAULT_SCRYPT_COST;
    }

    protected connect(keys: DeviceKeys): void {
        const device = this.storedDevice!;
        this.keys = keys;
        const signingKey = fromBase64Url(keys.deviceSigningKey)!;
        this.connection.connectDevice({
            organizationId: device.organizationId,
            deviceId: device.deviceId,
            sign: message => portableEd25519.sign(signingKey, message)
        });
    }

    protected handleConnectionState(change: DeviceConnectionStateChange): void {
        this.currentRefusal = change.refusal;
        switch (change.state) {
            case 'connected':
                this.setState('connected');
                this.refreshSessionInfo();
                break;
            case 'refused':
                if (change.refusal?.code === 'AUTH_USER_REVOKED') {
                    // Revoked for good: forget the keys, so this device can neither sign nor connect until unlocked again.
                    this.keys = undefined;
                    this.currentSessionInfo = undefined;
                }
                this.setState(change.state);
                break;
            case 'connecting':
            case 'reconnecting':
                this.setState(change.state);
                break;
            case 'disconnected':
                this.setState(this.storedDevice ? 'locked' : 'no-device');
                break;
        }
    }

    protected async refreshSessionInfo(): Promise<void> {
        const reply = await this.connection.request('session.info', {});
        if (reply.ok) {
            this.currentSessionInfo = reply.value;
            this.onDidChangeStateEmitter.fire(this.currentState);
        } else {
            this.logger.warn(`session.info failed: ${reply.error.message}`);
        }
    }

    protected setState(state: VouchSessionState): void {
        this.currentState = state;
        this.onDidChangeStateEmitter.fire(state);
    }

    dispose(): void {
        this.connection.disconnectDevice();
        this.toDispose.dispose();
    }
}
