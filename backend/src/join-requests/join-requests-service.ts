import { randomBytes } from 'crypto';
import {
    checkPkiAnchors, COMMON_TOPIC, decodeCertificate, fail, JOIN_REQUEST_BALLPARK_MS, SignedCertificate, joinClaimHash, JoinMethod, JoinMethodsInfo, JoinRequestPayload, JoinRequestsPage,
    JoinRequestStatus, NewUserCertificates, ok, OrganizationId, Outcome, PendingJoinRequest, PkiProof, UserProfile, VerifiedIdentity
} from '@vouch/protocol';
import { DeviceSession, StandingReader } from '../authentication/authentication-types';
import { EventBus } from '../common/event-bus';
import { CertificateContexts } from '../organization/certificate-contexts';
import { CertificateLog } from '../organization/certificate-log';
import { AlongWithEnrolment } from '../organization/organization-service';
import { AddedUser, AddUserError } from '../organization/organization-types';
import { JoinRequestsRepository } from './join-requests-repository';
import { JoinRequestError, JoinRequestRecord } from './join-requests-types';
import { PkiVerifier } from './pki-verifier';

/** The one path that stores a new user (the organization domain's, shared with invitations). */
export interface NewUserWriter {
    addUser<E>(session: DeviceSession, certificates: NewUserCertificates, now: number, along: AlongWithEnrolment<E>): Promise<Outcome<AddedUser, AddUserError | E>>;
}

/** An identity provider's sign-in (OIDC relying party, SAML SP): where to send the browser, bound to the payload. */
export interface JoinSignInFlow {
    readonly label: string;
    begin(payload: JoinRequestPayload, now: number): Promise<{ redirectUrl: string }>;
}

export interface ConfiguredProviders {
    readonly oidc?: JoinSignInFlow;
    readonly saml?: JoinSignInFlow;
}

export class JoinRequestsService {
    constructor(
        protected readonly repository: JoinRequestsRepository,
        protected readonly users: NewUserWriter,
        protected readonly log: CertificateLog,
        protected readonly contexts: CertificateContexts,
        protected readonly standing: StandingReader,
        protected readonly bus: EventBus,
        protected readonly pki: PkiVerifier | undefined,
        protected readonly providers: ConfiguredProviders = {}
    ) { }

    async methods(organizationId: OrganizationId): Promise<Outcome<JoinMethodsInfo, JoinRequestError>> {
        if (!await this.repository.organizationBootstrapped(organizationId)) {
            return notFound(organizationId);
        }
        return ok({
            pki: this.pki?.configured === true,
            ...(this.providers.oidc ? { oidc: { label: this.providers.oidc.label } } : {}),
            ...(this.providers.saml ? { saml: { label: this.providers.saml.label } } : {})
        });
    }

    /** OIDC / SAML: checks what can be checked now, then hands the browser to the provider. */
    async begin(payload: JoinRequestPayload, method: 'oidc' | 'saml', now: number): Promise<Outcome<{ redirectUrl: string }, JoinRequestError>> {
        const checked = await this.precheck(payload, method, now);
        if (!checked.ok) {
            return checked;
        }
        return ok(await this.providers[method]!.begin(payload, now));
    }

    /** Checks shared by every method before any proof is looked at. */
    async precheck(payload: JoinRequestPayload, method: JoinMethod, now: number): Promise<Outcome<void, JoinRequestError>> {
        if (method === 'pki' ? this.pki?.configured !== true : this.providers[method] === undefined) {
            return fail({ code: 'JOIN_METHOD_UNAVAILABLE', message: `This server does not accept ${method.toUpperCase()} join requests` });
        }
        if (!await this.repository.organizationBootstrapped(payload.organizationId)) {
            return notFound(payload.organizationId);
        }
        if (Math.abs(payload.timestamp - now) > JOIN_REQUEST_BALLPARK_MS) {
            return fail({ code: 'JOIN_PROOF_INVALID', message: 'The request was made too long ago, or the device clock is off' });
        }
        if (await this.repository.hasActiveUserWithEmail(payload.organizationId, payload.email)) {
            return fail({ code: 'JOIN_REQUEST_EMAIL_TAKEN', message: `${payload.email} is already a member of ${payload.organizationId}` });
        }
        return ok(undefined);
    }

    async submitPki(payload: JoinRequestPayload, proof: PkiProof, now: number): Promise<Outcome<JoinRequestStatus, JoinRequestError>> {
        const checked = await this.precheck(payload, 'pki', now);
        if (!checked.ok) {
            return checked;
        }
        const verified = await this.pki!.verify(payload, proof, now);
        if (!verified.ok) {
            return verified;
        }
        return this.store(payload, 'pki', verified.value, proof, now);
    }

