import { Disposable, DisposableCollection, Emitter, Event, ILogger } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { anchorFingerprint, anchorsInOrder, Certificate, PendingJoinRequest, Reply, signJoinAcceptance, UserProfile } from '@vouch/protocol';
import { AnchorsToRecheck, anchorsToRecheck, recheckPkiProof } from '@vouch/protocol/lib/join-requests/pki-recheck';
import * as x509 from '@peculiar/x509';

/** A pending request as an admin sees it: with this client's own verdict on the proof. */
export interface CheckedJoinRequest {
    readonly request: PendingJoinRequest;
    /** Why this client does not believe the proof; undefined when it does. */
    readonly problem?: string;
}

/** The Administrator's list of pending join requests, reloaded when the server says something changed. */
@injectable()
export class JoinRequestsModel implements Disposable {
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected rows: CheckedJoinRequest[] = [];
    protected lastError?: string;
    protected lastAnchors?: AnchorsToRecheck;
    protected servedAnchors: readonly string[] = [];
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.session.onDidChangeState(() => this.refresh()),
            this.connection.onPushed('device', 'joinRequests.changed', () => this.refresh())
        ]);
        this.refresh();
    }

    get requests(): readonly CheckedJoinRequest[] {
        return this.rows;
    }

    get error(): string | undefined {
        return this.lastError;
    }

    /** The trust anchors PKI requests were re-checked against, and whether the organization pinned them. */
    get anchors(): AnchorsToRecheck | undefined {
        return this.lastAnchors;
    }

    /** The anchors the server serves, as an Administrator may pin them: subject and SHA-256 fingerprint. */
    get served(): { subject: string; fingerprint: string; pem: string }[] {
        return this.servedAnchors.map(pem => {
            const certificate = new x509.X509Certificate(pem);
            return { subject: certificate.subject, fingerprint: anchorFingerprint(new Uint8Array(certificate.rawData)), pem };
        });
    }

    /** Pins the given anchors as the organization's: a pki_anchors certificate signed by this Administrator's device. */
    async pinAnchors(fingerprints: readonly string[]): Promise<string | undefined> {
        const author = this.session.device?.deviceId;
        if (!author) {
            return 'This device is locked';
        }
        const reply = await this.session.sendAtLogHead(async (position): Promise<Reply<{ anchors: number }>> => {
            const content: Certificate = { kind: 'pki_anchors', version: 1, author, ...position, anchors: anchorsInOrder(fingerprints) };
            const signed = this.session.signCertificates([content]);
            return signed ? this.connection.request('joinRequests.pinAnchors', { certificate: signed[0] }) : { ok: false, error: { code: 'NOT_ALLOWED', message: 'This device is locked' } };
        });
        await this.refresh();
        return reply.ok ? undefined : reply.error.message;
    }

    get isAdministrator(): boolean {
        return this.session.state === 'connected' && this.session.profile === 'ADMINISTRATOR';
    }

    protected refreshing?: Promise<void>;
    protected again = false;

    refresh(): Promise<void> {
        if (this.refreshing) {
            this.again = true;
            return this.refreshing;
        }
        this.refreshing = this.load().finally(() => {
            this.refreshing = undefined;
            if (this.again) {
                this.again = false;
                this.refresh();
            }
        });
        return this.refreshing;
    }

    protected async load(): Promise<void> {
        if (!this.isAdministrator) {
            if (this.rows.length > 0 || this.lastError) {
                this.rows = [];
                this.lastError = undefined;
                this.onDidChangeEmitter.fire();
            }
            return;
        }
        const reply = await this.connection.request('joinRequests.list', {});
        if (!reply.ok) {
            this.lastError = reply.error.message;
            this.onDidChangeEmitter.fire();
            return;
        }
        const { requests, trustAnchors, crls } = reply.value;
        const trust = this.session.createTrustStore();
        // Against what the organization pinned, checked from this device's root key; not whatever the server serves.
        const anchors = trust ? anchorsToRecheck(reply.value, trust) : { anchors: [], problem: 'This device is locked' };
        this.lastAnchors = anchors;
        this.servedAnchors = trustAnchors;
        this.rows = await Promise.all(requests.map(async (request): Promise<CheckedJoinRequest> => {
            // The email signed on acceptance is the requested one; the server's verified identity must say the same.
            if (request.identity.email !== request.payload.email) {
                return { request, problem: 'The verified email differs from the email of the request' };
            }
            if (request.method !== 'pki') {
                return { request };
            }
            const problem = anchors.problem ?? (request.proof ? await recheckPkiProof(request.payload, request.proof, anchors.anchors, crls) : 'The request carries no proof');
            return problem ? { request, problem } : { request };
        }));
        this.lastError = undefined;
        this.onDidChangeEmitter.fire();
    }

    /** Signs the new user (profile, confirmed name) and device for the submitted keys, and sends them. */
    async accept(request: PendingJoinRequest, profile: UserProfile, name: string): Promise<string | undefined> {
        const author = this.session.device?.deviceId;
        if (!author) {
            return 'This device is locked';
        }
        const reply = await this.session.sendAtLogHead(async position => {
            const sign = this.session.signer;
            if (!sign) {
                return { ok: false, error: { code: 'NOT_ALLOWED', message: 'This device is locked' } } as const;
            }
            const certificates = signJoinAcceptance({ payload: request.payload, email: request.payload.email, name, profile, author, position }, sign);
            return this.connection.request('joinRequests.accept', { requestId: request.requestId, profile, certificates });
        });
        await this.refresh();
        return reply.ok ? undefined : reply.error.message;
    }

    async reject(request: PendingJoinRequest): Promise<string | undefined> {
        const reply = await this.connection.request('joinRequests.reject', { requestId: request.requestId });
        await this.refresh();
        return reply.ok ? undefined : reply.error.message;
    }

    dispose(): void {
        this.toDispose.dispose();
    }
}
