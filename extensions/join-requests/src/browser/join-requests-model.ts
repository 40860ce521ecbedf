import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import * as x509 from '@peculiar/x509';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { VouchModel } from '@vouch/core/lib/browser/vouch-model';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { anchorFingerprint, anchorsInOrder, Certificate, PendingJoinRequest, Reply, signJoinAcceptance, UserProfile } from '@vouch/protocol';
import { AnchorsToRecheck, anchorsToRecheck, recheckPkiProof } from '@vouch/protocol/lib/join-requests/pki-recheck';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

/** A pending request as an admin sees it: with this client's own verdict on the proof. */
export interface CheckedJoinRequest {
    readonly request: PendingJoinRequest;
    /** Why this client does not believe the proof; undefined when it does. */
    readonly problem?: string;
}

/** The Administrator's list of pending join requests, reloaded when the server says something changed. */
@injectable()
export class JoinRequestsModel extends VouchModel {
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(VouchContextKeyService) protected readonly contextKeys: VouchContextKeyService;

    protected rows: CheckedJoinRequest[] = [];
    protected lastError?: string;
    protected lastAnchors?: AnchorsToRecheck;
    protected servedAnchors: readonly string[] = [];

    protected override init(): void {
        super.init();
        this.toDispose.push(this.connection.onPushed('device', 'joinRequests.changed', () => this.refresh()));
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

    /** Whether this session sees join requests at all (the rights matrix: who may list them). */
    get mayList(): boolean {
        return this.contextKeys.may('joinRequests.list');
    }

    protected async load(superseded: () => boolean): Promise<void> {
        if (!this.mayList || this.session.state !== 'connected') {
            if (this.rows.length > 0 || this.lastError) {
                this.clear();
                this.fireDidChange();
            }
            return;
        }
        const reply = await this.connection.request('joinRequests.list', {});
        if (superseded()) {
            return;
        }
        if (!reply.ok) {
            this.lastError = describeApiError(reply.error);
            this.fireDidChange();
            return;
        }
        const { requests, trustAnchors, crls } = reply.value;
        const trust = this.session.createTrustStore();
        // Against what the organization pinned, checked from this device's root key; not whatever the server serves.
        const anchors = trust ? anchorsToRecheck(reply.value, trust) : { anchors: [], problem: nls.localize('vouch/joinRequests/locked', 'Unlock this device first.') };
        const rows = await Promise.all(requests.map(async (request): Promise<CheckedJoinRequest> => {
            // The email signed on acceptance is the requested one; the server's verified identity must say the same.
            if (request.identity.email !== request.payload.email) {
                return { request, problem: nls.localize('vouch/joinRequests/emailDiffers', 'The verified email differs from the email of the request') };
            }
            if (request.method !== 'pki') {
                return { request };
            }
            const problem = anchors.problem ?? (request.proof
                ? await recheckPkiProof(request.payload, request.proof, anchors.anchors, crls)
                : nls.localize('vouch/joinRequests/noProof', 'The request carries no proof'));
            return problem ? { request, problem } : { request };
        }));
        if (superseded()) {
            return;
        }
        this.rows = rows;
        this.lastAnchors = anchors;
        this.servedAnchors = trustAnchors;
        this.lastError = undefined;
        this.fireDidChange();
    }

    protected clear(): void {
        this.rows = [];
        this.lastError = undefined;
        this.lastAnchors = undefined;
        this.servedAnchors = [];
    }

    /** Signs the new user (profile, confirmed name) and device for the submitted keys, after the log's head, and sends them. */
    async accept(request: PendingJoinRequest, profile: UserProfile, name: string): Promise<string | undefined> {
        const author = this.session.device?.deviceId;
        if (!author) {
            return nls.localize('vouch/joinRequests/locked', 'Unlock this device first.');
        }
        const reply = await this.session.sendAtLogHead(async position => {
            const sign = this.session.signer;
            if (!sign) {
                return { ok: false, error: { code: 'NOT_ALLOWED', message: nls.localize('vouch/joinRequests/locked', 'Unlock this device first.') } } as const;
            }
            const certificates = signJoinAcceptance({ payload: request.payload, email: request.payload.email, name, profile, author, position }, sign);
            return this.connection.request('joinRequests.accept', { requestId: request.requestId, profile, certificates });
        });
        await this.refresh();
        return reply.ok ? undefined : describeApiError(reply.error);
    }

    async reject(request: PendingJoinRequest): Promise<string | undefined> {
        const reply = await this.connection.request('joinRequests.reject', { requestId: request.requestId });
        await this.refresh();
        return reply.ok ? undefined : describeApiError(reply.error);
    }

    /** Pins the given anchors as the organization's: a pki_anchors certificate signed by this Administrator's device. */
    async pinAnchors(fingerprints: readonly string[]): Promise<string | undefined> {
        const author = this.session.device?.deviceId;
        if (!author) {
            return nls.localize('vouch/joinRequests/locked', 'Unlock this device first.');
        }
        const reply = await this.session.sendAtLogHead(async (position): Promise<Reply<{ anchors: number }>> => {
            const content: Certificate = { kind: 'pki_anchors', version: 1, author, ...position, anchors: anchorsInOrder(fingerprints) };
            const signed = this.session.signCertificates([content]);
            return signed
                ? this.connection.request('joinRequests.pinAnchors', { certificate: signed[0] })
                : { ok: false, error: { code: 'NOT_ALLOWED', message: nls.localize('vouch/joinRequests/locked', 'Unlock this device first.') } };
        });
        await this.refresh();
        return reply.ok ? undefined : describeApiError(reply.error);
    }
}