    /** A request whose identity an identity provider adapter (OIDC, SAML) verified and bound to the payload. */
    async storeVerified(payload: JoinRequestPayload, identity: VerifiedIdentity & { method: 'oidc' | 'saml' }, now: number): Promise<Outcome<JoinRequestStatus, JoinRequestError>> {
        const checked = await this.precheck(payload, identity.method, now);
        if (!checked.ok) {
            return checked;
        }
        if (identity.email !== payload.email) {
            return fail({ code: 'JOIN_PROOF_INVALID', message: `The identity provider vouched for ${identity.email}, not ${payload.email}` });
        }
        return this.store(payload, identity.method, identity, undefined, now);
    }

    protected async store(payload: JoinRequestPayload, method: JoinMethod, identity: VerifiedIdentity, proof: PkiProof | undefined, now: number): Promise<Outcome<JoinRequestStatus, JoinRequestError>> {
        const record: JoinRequestRecord = {
            organizationId: payload.organizationId, requestId: randomBytes(16).toString('hex'), method, state: 'pending',
            email: payload.email, claimHash: payload.claimHash, payload, identity, proof, createdOn: now
        };
        const inserted = await this.repository.insertPending(record, payload.replace, now);
        if (inserted === 'pending-exists') {
            return fail({ code: 'JOIN_REQUEST_ALREADY_PENDING', message: `A request for ${payload.email} is already waiting; ask to replace it` });
        }
        if (inserted === 'claim-reused') {
            return fail({ code: 'JOIN_PROOF_INVALID', message: 'This request was already submitted' });
        }
        this.bus.publish('joinRequests.changed', { organizationId: payload.organizationId, requestId: record.requestId });
        return ok(await this.statusOf(record));
    }

    async status(organizationId: OrganizationId, claimSecret: string): Promise<Outcome<JoinRequestStatus & { claimHash: string }, JoinRequestError>> {
        const claimHash = joinClaimHash(Buffer.from(claimSecret, 'base64url'));
        const record = await this.repository.findByClaim(organizationId, claimHash);
        if (!record) {
            return fail({ code: 'JOIN_REQUEST_NOT_FOUND', message: 'No such join request' });
        }
        return ok({ ...await this.statusOf(record), claimHash });
    }

    async cancel(organizationId: OrganizationId, claimSecret: string, now: number): Promise<Outcome<JoinRequestStatus, JoinRequestError>> {
        const found = await this.status(organizationId, claimSecret);
        if (!found.ok) {
            return found;
        }
        if (!await this.repository.decide(organizationId, found.value.requestId, 'cancelled', undefined, now)) {
            return fail({ code: 'JOIN_REQUEST_ALREADY_DECIDED', message: `The request was already ${found.value.state === 'pending' ? 'taken by an administrator' : found.value.state}` });
        }
        this.bus.publish('joinRequests.changed', { organizationId, requestId: found.value.requestId });
        return this.announce(organizationId, found.value.requestId);
    }

    async list(session: DeviceSession): Promise<JoinRequestsPage> {
        const [records, pinned] = await Promise.all([
            this.repository.listOpen(session.organizationId),
            this.log.newest(session.organizationId, COMMON_TOPIC, 'pki_anchors')
        ]);
        const requests = records.map((record): PendingJoinRequest => ({
            requestId: record.requestId, method: record.method, createdOn: new Date(record.createdOn).toISOString(),
            payload: record.payload, identity: record.identity, ...(record.proof ? { proof: record.proof } : {})
        }));
        return {
            requests, trustAnchors: this.pki?.trustAnchorsPem ?? [], crls: this.pki?.crlsPem ?? [],
            ...(pinned ? { pinned: { certificate: pinned.signed, authorDevices: await this.contexts.deviceChains(session.organizationId, [pinned.author!]) } } : {})
        };
    }

    /**
     * An Administrator pins the trust anchors the organization accepts for PKI requests: the
     * admins' workbenches re-check against the served anchors it names, and no other.
     */
    async pinAnchors(session: DeviceSession, certificate: SignedCertificate, now: number): Promise<Outcome<{ anchors: number }, JoinRequestError>> {
        const decoded = decodeCertificate(certificate);
        if (decoded.ok && decoded.value.content.author !== session.deviceId) {
            return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
        }
        return this.log.append<{ anchors: number }, JoinRequestError>(session.organizationId, COMMON_TOPIC, async head => {
            const ctx = await this.contexts.read(session.organizationId, head, now, { users: [session.userId], devices: [session.deviceId] });
            if (!ctx.ok) { return ctx; }
            const checked = checkPkiAnchors(certificate, ctx.value);
            if (!checked.ok) { return checked; }
            return ok({
                entries: [{ content: checked.value.content, signed: checked.value.signed, redacted: checked.value.signed }],
                store: async () => ok({ anchors: checked.value.content.anchors.length })
            });
        });
    }

