import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { VouchContextKeyService } from '@vouch/core/lib/browser/vouch-context-key-service';
import { VouchModel } from '@vouch/core/lib/browser/vouch-model';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { sendWithLaterTimestamp } from '@vouch/core/lib/common/later-timestamp';
import { joinAcceptanceContents, NewUserCertificates, PendingJoinRequest, UserProfile } from '@vouch/protocol';
import { recheckPkiProof } from '@vouch/protocol/lib/join-requests/pki-recheck';
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

    protected override init(): void {
        super.init();
        this.toDispose.push(this.connection.onDidReceive(({ namespace, event }) => {
            if (namespace === 'device' && event === 'joinRequests.changed') {
                this.refresh();
            }
        }));
    }

    get requests(): readonly CheckedJoinRequest[] {
        return this.rows;
    }

    get error(): string | undefined {
        return this.lastError;
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
        const rows = await Promise.all(requests.map(async (request): Promise<CheckedJoinRequest> => {
            // The email signed on acceptance is the requested one; the server's verified identity must say the same.
            if (request.identity.email !== request.payload.email) {
                return { request, problem: nls.localize('vouch/joinRequests/emailDiffers', 'The verified email differs from the email of the request') };
            }
            if (request.method !== 'pki') {
                return { request };
            }
            const problem = request.proof
                ? await recheckPkiProof(request.payload, request.proof, trustAnchors, crls)
                : nls.localize('vouch/joinRequests/noProof', 'The request carries no proof');
            return problem ? { request, problem } : { request };
        }));
        if (superseded()) {
            return;
        }
        this.rows = rows;
        this.lastError = undefined;
        this.fireDidChange();
    }

    protected clear(): void {
        this.rows = [];
        this.lastError = undefined;
    }

    /** Signs the new user (profile, confirmed name) and device for the submitted keys, and sends them. */
    async accept(request: PendingJoinRequest, profile: UserProfile, name: string): Promise<string | undefined> {
        const author = this.session.device?.deviceId;
        if (!author) {
            return nls.localize('vouch/joinRequests/locked', 'Unlock this device first.');
        }
        const reply = await sendWithLaterTimestamp(async timestamp => {
            const signed = this.session.signCertificates(joinAcceptanceContents({ payload: request.payload, email: request.payload.email, name, profile, author, timestamp }));
            if (!signed) {
                return { ok: false, error: { code: 'NOT_ALLOWED', message: nls.localize('vouch/joinRequests/locked', 'Unlock this device first.') } } as const;
            }
            const certificates: NewUserCertificates = { user: signed[0], redactedUser: signed[1], device: signed[2], redactedDevice: signed[3] };
            return this.connection.request('joinRequests.accept', { requestId: request.requestId, profile, certificates });
        }, 2);
        await this.refresh();
        return reply.ok ? undefined : describeApiError(reply.error);
    }

    async reject(request: PendingJoinRequest): Promise<string | undefined> {
        const reply = await this.connection.request('joinRequests.reject', { requestId: request.requestId });
        await this.refresh();
        return reply.ok ? undefined : describeApiError(reply.error);
    }
}
