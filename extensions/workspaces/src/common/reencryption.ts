import { CancellationToken } from '@theia/core/lib/common/cancellation';
import {
    ApiError, Certificate, MAX_MESSAGE_BYTES, CertificateTrustStore, chainDigest, decodeCertificate, linkCertificates, newWorkspaceKey, openKeyList, portableEd25519,
    positionAfter, ReencryptedManifest, REENCRYPTION_BATCH, reencryptionNeed, reencryptionRunners, ReencryptionStart, Reply, resealManifest, sealKeyList,
    sendAtLogPosition, StoredManifest, Unlinked, UserId, WorkspaceId, WorkspaceKeyCertificate, workspaceKeyDigest, WorkspaceRole, WorkspaceRoleCertificate, fromBase64Url
} from '@vouch/protocol';
import { WorkspaceConnection, WorkspaceIdentity } from './workspace-engine-api';

/**
 * An Owner's side of a workspace's re-encryption, with nothing but the device's connection, its
 * identity and protocol's rules: claim the run (or wait for the device that holds it, and take
 * over when its lease ends), rotate (remove the revoked members, a new key sealed to exactly
 * those left, each checked against their certificates), move every manifest to the new key in
 * batches (open with the old key, seal with the new one), finish. Runs again from any Owner's
 * device resume where the server's per-manifest progress stands.
 */

export interface ReencryptionProgress {
    readonly phase: 'waiting' | 'rotating' | 'reencrypting' | 'finishing';
    readonly done: number;
    readonly total: number;
}

export interface ReencryptionOptions {
    readonly onProgress?: (progress: ReencryptionProgress) => void;
    /** Cancelled: the run stops between batches and gives its lease up; it resumes later from where it stopped. */
    readonly token?: CancellationToken;
    /** How long to wait for another device's run before giving up. */
    readonly maxWaitMs?: number;
    /** How often to look at another device's run while waiting. */
    readonly pollMs?: number;
    readonly batchSize?: number;
}

export type ReencryptionResult =
    | { readonly kind: 'done'; readonly keyIndex: number; readonly manifests: number; /** Another revocation came during the run: run again. */ readonly stillNeeded: boolean }
    | { readonly kind: 'notNeeded' }
    | { readonly kind: 'cancelled'; readonly done: number; readonly total: number };

/** A refusal or a check that failed; `code` is the server's, or the client's own when it caught the server out. */
export class ReencryptionFailure extends Error {
    constructor(readonly code: ApiError['code'] | 'REENCRYPTION_UNTRUSTED' | 'REENCRYPTION_UNDECRYPTABLE' | 'REENCRYPTION_WAITED_TOO_LONG', message: string) {
        super(message);
        this.name = 'ReencryptionFailure';
    }
}

const DEFAULT_MAX_WAIT_MS = 10 * 60_000;
const DEFAULT_POLL_MS = 1000;
/** Refusals met in a row before giving up: stale batches, a moved log, an unfinished finish. */
const RETRIES = 5;
/** Sealed bytes per batch: a batch is one message, and the server takes none over MAX_MESSAGE_BYTES. */
const BATCH_BYTES = MAX_MESSAGE_BYTES - 128 * 1024;

function failure(error: ApiError): ReencryptionFailure {
    return new ReencryptionFailure(error.code, error.message);
}

function delay(ms: number, token?: CancellationToken): Promise<void> {
    return new Promise(resolve => {
        const timer = setTimeout(() => { subscription?.dispose(); resolve(); }, ms);
        const subscription = token?.onCancellationRequested(() => { clearTimeout(timer); subscription?.dispose(); resolve(); });
    });
}

export async function reencryptWorkspace(connection: WorkspaceConnection, identity: WorkspaceIdentity, workspaceId: WorkspaceId, options: ReencryptionOptions = {}):
    Promise<ReencryptionResult> {
    return new WorkspaceReencryption(connection, identity, workspaceId, options).run();
}

export interface ReencryptNeededOptions extends Omit<ReencryptionOptions, 'onProgress'> {
    /**
     * Waits a random time up to this before starting (the automatic mode, so that Owners' devices
     * online together do not all claim the run at once; the others then wait for it). 0: at once.
     */
    readonly randomDelayMs?: number;
    readonly onProgress?: (workspaceId: WorkspaceId, progress: ReencryptionProgress) => void;
}

/**
 * "Re-encrypt All That Need It", and the automatic mode's pass: every workspace of this user
 * whose list entry says a re-encryption is needed or unfinished, one after the other. A
 * workspace this user may not run (a Manager while an Owner is active) is left out; a run
 * another device holds is waited for, as in `reencryptWorkspace`.
 */
