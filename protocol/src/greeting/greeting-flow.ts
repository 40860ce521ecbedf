import { ApiError, Reply } from '../api/api-errors';
import { decodeCertificate } from '../certificates/certificate-codec';
import { generateKeyExchangePair, KeyExchangePair } from '../crypto/key-exchange';
import { fromBase64Url, toBase64Url, utf8Decode, utf8Encode } from '../encoding';
import { NewUserCertificates } from '../certificates/certificate-rules';
import { SignedCertificate } from '../certificates/certificate-types';
import {
    commitmentMatches, greetingSharedKey, newGreetingNonce, nonceCommitment, openGreetingPayload, SasCodes, sasCandidates, sasCodes, sealGreetingPayload
} from './greeting-crypto';
import {
    GreetingCancelReason, greetingCancelText, GreetingSide, GreetingStep, GuestDetails, GuestDetailsSchema, HostConfirmation, HostConfirmationSchema, STEP_DONE
} from './greeting-steps';

/**
 * Both sides of a greeting as the clients run them (workbench, tests, benchmark): the steps in
 * order over a `GreetingChannel`, which posts to the server and hands over what the other side
 * posted (pushed by the server; fetched again after a reconnection).
 */

export interface HostStepExtras {
    readonly newUser?: NewUserCertificates;
    readonly newDevice?: { readonly device: SignedCertificate; readonly redactedDevice: SignedCertificate };
}

export interface GreetingChannel {
    readonly attemptId: string;
    post(step: number, payload: string, extras?: HostStepExtras): Promise<void>;
    /** The other side's payload for `step`; rejects with GreetingEndedError when the attempt ends. */
    peer(step: number): Promise<string>;
    cancel(reason: GreetingCancelReason): Promise<void>;
    /** Resolves when the attempt ends before its last step, whatever this side is doing then. */
    readonly ended: Promise<GreetingEndedError>;
}

/** The attempt ended before its last step; `message` says why, in the words of the side that reads it (`reader`). */
export class GreetingEndedError extends Error {
    constructor(readonly reason: GreetingCancelReason, readonly by: GreetingSide | 'server', readonly reader?: GreetingSide) {
        super(greetingCancelText(reason, by, reader));
        this.name = 'GreetingEndedError';
    }
}

/** A refused step (too early, changed, …): the code and words the server gave. */
export class GreetingRequestError extends Error {
    constructor(readonly error: ApiError) {
        super(error.message);
        this.name = 'GreetingRequestError';
    }

    get code(): ApiError['code'] {
        return this.error.code;
    }
}

/** Holds what the other side posted until the flow asks for it; pushed events and fetched state both land here. */
export class GreetingMailbox {
    protected readonly received = new Map<number, string>();
    protected readonly waiters = new Map<number, { resolve(payload: string): void; reject(error: Error): void }[]>();
    protected ended?: GreetingEndedError;
    protected announceEnd!: (error: GreetingEndedError) => void;
    /** Resolves once the attempt ended (never, when it completes). */
    readonly whenEnded = new Promise<GreetingEndedError>(resolve => { this.announceEnd = resolve; });

    constructor(readonly attemptId: string, readonly ownSide: GreetingSide) { }

    get endedWith(): GreetingEndedError | undefined {
        return this.ended;
    }

    deliver(event: { attemptId: string; step: number; side: GreetingSide; payload: string }): void {
        if (event.attemptId !== this.attemptId || event.side === this.ownSide || this.received.has(event.step)) {
            return;
        }
        this.received.set(event.step, event.payload);
        for (const waiter of this.waiters.get(event.step) ?? []) {
            waiter.resolve(event.payload);
        }
        this.waiters.delete(event.step);
    }

    end(event: { attemptId: string; reason: GreetingCancelReason; by: GreetingSide | 'server' }): void {
        if (event.attemptId !== this.attemptId || this.ended) {
            return;
        }
        this.ended = new GreetingEndedError(event.reason, event.by, this.ownSide);
        for (const waiters of this.waiters.values()) {
            waiters.forEach(waiter => waiter.reject(this.ended!));
        }
        this.waiters.clear();
        this.announceEnd(this.ended);
    }

    /** Fills in what pushed events may have missed while disconnected. */
    deliverState(state: { attemptId: string; steps: readonly { step: number; side: GreetingSide; payload: string }[]; cancelled?: { attemptId: string; reason: GreetingCancelReason; by: GreetingSide | 'server' } }): void {
        state.steps.forEach(step => this.deliver({ attemptId: state.attemptId, ...step }));
        if (state.cancelled) {
            this.end(state.cancelled);
        }
    }

    peer(step: number): Promise<string> {
        const payload = this.received.get(step);
        if (payload !== undefined) {
            return Promise.resolve(payload);
        }
        if (this.ended) {
            return Promise.reject(this.ended);
        }
        return new Promise((resolve, reject) => {
            const list = this.waiters.get(step) ?? [];
            list.push({ resolve, reject });
            this.waiters.set(step, list);
        });
    }
}

