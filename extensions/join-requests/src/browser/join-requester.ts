import { nls } from '@theia/core';
import { inject, injectable } from '@theia/core/shared/inversify';
import { PageAddress } from '@vouch/core/lib/browser/page-address';
import { VouchModel } from '@vouch/core/lib/browser/vouch-model';
import { VouchConnection } from '@vouch/core/lib/browser/vouch-connection';
import {
    checkJoinAcceptance, fail, fromBase64Url, JoinLink, JoinMethod, JoinMethodsInfo, joinRequestMessage, JoinRequestStatus, ok, Outcome,
    portableEd25519, toBase64Url
} from '@vouch/protocol';
import { JoinForm, makeJoinRequest, openPendingJoin, PendingJoin } from '../common/pending-join';
import { PendingJoinStore } from './pending-join-store';
import { readPkiCredential } from './pki-credential';
import { describeApiError } from '@vouch/core/lib/common/api-error-messages';

export interface PkiFiles {
    readonly files: readonly { name: string; bytes: Uint8Array }[];
    readonly password: string;
}

/**
 * The requester's side: makes the keys, proves the identity (signs with a certificate, or hands
 * the browser to the identity provider), follows the request across reloads, cancels, and once
 * accepted finalizes the device.
 */
@injectable()
export class JoinRequester extends VouchModel {
    @inject(VouchConnection) protected readonly connection: VouchConnection;
    @inject(PendingJoinStore) protected readonly store: PendingJoinStore;
    @inject(PageAddress) protected readonly page: PageAddress;

    protected currentPending?: PendingJoin;
    protected currentStatus?: JoinRequestStatus;

    protected override init(): void {
        super.init();
        this.toDispose.pushAll([
            this.connection.onPushed('anonymous', 'joinRequests.decided', status => {
                if (this.currentPending) {
                    this.currentStatus = status;
                    this.fireDidChange();
                }
            }),
            // A reconnected socket joins its request's room again, and catches a decision it missed.
            this.connection.onDidConnectAnonymous(() => { if (this.currentPending) { this.refresh(); } })
        ]);
    }

    get pending(): PendingJoin | undefined {
        return this.currentPending;
    }

    get status(): JoinRequestStatus | undefined {
        return this.currentStatus;
    }

    /** Reads the request this browser left pending, if any, and asks for its status. */
    async restore(): Promise<PendingJoin | undefined> {
        this.currentPending = await this.store.load().catch(() => undefined);
        if (this.currentPending) {
            await this.refresh();
        }
        return this.currentPending;
    }

    /** The requester has no device yet: it follows its request over the anonymous connection, not the session. */
    protected override followSession(): void {
        // Nothing: the request outlives locks and reconnections of a session it does not have.
    }

    /** The status of the request this browser follows. */
    protected async load(superseded: () => boolean): Promise<void> {
        const pending = this.currentPending;
        if (!pending) {
            return;
        }
        const reply = await this.connection.requestAnonymous('joinRequests.status', { organizationId: pending.payload.organizationId, claimSecret: pending.claimSecret });
        if (superseded()) {
            return;
        }
        if (reply.ok) {
            this.currentStatus = reply.value;
        } else if (reply.error.code === 'JOIN_REQUEST_NOT_FOUND') {
            // The provider refused the sign-in, or the request was never stored: nothing to follow.
            this.currentStatus = undefined;
        }
        this.fireDidChange();
    }

    protected clear(): void {
        this.currentPending = undefined;
        this.currentStatus = undefined;
    }

    methods(organizationId: string): Promise<Outcome<JoinMethodsInfo, string>> {
        return this.connection.requestAnonymous('joinRequests.methods', { organizationId }).then(reply => reply.ok ? ok(reply.value) : fail(describeApiError(reply.error)));
    }

    /**
     * PKI: signs and submits at once. OIDC and SAML: stores the request, then the browser leaves
     * for the provider (`leftForProvider`); it comes back to the workbench on a join-return link.
     */
    async submit(link: JoinLink, method: JoinMethod, form: JoinForm, pki?: PkiFiles): Promise<Outcome<{ leftForProvider?: true }, string>> {
        const credential = method === 'pki' ? await readPkiCredential(pki?.files ?? [], pki?.password ?? '').catch((error: Error) => error) : undefined;
        if (credential instanceof Error) {
            return fail(credential.message);
        }
        const made = await makeJoinRequest({ serverUrl: link.serverUrl, rootVerifyKey: link.rootVerifyKey, organizationId: link.organizationId, method, form, now: Date.now() });
        if (credential) {
            const signature = await credential.sign(joinRequestMessage(made.pending.payload));
            const reply = await this.connection.requestAnonymous('joinRequests.submit', {
                payload: made.pending.payload, proof: { method: 'pki', certificates: [...credential.certificates], signature: toBase64Url(signature) }
            });
            if (!reply.ok) {
                return fail(describeApiError(reply.error));
            }
            await this.keep(made.pending);
            this.currentStatus = reply.value;
            await this.refresh();
            return ok({});
        }
        const reply = await this.connection.requestAnonymous('joinRequests.begin', { payload: made.pending.payload, method: method as 'oidc' | 'saml' });
        if (!reply.ok) {
            return fail(describeApiError(reply.error));
        }
        await this.keep(made.pending);
        this.page.leaveFor(reply.value.redirectUrl);
        return ok({ leftForProvider: true });
    }

    protected async keep(pending: PendingJoin): Promise<void> {
        await this.store.save(pending);
        this.currentPending = pending;
    }

    async cancel(): Promise<Outcome<void, string>> {
        const pending = this.currentPending;
        if (!pending) {
            return ok(undefined);
        }
        const reply = await this.connection.requestAnonymous('joinRequests.cancel', { organizationId: pending.payload.organizationId, claimSecret: pending.claimSecret });
        if (!reply.ok && reply.error.code !== 'JOIN_REQUEST_NOT_FOUND') {
            return fail(describeApiError(reply.error));
        }
        await this.forget();
        return ok(undefined);
    }

    /** Drops the request from this browser (after a refusal, a rejection, a cancel). */
    async forget(): Promise<void> {
        await this.store.clear();
        this.clear();
        this.fireDidChange();
    }

    /**
     * Accepted: checks the certificates from the root key in the link (never the server's word),
     * seals the device with the password and connects it.
     */
    async finalize(password: string): Promise<Outcome<void, string>> {
        const pending = this.currentPending;
        const accepted = this.currentStatus?.accepted;
        if (!pending || !accepted) {
            return fail(nls.localize('vouch/join/notAcceptedYet', 'The request is not accepted yet'));
        }
        const secrets = await openPendingJoin(pending, password);
        if (!secrets.ok) {
            return fail(nls.localize('vouch/unlock/wrongPassword', 'Wrong password'));
        }
        const user = checkJoinAcceptance(accepted, pending.payload, fromBase64Url(pending.rootVerifyKey)!, portableEd25519);
        if (!user.ok) {
            return user;
        }
        const enrolled = await this.session.enrolDevice({
            organizationId: pending.payload.organizationId, userId: accepted.userId, deviceId: accepted.deviceId,
            humanHandle: user.value.humanHandle, deviceLabel: pending.payload.deviceLabel, createdOn: new Date().toISOString()
        }, {
            deviceSigningKey: secrets.value.deviceSigningKey, userPrivateKey: secrets.value.userPrivateKey, rootVerifyKey: pending.rootVerifyKey
        }, password);
        if (!enrolled.ok) {
            return fail(nls.localize('vouch/join/alreadyHasDevice', 'This browser already holds a device'));
        }
        await this.forget();
        return ok(undefined);
    }
}