export async function reencryptNeeded(connection: WorkspaceConnection, identity: WorkspaceIdentity, options: ReencryptNeededOptions = {}):
    Promise<Map<WorkspaceId, ReencryptionResult | ReencryptionFailure>> {
    const listed = await connection.request('workspaces.list', {});
    if (!listed.ok) { throw failure(listed.error); }
    const wanted = listed.value.workspaces.filter(one => one.reencryption?.needed || one.reencryption?.run?.keyIndex !== undefined).map(one => one.workspaceId);
    const results = new Map<WorkspaceId, ReencryptionResult | ReencryptionFailure>();
    if (wanted.length > 0 && options.randomDelayMs) {
        await delay(Math.floor(Math.random() * options.randomDelayMs), options.token);
    }
    for (const workspaceId of wanted) {
        if (options.token?.isCancellationRequested) {
            results.set(workspaceId, { kind: 'cancelled', done: 0, total: 0 });
            continue;
        }
        try {
            results.set(workspaceId, await reencryptWorkspace(connection, identity, workspaceId, {
                ...options, onProgress: progress => options.onProgress?.(workspaceId, progress)
            }));
        } catch (error) {
            if (!(error instanceof ReencryptionFailure)) {
                throw error;
            }
            // Not this user's to run, or refused: the others still go.
            results.set(workspaceId, error);
        }
    }
    return results;
}

class WorkspaceReencryption {
    protected done = 0;
    protected total = 0;

    constructor(
        protected readonly connection: WorkspaceConnection,
        protected readonly identity: WorkspaceIdentity,
        protected readonly workspaceId: WorkspaceId,
        protected readonly options: ReencryptionOptions
    ) { }

    protected get cancelled(): boolean {
        return this.options.token?.isCancellationRequested === true;
    }

    protected report(phase: ReencryptionProgress['phase']): void {
        this.options.onProgress?.({ phase, done: this.done, total: this.total });
    }

    async run(): Promise<ReencryptionResult> {
        const start = await this.claim();
        if (start === 'notNeeded' || start === 'cancelled') {
            return start === 'notNeeded' ? { kind: 'notNeeded' } : { kind: 'cancelled', done: this.done, total: this.total };
        }
        this.done = start.run.done;
        this.total = start.run.total;
        const keyIndex = start.run.keyIndex ?? await this.rotate(start);
        const moved = await this.moveManifests(keyIndex);
        if (moved === 'cancelled') {
            await this.connection.request('reencryption.release', { workspaceId: this.workspaceId });
            return { kind: 'cancelled', done: this.done, total: this.total };
        }
        return { kind: 'done', keyIndex, manifests: this.done, stillNeeded: moved.needed };
    }

