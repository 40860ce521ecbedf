import { Disposable, DisposableCollection, Emitter, Event, ILogger, nls } from '@theia/core';
import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
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
export class JoinRequestsModel implements Disposable {
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(VouchSession) protected readonly session: VouchSession;
    @inject(ILogger) @named('vouch') protected readonly logger: ILogger;

    protected rows: CheckedJoinRequest[] = [];
    protected lastError?: string;
    protected readonly toDispose = new DisposableCollection();
    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    @postConstruct()
    protected init(): void {
        this.toDispose.pushAll([
            this.onDidChangeEmitter,
            this.session.onDidChangeState(() => this.refresh()),
            this.connection.onDidReceive(({ namespace, event }) => {
                if (namespace === 'device' && event === 'joinRequests.changed') {
                    this.refresh();
                }
            })
        ]);
        this.refresh();
    }

    get requests(): readonly CheckedJoinRequest[] {
        return this.rows;
    }

    get error(): string | undefined {
        return this.lastError;
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
            this.lastError = describeApiError(reply.error);
            this.onDidChangeEmitter.fire();
            return;
        }
        const { requests, trustAnchors, crls } = reply.value;
        this.rows = await Promise.all(requests.map(async (request): Promise<CheckedJoinRequest> => {
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
        this.lastError = undefined;
        this.onDidChangeEmitter.fire();
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

    dispose(): void {
        this.toDispose.dispose();
    }
}