    /**
     * Stores the new user and marks the request accepted in one transaction: of two admins (or an
     * accept and a reject) exactly one decision counts, and no crash leaves a user without its
     * accepted request or the reverse.
     */
    async accept(session: DeviceSession, requestId: string, profile: UserProfile, certificates: NewUserCertificates, now: number): Promise<Outcome<AddedUser, JoinRequestError>> {
        const { organizationId } = session;
        const record = await this.repository.find(organizationId, requestId);
        if (!record) {
            return fail({ code: 'JOIN_REQUEST_NOT_FOUND', message: 'No such join request' });
        }
        if (record.state !== 'pending') {
            return alreadyDecided(record);
        }
        const mismatch = certificatesMismatch(record, profile, certificates);
        if (mismatch) {
            return fail({ code: 'JOIN_REQUEST_MISMATCH', message: mismatch });
        }
        const added = await this.users.addUser<JoinRequestError>(session, certificates, now, async user => {
            const acceptance = { userId: user.userId, deviceId: user.deviceId, profile, user: certificates.user, device: certificates.device, authorDevice: session.deviceId };
            return await this.repository.accept(organizationId, requestId, acceptance, session.userId, now)
                ? ok(undefined)
                : alreadyDecided(await this.repository.find(organizationId, requestId) ?? record);
        });
        if (!added.ok) {
            if (added.error.code === 'CERTIFICATE_ALREADY_EXISTS') {
                return fail({ code: 'JOIN_REQUEST_EMAIL_TAKEN', message: added.error.message });
            }
            return added;
        }
        this.bus.publish('joinRequests.changed', { organizationId, requestId });
        await this.announce(organizationId, requestId);
        return ok(added.value);
    }

    async reject(session: DeviceSession, requestId: string, now: number): Promise<Outcome<{ requestId: string }, JoinRequestError>> {
        // The rights were checked against the session as it was when the request arrived: look again.
        const current = await this.standing(session);
        if (!current || current.revoked || current.profile !== 'ADMINISTRATOR') {
            return fail({ code: 'NOT_ALLOWED', message: 'Only Administrators may do this' });
        }
        const record = await this.repository.find(session.organizationId, requestId);
        if (!record) {
            return fail({ code: 'JOIN_REQUEST_NOT_FOUND', message: 'No such join request' });
        }
        if (!await this.repository.decide(session.organizationId, requestId, 'rejected', session.userId, now)) {
            return alreadyDecided(await this.repository.find(session.organizationId, requestId) ?? record);
        }
        this.bus.publish('joinRequests.changed', { organizationId: session.organizationId, requestId });
        await this.announce(session.organizationId, requestId);
        return ok({ requestId });
    }

    protected async announce(organizationId: OrganizationId, requestId: string): Promise<Outcome<JoinRequestStatus, JoinRequestError>> {
        const record = (await this.repository.find(organizationId, requestId))!;
        const status = await this.statusOf(record);
        this.bus.publish('joinRequests.decided', { organizationId, claimHash: record.claimHash, status });
        return ok(status);
    }

    protected async statusOf(record: JoinRequestRecord): Promise<JoinRequestStatus> {
        const acceptance = record.state === 'accepted' ? record.acceptance : undefined;
        return {
            requestId: record.requestId,
            state: record.state,
            method: record.method,
            email: record.email,
            createdOn: new Date(record.createdOn).toISOString(),
            ...(record.decidedOn !== undefined ? { decidedOn: new Date(record.decidedOn).toISOString() } : {}),
            ...(acceptance ? {
                accepted: {
                    userId: acceptance.userId, deviceId: acceptance.deviceId, profile: acceptance.profile,
                    user: acceptance.user, device: acceptance.device,
                    authorDevices: await this.contexts.deviceChains(record.organizationId, [acceptance.authorDevice])
                }
            } : {})
        };
    }
}

function notFound(organizationId: OrganizationId): { ok: false; error: JoinRequestError } {
    return fail({ code: 'ORGANIZATION_NOT_FOUND', message: `No bootstrapped organization "${organizationId}" on this server` });
}

function alreadyDecided(record: JoinRequestRecord): { ok: false; error: JoinRequestError } {
    const what = record.state === 'pending' ? 'is being decided by another administrator' : `was already ${record.state}`;
    return fail({ code: 'JOIN_REQUEST_ALREADY_DECIDED', message: `The request of ${record.email} ${what}` });
}

/** The admin signs exactly what was requested: the submitted keys, the verified email, the device label. */
function certificatesMismatch(record: JoinRequestRecord, profile: UserProfile, certificates: NewUserCertificates): string | undefined {
    const user = decodeCertificate(certificates.user);
    const device = decodeCertificate(certificates.device);
    if (!user.ok || user.value.content.kind !== 'user' || !device.ok || device.value.content.kind !== 'device') {
        return 'The certificates are not a user and a device certificate';
    }
    const u = user.value.content;
    const d = device.value.content;
    if (u.publicKey !== record.payload.userPublicKey || d.verifyKey !== record.payload.deviceVerifyKey) {
        return 'The certificates are not for the keys the requester submitted';
    }
    if (u.humanHandle?.email !== record.identity.email) {
        return `The user certificate must name the verified email ${record.identity.email}`;
    }
    if (u.profile !== profile) {
        return 'The user certificate does not carry the chosen profile';
    }
    if (d.userId !== u.userId || d.deviceLabel !== record.payload.deviceLabel) {
        return 'The device certificate is not the requested device of this user';
    }
    return undefined;
}