    /** The run is this device's: claimed, resumed, or taken over once the other device's lease ended. */
    protected async claim(): Promise<ReencryptionStart | 'notNeeded' | 'cancelled'> {
        const deadline = Date.now() + (this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
        for (; ;) {
            if (this.cancelled) {
                return 'cancelled';
            }
            const reply = await this.connection.request('reencryption.start', { workspaceId: this.workspaceId });
            if (reply.ok) {
                return reply.value;
            }
            if (reply.error.code === 'REENCRYPTION_NOT_NEEDED') {
                return 'notNeeded';
            }
            if (reply.error.code !== 'REENCRYPTION_RUNNING') {
                throw failure(reply.error);
            }
            const details = reply.error.details ?? {};
            this.done = typeof details.done === 'number' ? details.done : this.done;
            this.total = typeof details.total === 'number' ? details.total : this.total;
            this.report('waiting');
            if (Date.now() >= deadline) {
                throw new ReencryptionFailure('REENCRYPTION_WAITED_TOO_LONG', 'Another device has been re-encrypting this workspace for too long');
            }
            await delay(this.options.pollMs ?? DEFAULT_POLL_MS, this.options.token);
        }
    }

    /**
     * Removes the revoked members and adds the next key, sealed to exactly the members left. Who is
     * revoked and each member's key come from certificates checked back to the root key, and the
     * roles from the workspace's own signed log: the server cannot slip a revoked user in.
     */
    protected async rotate(start: ReencryptionStart): Promise<number> {
        this.report('rotating');
        const trust = new CertificateTrustStore(this.identity.rootVerifyKey, portableEd25519);
        const untrusted = (message: string) => new ReencryptionFailure('REENCRYPTION_UNTRUSTED', message);
        if (!trust.addDeviceCertificates(start.authorDevices).ok) {
            throw untrusted('The members\' certificates do not chain to the organization\'s root key');
        }
        const publicKeys = new Map<UserId, Uint8Array>();
        const revoked = new Set<UserId>();
        for (const member of start.members) {
            const user = trust.verifyUserCertificate(member.userCertificate);
            if (!user.ok || user.value.userId !== member.userId) {
                throw untrusted(`The certificate of member ${member.userId} does not check out`);
            }
            publicKeys.set(member.userId, fromBase64Url(user.value.publicKey)!);
            if (member.revocation) {
                const revocation = trust.verify(member.revocation, 'revoked_user', 'A revocation');
                if (!revocation.ok || revocation.value.userId !== member.userId) {
                    throw untrusted(`The revocation of member ${member.userId} does not check out`);
                }
                revoked.add(member.userId);
            }
        }
        for (let attempt = 0; ; attempt++) {
            const rolesReply = await this.connection.request('workspaces.roles', { workspaceId: this.workspaceId });
            if (!rolesReply.ok) { throw failure(rolesReply.error); }
            const roles = rolesReply.value;
            if (!trust.addDeviceCertificates(roles.authorDevices).ok) {
                throw untrusted('The workspace\'s log is signed by devices that do not chain to the root key');
            }
            const log: (WorkspaceRoleCertificate | WorkspaceKeyCertificate)[] = [];
            for (const entry of roles.certificates) {
                const decoded = decodeCertificate(entry.signed);
                const kind = decoded.ok ? decoded.value.content.kind : undefined;
                const checked = kind === 'workspace_role' || kind === 'workspace_key' ? trust.verify(entry.signed, kind, 'A workspace certificate') : undefined;
                if (!checked?.ok) {
                    throw untrusted('The workspace\'s log holds a certificate that does not check out');
                }
                log.push(checked.value as WorkspaceRoleCertificate | WorkspaceKeyCertificate);
            }
            const members = replayRoles(log);
            const listed = new Set(start.members.map(member => member.userId));
            if (members.size !== listed.size || [...members.keys()].some(userId => !listed.has(userId))) {
                throw untrusted('The server\'s members are not those of the workspace\'s signed log');
            }
            const isRevoked = (userId: UserId) => revoked.has(userId);
            const need = reencryptionNeed(log, isRevoked);
            const memberRoles = [...members].map(([userId, role]) => ({ userId, role }));
            const runners = reencryptionRunners(memberRoles, isRevoked);
            if (!runners.userIds.includes(this.identity.userId)) {
                throw new ReencryptionFailure('NOT_ALLOWED', 'Only the workspace\'s Owners re-encrypt it');
            }
            const keys = await this.keys();
            const keyCertificates = log.filter((cert): cert is WorkspaceKeyCertificate => cert.kind === 'workspace_key');
            if (keys.length !== keyCertificates.length || keyCertificates.some(cert => cert.keyDigest !== workspaceKeyDigest(this.workspaceId, cert.keyIndex, keys[cert.keyIndex]))) {
                throw untrusted('This device\'s key list is not the one the workspace\'s certificates name');
            }
            const keyIndex = keys.length;
            const key = newWorkspaceKey();
            const last = log[log.length - 1];
            const common = { version: 1 as const, author: this.identity.deviceId, workspaceId: this.workspaceId };
            const contents = (timestamp: number): Unlinked<Certificate>[] => [
                ...(runners.successors ? [{ kind: 'workspace_role' as const, ...common, timestamp, userId: this.identity.userId, role: 'OWNER' as const }] : []),
                ...need.revokedMembers.map(userId => ({ kind: 'workspace_role' as const, ...common, timestamp, userId, role: null })),
                { kind: 'workspace_key' as const, ...common, timestamp, keyIndex, keyDigest: workspaceKeyDigest(this.workspaceId, keyIndex, key) }
            ];
            const sealedKeys: Record<UserId, string> = {};
            for (const { userId } of memberRoles.filter(member => !isRevoked(member.userId))) {
                sealedKeys[userId] = sealKeyList(publicKeys.get(userId)!, [...keys, key], this.workspaceId, userId);
            }
            const first = positionAfter({ digest: chainDigest(last), timestamp: last.timestamp }, Date.now());
            const reply = await sendAtLogPosition(first, async position => this.connection.request('reencryption.rotate', {
                workspaceId: this.workspaceId, certificates: await this.identity.sign(linkCertificates(contents(position.timestamp), position.previous)), sealedKeys
            }), 3);
            if (reply.ok) {
                this.done = reply.value.run.done;
                this.total = reply.value.run.total;
                return reply.value.run.keyIndex!;
            }
            // A share or a revocation landed meanwhile: look at the workspace again.
            if ((reply.error.code !== 'CERTIFICATE_INCONSISTENT' && reply.error.code !== 'REENCRYPTION_RECIPIENTS_MISMATCH') || attempt >= RETRIES) {
                throw failure(reply.error);
            }
        }
    }

    /** This member's key list, opened with the user's key. */
    protected async keys(): Promise<Uint8Array[]> {
        const listed = await this.connection.request('workspaces.list', {});
        if (!listed.ok) { throw failure(listed.error); }
        const summary = listed.value.workspaces.find(one => one.workspaceId === this.workspaceId);
        const keys = summary && openKeyList(this.identity.userKey.privateKey, this.identity.userKey.publicKey, summary.sealedKeys, this.workspaceId, this.identity.userId);
        if (!keys) {
            throw new ReencryptionFailure('REENCRYPTION_UNTRUSTED', 'This device\'s key list of the workspace does not open');
        }
        return keys;
    }

    /**
     * Every manifest under an older key, page by page in entry order: sealed under the new key
     * while the previous batch is being written, each batch naming what it replaces.
     */
    protected async moveManifests(keyIndex: number): Promise<{ needed: boolean } | 'cancelled'> {
        const keys = await this.keys();
        if (keys.length <= keyIndex) {
            throw new ReencryptionFailure('REENCRYPTION_UNTRUSTED', `This device did not receive key ${keyIndex}`);
        }
        const limit = Math.min(this.options.batchSize ?? REENCRYPTION_BATCH, REENCRYPTION_BATCH);
        let after = '';
        let refusals = 0;
        let writing: { readonly from: string; readonly reply: Promise<Reply<{ done: number; total: number }>> } | undefined;
        this.report('reencrypting');
        for (; ;) {
            const page = await this.pending(after, limit);
            // Large folders make large manifests: the batch stops before the message limit, the rest comes with the next page.
            const entries: ReencryptedManifest[] = [];
            let bytes = 0;
            for (const stored of page) {
                if (entries.length > 0 && bytes + stored.blob.length > BATCH_BYTES) {
                    break;
                }
                bytes += stored.blob.length;
                entries.push(this.reseal(keys, keyIndex, stored));
            }
            if (writing) {
                const written = await writing.reply;
                if (!written.ok) {
                    if (written.error.code !== 'REENCRYPTION_STALE_BATCH' || ++refusals > RETRIES) {
                        throw failure(written.error);
                    }
                    // Someone's write landed under the old key at the rotation: read that part again.
                    after = writing.from;
                    writing = undefined;
                    continue;
                }
                refusals = 0;
                this.done = written.value.done;
                this.total = written.value.total;
                this.report('reencrypting');
                writing = undefined;
            }
            if (this.cancelled) {
                return 'cancelled';
            }
            if (entries.length === 0) {
                this.report('finishing');
                const finished = await this.connection.request('reencryption.finish', { workspaceId: this.workspaceId });
                if (finished.ok) {
                    return { needed: finished.value.needed };
                }
                if (finished.error.code !== 'REENCRYPTION_INCOMPLETE' || ++refusals > RETRIES) {
                    throw failure(finished.error);
                }
                after = '';
                continue;
            }
            writing = { from: after, reply: this.connection.request('reencryption.batch', { workspaceId: this.workspaceId, entries }) };
            after = entries[entries.length - 1].entryId;
        }
    }

    protected async pending(after: string, limit: number): Promise<readonly StoredManifest[]> {
        const reply = await this.connection.request('reencryption.pending', { workspaceId: this.workspaceId, after, limit });
        if (!reply.ok) { throw failure(reply.error); }
        return reply.value.manifests;
    }

    protected reseal(keys: readonly Uint8Array[], keyIndex: number, stored: StoredManifest): ReencryptedManifest {
        const key = keys[stored.keyIndex];
        const blob = key && resealManifest(key, { workspaceId: this.workspaceId, entryId: stored.entryId, keyIndex: stored.keyIndex },
            keys[keyIndex], { workspaceId: this.workspaceId, entryId: stored.entryId, keyIndex }, stored.blob);
        if (!blob) {
            throw new ReencryptionFailure('REENCRYPTION_UNDECRYPTABLE', `Manifest ${stored.entryId} does not open under key ${stored.keyIndex}`);
        }
        return { entryId: stored.entryId, version: stored.version, fromKeyIndex: stored.keyIndex, blob };
    }
}

/** Who holds which role at the end of a workspace's log. */
function replayRoles(log: readonly (WorkspaceRoleCertificate | WorkspaceKeyCertificate)[]): Map<UserId, WorkspaceRole> {
    const roles = new Map<UserId, WorkspaceRole>();
    for (const cert of log) {
        if (cert.kind === 'workspace_role') {
            if (cert.role === null) {
                roles.delete(cert.userId);
            } else {
                roles.set(cert.userId, cert.role);
            }
        }
    }
    return roles;
}