function bytes32(text: string): Uint8Array | undefined {
    const value = fromBase64Url(text);
    return value?.length === 32 ? value : undefined;
}

abstract class GreetingFlow {
    protected readonly ephemeral: KeyExchangePair = generateKeyExchangePair();
    protected readonly nonce = newGreetingNonce();
    protected sharedKey?: Uint8Array;
    protected codes?: SasCodes;

    constructor(protected readonly channel: GreetingChannel, readonly side: GreetingSide) { }

    get attemptId(): string {
        return this.channel.attemptId;
    }

    /**
     * What this side waits for outside the exchange (a person picking a code, filling a form),
     * given up at once when the attempt ends meanwhile: rejects with the GreetingEndedError.
     */
    whileActive<T>(waiting: Promise<T>): Promise<T> {
        return Promise.race([waiting, this.channel.ended.then(ended => Promise.reject(ended))]);
    }

    /** Ends the attempt for both sides and throws what this side should show. */
    protected async abort(reason: GreetingCancelReason): Promise<never> {
        await this.channel.cancel(reason).catch(() => undefined);
        throw new GreetingEndedError(reason, this.side, this.side);
    }

    cancel(reason: GreetingCancelReason = 'CANCELLED'): Promise<void> {
        return this.channel.cancel(reason);
    }

    protected seal(step: number, value: unknown): string {
        return toBase64Url(sealGreetingPayload(this.sharedKey!, this.attemptId, step, utf8Encode(JSON.stringify(value))));
    }

    protected open(step: number, payload: string): unknown {
        const box = fromBase64Url(payload);
        const plaintext = box && openGreetingPayload(this.sharedKey!, this.attemptId, step, box);
        if (!plaintext) {
            return undefined;
        }
        try {
            return JSON.parse(utf8Decode(plaintext));
        } catch {
            return undefined;
        }
    }
}

export interface HostCodes {
    /** Read aloud to the guest. */
    readonly ownCode: string;
    /** The guest's code among others: the host picks the one the guest reads. */
    readonly candidates: readonly string[];
}

export class HostGreeting extends GreetingFlow {
    constructor(channel: GreetingChannel) {
        super(channel, 'host');
    }

    /** Steps 0–3: keys, the guest's commitment, both nonces (checked against the commitment). */
    async exchange(): Promise<HostCodes> {
        await this.channel.post(GreetingStep.PUBLIC_KEYS, toBase64Url(this.ephemeral.publicKey));
        const guestKey = bytes32(await this.channel.peer(GreetingStep.PUBLIC_KEYS));
        if (!guestKey) { return this.abort('BAD_PAYLOAD'); }
        this.sharedKey = greetingSharedKey(this.ephemeral.privateKey, guestKey, this.ephemeral.publicKey, guestKey);
        const commitment = bytes32(await this.channel.peer(GreetingStep.GUEST_COMMITMENT));
        if (!commitment) { return this.abort('BAD_PAYLOAD'); }
        await this.channel.post(GreetingStep.HOST_NONCE, toBase64Url(this.nonce));
        const guestNonce = bytes32(await this.channel.peer(GreetingStep.GUEST_NONCE));
        if (!guestNonce || !commitmentMatches(commitment, guestNonce)) {
            return this.abort('COMMITMENT_MISMATCH');
        }
        this.codes = sasCodes(this.sharedKey, this.nonce, guestNonce);
        return { ownCode: this.codes.hostCode, candidates: sasCandidates(this.codes.guestCode) };
    }

    /** Resolves once the guest picked the host's code (step 4). */
    async guestPicked(): Promise<void> {
        await this.channel.peer(GreetingStep.GUEST_PICKED);
    }

    /** Step 5: `undefined` is "None of these codes". A wrong pick ends the attempt for both. */
    async pickGuestCode(code: string | undefined): Promise<void> {
        if (code === undefined) { return this.abort('NONE_OF_THESE'); }
        if (code !== this.codes!.guestCode) { return this.abort('WRONG_CODE'); }
        await this.channel.post(GreetingStep.HOST_PICKED, STEP_DONE);
    }

    /** Step 6: what the guest says about itself, decrypted. */
    async guestDetails(): Promise<GuestDetails> {
        const details = GuestDetailsSchema.safeParse(this.open(GreetingStep.GUEST_DETAILS, await this.channel.peer(GreetingStep.GUEST_DETAILS)));
        if (!details.success) { return this.abort('BAD_PAYLOAD'); }
        return details.data;
    }

