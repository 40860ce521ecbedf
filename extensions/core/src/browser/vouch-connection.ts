import { Disposable, DisposableCollection, Emitter, Event, nls } from '@theia/core';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import {
    ANONYMOUS_NAMESPACE, AnonymousClientEvents, AnonymousResponses, AnonymousSchemas, AnonymousServerEvents, ApiError, AuthErrorData, authChallengeMessage,
    CertificatesAddedEvent, DEVICE_NAMESPACE, DeviceClientEvents, DeviceHandshake, DeviceId, DeviceResponses, DeviceSchemas, DeviceServerEvents, isAuthErrorData, OrganizationId, ProfileChangedEvent, Reply, SessionRevokedEvent, RequestOf, toBase64Url, VOUCH_SOCKET_PATH
} from '@vouch/protocol';
import { Manager, Socket } from 'socket.io-client';
import { VouchServerLocation } from './vouch-server-location';

/** How long a request may wait for its reply before it fails. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** A challenge is cheap: waiting longer only delays the next attempt. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;
/** Backoff when the server closed the device socket (restart) or no challenge could be had. */
export const RETRY_MIN_MS = 500;
export const RETRY_MAX_MS = 10_000;

export type DeviceConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface DeviceConnectionStateChange {
    readonly state: DeviceConnectionState;
    /** Why the server refused the device, with `refused`. */
    readonly refusal?: AuthErrorData;
}

/** The namespaces the server pushes on, with the events of each (the protocol's typed maps). */
export interface PushedEvents {
    readonly device: DeviceServerEvents;
    readonly anonymous: AnonymousServerEvents;
}

/** What one pushed event carries. */
export type PushedPayload<N extends keyof PushedEvents, K extends keyof PushedEvents[N]> =
    PushedEvents[N][K] extends (payload: infer P) => void ? P : never;

/** Who connects on the device namespace and how it proves it. */
export interface DeviceCredentials {
    readonly organizationId: OrganizationId;
    readonly deviceId: DeviceId;
    sign(message: Uint8Array): Uint8Array;
}

function timeoutError(event: string): ApiError {
    return { code: 'INTERNAL_ERROR', message: nls.localize('vouch/connection/timeout', 'The organization server did not answer "{0}" in time', event) };
}

/**
 * The workbench's line to the organization server: one Socket.IO manager (one connection) on
 * the server's own path, carrying the anonymous namespace and, once a device is unlocked, the
 * device namespace. Each (re)connection of the device namespace signs a fresh challenge
 * fetched over the anonymous namespace.
 */
@injectable()
export class VouchConnection implements Disposable {
    @inject(VouchServerLocation) protected readonly location: VouchServerLocation;

    protected manager?: Manager;
    protected managerUrl?: string;
    protected anonymous?: Socket<AnonymousServerEvents, AnonymousClientEvents>;
    protected device?: Socket<DeviceServerEvents, DeviceClientEvents>;
    protected readonly toDisposeOnDisconnect = new DisposableCollection();
    protected readonly toDisposeOnDispose = new DisposableCollection();
    protected currentState: DeviceConnectionStateChange = { state: 'disconnected' };

    protected readonly onDidChangeStateEmitter = new Emitter<DeviceConnectionStateChange>();
    readonly onDidChangeState: Event<DeviceConnectionStateChange> = this.onDidChangeStateEmitter.event;
    protected readonly onDidAddCertificatesEmitter = new Emitter<CertificatesAddedEvent>();
    readonly onDidAddCertificates: Event<CertificatesAddedEvent> = this.onDidAddCertificatesEmitter.event;
    /** The server changed this user's profile; its rights already apply to this connection. */
    protected readonly onDidChangeProfileEmitter = new Emitter<ProfileChangedEvent>();
    readonly onDidChangeProfile: Event<ProfileChangedEvent> = this.onDidChangeProfileEmitter.event;

    /** One emitter per pushed event and namespace, made when someone first listens. */
    protected readonly pushed = new Map<string, Emitter<unknown>>();
    /** The anonymous namespace (re)connected: a guest claims its invitation again to rejoin its rooms. */
    protected readonly onDidConnectAnonymousEmitter = new Emitter<void>();
    readonly onDidConnectAnonymous: Event<void> = this.onDidConnectAnonymousEmitter.event;

    @postConstruct()
    protected init(): void {
        // Without a device, a new address (preference edited, device forgotten) applies to the next request.
        this.toDisposeOnDispose.push(this.location.onDidChange(server => {
            if (this.managerUrl !== undefined && this.managerUrl !== server.url && !this.device) {
                this.closeAnonymous();
            }
        }));
    }

    get state(): DeviceConnectionStateChange {
        return this.currentState;
    }

    /** Listens to one event the server pushes on a namespace, typed by the protocol's event maps. */
    onPushed<N extends keyof PushedEvents, K extends keyof PushedEvents[N] & string>(namespace: N, event: K, listener: (payload: PushedPayload<N, K>) => void): Disposable {
        const key = `${namespace} ${event}`;
        let emitter = this.pushed.get(key);
        if (!emitter) {
            emitter = new Emitter<unknown>();
            this.pushed.set(key, emitter);
        }
        return emitter.event(payload => listener(payload as PushedPayload<N, K>));
    }

    protected firePushed(namespace: keyof PushedEvents, event: string, payload: unknown): void {
        this.pushed.get(`${namespace} ${event}`)?.fire(payload);
    }

    protected ensureManager(): Manager {
        if (!this.manager) {
            this.managerUrl = this.location.serverUrl;
            this.manager = new Manager(this.managerUrl, { path: VOUCH_SOCKET_PATH, autoConnect: false, transports: ['websocket'], reconnectionDelayMax: 5_000 });
        }
        return this.manager;
    }

    protected closeAnonymous(): void {
        this.anonymous?.disconnect();
        this.anonymous = undefined;
        this.manager = undefined;
        this.managerUrl = undefined;
    }

    protected anonymousSocket(): Socket<AnonymousServerEvents, AnonymousClientEvents> {
        if (!this.anonymous) {
            this.anonymous = this.ensureManager().socket(ANONYMOUS_NAMESPACE);
            this.anonymous.onAny((event: string, payload: unknown) => this.firePushed('anonymous', event, payload));
            this.anonymous.on('connect', () => this.onDidConnectAnonymousEmitter.fire());
        }
        // Also after the server closed it (a restart): Socket.IO does not reopen such a socket by itself.
        if (!this.anonymous.active) {
            this.anonymous.connect();
        }
        return this.anonymous;
    }

    async requestAnonymous<K extends keyof AnonymousResponses & keyof AnonymousSchemas>(event: K, payload: RequestOf<AnonymousSchemas, K>,
        timeoutMs = REQUEST_TIMEOUT_MS): Promise<Reply<AnonymousResponses[K]>> {
        // A preferred server must be known before the first socket opens.
        await this.location.ready;
        return this.emit(this.anonymousSocket(), event, payload, timeoutMs);
    }

    async request<K extends keyof DeviceResponses & keyof DeviceSchemas>(event: K, payload: RequestOf<DeviceSchemas, K>): Promise<Reply<DeviceResponses[K]>> {
        if (!this.device) {
            return { ok: false, error: { code: 'NOT_ALLOWED', message: nls.localize('vouch/connection/noDevice', 'No device of this workbench is connected') } };
        }
        return this.emit(this.device, event, payload);
    }