    /** Step 7 (the server stores the certificates with it), then the guest's acknowledgment (8). */
    async confirm(confirmation: HostConfirmation, extras: HostStepExtras): Promise<void> {
        const sent = await this.sendConfirmation(confirmation, extras);
        if (!sent.ok) {
            throw new GreetingRequestError(sent.error);
        }
        await this.guestAcknowledged();
    }

    /**
     * Step 7 alone, its refusal as a reply: a writer that lost the log's head signs again after
     * the head the refusal names (`sendAtLogPosition`). An ended attempt still throws.
     */
    async sendConfirmation(confirmation: HostConfirmation, extras: HostStepExtras): Promise<Reply<Record<string, never>>> {
        try {
            await this.channel.post(GreetingStep.HOST_CONFIRMATION, this.seal(GreetingStep.HOST_CONFIRMATION, confirmation), extras);
            return { ok: true, value: {} };
        } catch (error) {
            if (error instanceof GreetingRequestError) {
                return { ok: false, error: error.error };
            }
            throw error;
        }
    }

    /** Step 8: the guest stored its device. */
    async guestAcknowledged(): Promise<void> {
        await this.channel.peer(GreetingStep.GUEST_ACK);
    }
}

export interface GuestCodes {
    readonly ownCode: string;
    readonly candidates: readonly string[];
}

export class GuestGreeting extends GreetingFlow {
    protected details?: GuestDetails;

    constructor(channel: GreetingChannel) {
        super(channel, 'guest');
    }

    /** Steps 0–3: keys, commitment to its nonce, the host's nonce, its own nonce. */
    async exchange(): Promise<GuestCodes> {
        await this.channel.post(GreetingStep.PUBLIC_KEYS, toBase64Url(this.ephemeral.publicKey));
        const hostKey = bytes32(await this.channel.peer(GreetingStep.PUBLIC_KEYS));
        if (!hostKey) { return this.abort('BAD_PAYLOAD'); }
        this.sharedKey = greetingSharedKey(this.ephemeral.privateKey, hostKey, hostKey, this.ephemeral.publicKey);
        await this.channel.post(GreetingStep.GUEST_COMMITMENT, toBase64Url(nonceCommitment(this.nonce)));
        const hostNonce = bytes32(await this.channel.peer(GreetingStep.HOST_NONCE));
        if (!hostNonce) { return this.abort('BAD_PAYLOAD'); }
        await this.channel.post(GreetingStep.GUEST_NONCE, toBase64Url(this.nonce));
        this.codes = sasCodes(this.sharedKey, hostNonce, this.nonce);
        return { ownCode: this.codes.guestCode, candidates: sasCandidates(this.codes.hostCode) };
    }

    /** Step 4: `undefined` is "None of these codes". */
    async pickHostCode(code: string | undefined): Promise<void> {
        if (code === undefined) { return this.abort('NONE_OF_THESE'); }
        if (code !== this.codes!.hostCode) { return this.abort('WRONG_CODE'); }
        await this.channel.post(GreetingStep.GUEST_PICKED, STEP_DONE);
    }

    /** Resolves once the host picked the guest's code (step 5). */
    async hostPicked(): Promise<void> {
        await this.channel.peer(GreetingStep.HOST_PICKED);
    }

    /** Step 6, then the host's confirmation (7), checked to name the keys this guest sent. */
    async sendDetails(details: GuestDetails): Promise<HostConfirmation> {
        this.details = details;
        await this.channel.post(GreetingStep.GUEST_DETAILS, this.seal(GreetingStep.GUEST_DETAILS, details));
        const confirmation = HostConfirmationSchema.safeParse(this.open(GreetingStep.HOST_CONFIRMATION, await this.channel.peer(GreetingStep.HOST_CONFIRMATION)));
        if (!confirmation.success || confirmation.data.kind !== details.kind || !this.namesOwnKeys(confirmation.data)) {
            return this.abort('BAD_PAYLOAD');
        }
        return confirmation.data;
    }

    /** Step 8: the device is stored on the guest's side. */
    async acknowledge(): Promise<void> {
        await this.channel.post(GreetingStep.GUEST_ACK, STEP_DONE);
    }

    protected namesOwnKeys(confirmation: HostConfirmation): boolean {
        const device = decodeCertificate(confirmation.deviceCertificate);
        if (!device.ok || device.value.content.kind !== 'device' || device.value.content.verifyKey !== this.details!.verifyKey ||
            device.value.content.deviceId !== confirmation.deviceId || device.value.content.userId !== confirmation.userId) {
            return false;
        }
        if (confirmation.kind === 'user' && this.details!.kind === 'user') {
            const user = decodeCertificate(confirmation.userCertificate);
            return user.ok && user.value.content.kind === 'user' && user.value.content.publicKey === this.details!.publicKey &&
                user.value.content.userId === confirmation.userId && user.value.content.humanHandle?.email === this.details!.humanHandle.email;
        }
        return true;
    }
}