    protected async emit<T>(socket: Socket<never, never>, event: string, payload: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Reply<T>> {
        try {
            // The request maps type each event's payload and reply; here one wrapper sends them all.
            return await (socket as unknown as Socket).timeout(timeoutMs).emitWithAck(event, payload) as Reply<T>;
        } catch {
            return { ok: false, error: timeoutError(event) };
        }
    }

    /** Opens the device namespace; it reconnects by itself until `disconnect` or a refusal. */
    connectDevice(credentials: DeviceCredentials): void {
        this.disconnectDevice();
        const device = this.ensureManager().socket(DEVICE_NAMESPACE);
        // The manager caches sockets per namespace: set the proof on the socket itself, for this device.
        let handshakeFailed = false;
        device.auth = callback => {
            handshakeFailed = false;
            this.handshake(credentials).then(callback, () => {
                // No challenge to sign (the server is going away or coming back): this attempt is lost, not refused.
                handshakeFailed = true;
                callback({});
            });
        };
        this.device = device;
        let retries = 0;
        let retryTimer: ReturnType<typeof setTimeout> | undefined;
        /** Socket.IO gives up on a socket the server closed; a restarting server does that, so we come back. */
        const retryLater = () => {
            clearTimeout(retryTimer);
            const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** retries++);
            retryTimer = setTimeout(() => {
                if (this.device === device && !device.active) {
                    device.connect();
                }
            }, delay);
        };
        this.toDisposeOnDisconnect.push(Disposable.create(() => clearTimeout(retryTimer)));
        const on = <A extends unknown[]>(event: string, listener: (...args: A) => void) => {
            device.on(event, listener);
            this.toDisposeOnDisconnect.push(Disposable.create(() => device.off(event, listener)));
        };
        on('connect', () => {
            retries = 0;
            this.setState({ state: 'connected' });
        });
        // Told by the server that this user was revoked: refused for good, no retry.
        let revoked = false;
        on('session.revoked', (event: SessionRevokedEvent) => {
            revoked = true;
            clearTimeout(retryTimer);
            this.setState({ state: 'refused', refusal: { code: 'AUTH_USER_REVOKED', message: String(event?.message ?? '') } });
        });
        on('disconnect', (reason: Socket.DisconnectReason) => {
            if (revoked) {
                return;
            }
            if (reason === 'io client disconnect') {
                this.setState({ state: 'disconnected' });
                return;
            }
            this.setState({ state: 'reconnecting' });
            if (!device.active) {
                retryLater();
            }
        });
        on('connect_error', (error: Error & { data?: unknown }) => {
            if (isAuthErrorData(error.data) && !handshakeFailed) {
                this.setState({ state: 'refused', refusal: { code: error.data.code, message: error.data.message } });
                return;
            }
            this.setState({ state: 'reconnecting' });
            if (!device.active) {
                retryLater();
            }
        });
        on('certificates.added', (event: CertificatesAddedEvent) => this.onDidAddCertificatesEmitter.fire(event));
        on('session.profileChanged', (event: ProfileChangedEvent) => this.onDidChangeProfileEmitter.fire(event));
        const forward = (event: string, payload: unknown) => this.firePushed('device', event, payload);
        device.onAny(forward);
        this.toDisposeOnDisconnect.push(Disposable.create(() => device.offAny(forward)));
        this.toDisposeOnDisconnect.push(Disposable.create(() => device.disconnect()));
        this.setState({ state: 'connecting' });
        device.connect();
    }

    protected async handshake(credentials: DeviceCredentials): Promise<DeviceHandshake> {
        const reply = await this.requestAnonymous('auth.challenge', {}, HANDSHAKE_TIMEOUT_MS);
        if (!reply.ok) {
            throw new Error(reply.error.message);
        }
        const challenge = reply.value.challenge;
        const signature = credentials.sign(authChallengeMessage(credentials.organizationId, credentials.deviceId, challenge));
        return { organizationId: credentials.organizationId, deviceId: credentials.deviceId, challenge, signature: toBase64Url(signature) };
    }

    disconnectDevice(): void {
        this.toDisposeOnDisconnect.dispose();
        this.device = undefined;
        if (this.currentState.state !== 'disconnected') {
            this.setState({ state: 'disconnected' });
        }
    }

    protected setState(change: DeviceConnectionStateChange): void {
        this.currentState = change;
        this.onDidChangeStateEmitter.fire(change);
    }

    dispose(): void {
        this.disconnectDevice();
        this.closeAnonymous();
        this.toDisposeOnDispose.dispose();
        this.onDidChangeStateEmitter.dispose();
        this.onDidAddCertificatesEmitter.dispose();
        this.pushed.forEach(emitter => emitter.dispose());
        this.pushed.clear();
        this.onDidConnectAnonymousEmitter.dispose();
        this.onDidChangeProfileEmitter.dispose();
    }
}
