import {
    CertificateError, certificateError, CertificateTrustStore, chainDigest, checkWorkspaceChange, decodeCertificate, DeviceId, fail, fromBase64Url, KnownDevice, ok,
    Outcome, SignatureScheme, SignedCertificate, UserId, UserProfile, UserSummary, WorkspaceContext, WorkspaceId, workspaceKeyDigest, WorkspaceRole,
    WorkspaceRoles
} from '@vouch/protocol';

/**
 * What a member's client believes about a workspace's roles and keys: the workspace's topic of
 * the certificate log replayed from the organization's root key with the same rules the server
 * applies (checkWorkspaceChange). The server's list of members is never taken on its word.
 */

/** A user as their signed certificates say: profile, revocation, and the key their key lists are sealed to. */
export interface CertifiedUser {
    readonly userId: UserId;
    readonly profile: UserProfile;
    readonly publicKey: Uint8Array;
    /** ms since epoch of the signed revocation, when revoked. */
    readonly revokedOn?: number;
    /** The name, where the reader may see it. */
    readonly label?: string;
}

/** The trust store, able to say which device signed what (the replay needs the device's user). */
export class WorkspaceTrustStore extends CertificateTrustStore {
    device(deviceId: DeviceId): KnownDevice | undefined {
        return this.devices.get(deviceId);
    }
}

/**
 * One row of `users.list` checked against its certificates: the user certificate, its newest
 * profile change and its revocation, each signed by a believed device. Undefined when the row
 * says anything its certificates do not.
 */
export function certifyUser(row: UserSummary, trust: WorkspaceTrustStore): CertifiedUser | undefined {
    const user = trust.verifyUserCertificate(row.certificate);
    if (!user.ok || user.value.userId !== row.userId) {
        return undefined;
    }
    let profile = user.value.profile;
    if (row.profileCertificate) {
        const update = trust.verify(row.profileCertificate, 'user_update', 'A profile change');
        if (!update.ok || update.value.userId !== row.userId) {
            return undefined;
        }
        profile = update.value.newProfile;
    }
    if (profile !== row.profile) {
        return undefined;
    }
    let revokedOn: number | undefined;
    if (row.revocationCertificate) {
        const revocation = trust.verify(row.revocationCertificate, 'revoked_user', 'A revocation');
        if (!revocation.ok || revocation.value.userId !== row.userId) {
            return undefined;
        }
        revokedOn = revocation.value.timestamp;
    } else if (row.revokedOn !== undefined) {
        return undefined;
    }
    return {
        userId: row.userId, profile, publicKey: fromBase64Url(user.value.publicKey)!,
        ...(revokedOn !== undefined ? { revokedOn } : {}),
        ...(user.value.humanHandle ? { label: user.value.humanHandle.label } : {})
    };
}

/** A workspace's roles and keys as its log says. */
export interface ReplayedWorkspace {
    readonly roles: ReadonlyMap<UserId, WorkspaceRole>;
    /** The certified digest of each key, by index. */
    readonly keyDigests: readonly string[];
    /** Users whose role was removed after the newest key: a revoked one among them means the key must change. */
    readonly removedSinceKey: readonly UserId[];
    /** Where the next certificate goes. */
    readonly head: { readonly digest: string | null; readonly timestamp: number | undefined; readonly index: number };
}

export interface ReplayInputs {
    readonly workspaceId: WorkspaceId;
    readonly rootVerifyKey: Uint8Array;
    readonly scheme: SignatureScheme;
    readonly device: (deviceId: DeviceId) => KnownDevice | undefined;
    readonly user: (userId: UserId) => CertifiedUser | undefined;
}

/** The workspace context the rules need at one point of the replay (or now, for a change to sign). */
export function workspaceContext(inputs: ReplayInputs, state: ReplayedWorkspace, now: number, ballparkMs: number): WorkspaceContext {
    return {
        scheme: inputs.scheme, rootVerifyKey: inputs.rootVerifyKey, now, ballparkMs,
        head: { digest: state.head.digest, timestamp: state.head.timestamp },
        device: deviceId => inputs.device(deviceId),
        // Who was revoked when the certificate was signed: a revocation does not undo what came before it.
        user: userId => {
            const user = inputs.user(userId);
            return user && { profile: user.profile, revoked: user.revokedOn !== undefined && user.revokedOn <= now };
        },
        workspaceId: inputs.workspaceId,
        role: userId => state.roles.get(userId),
        keyIndex: state.keyDigests.length > 0 ? state.keyDigests.length - 1 : undefined,
        owners: [...state.roles].filter(([, role]) => role === 'OWNER').map(([userId]) => userId)
    };
}

export const EMPTY_WORKSPACE: ReplayedWorkspace = { roles: new Map(), keyDigests: [], removedSinceKey: [], head: { digest: null, timestamp: undefined, index: 0 } };

/** Applies one checked change to the replayed state. */
export function applyChange(state: ReplayedWorkspace, signed: readonly SignedCertificate[], inputs: ReplayInputs, now: number, ballparkMs: number):
    Outcome<ReplayedWorkspace, CertificateError> {
    const checked = checkWorkspaceChange(signed, workspaceContext(inputs, state, now, ballparkMs));
    if (!checked.ok) {
        return checked;
    }
    const roles = new Map(state.roles);
    const keyDigests = [...state.keyDigests];
    let removedSinceKey = [...state.removedSinceKey];
    for (const cert of checked.value.certificates) {
        const content = cert.content;
        if (content.kind === 'workspace_key') {
            keyDigests[content.keyIndex] = content.keyDigest;
            removedSinceKey = [];
        } else if (content.role === null) {
            roles.delete(content.userId);
            removedSinceKey.push(content.userId);
        } else {
            roles.set(content.userId, content.role);
        }
    }
    const last = checked.value.certificates[checked.value.certificates.length - 1].content;
    return ok({ roles, keyDigests, removedSinceKey, head: { digest: chainDigest(last), timestamp: last.timestamp, index: state.head.index + signed.length } });
}

/**
 * Replays the workspace's log as `workspaces.roles` serves it: entries numbered from 1 with no
 * gap, grouped into operations (one author, one timestamp), each checked by the rules against
 * the state before it.
 */
export function replayWorkspace(served: WorkspaceRoles, inputs: ReplayInputs, trust: WorkspaceTrustStore): Outcome<ReplayedWorkspace, CertificateError> {
    const devices = trust.addDeviceCertificates(served.authorDevices);
    if (!devices.ok) {
        return devices;
    }
    const groups: SignedCertificate[][] = [];
    let key: string | undefined;
    for (const [i, entry] of served.certificates.entries()) {
        if (entry.index !== i + 1) {
            return fail(certificateError('CERTIFICATE_LOG_TAMPERED', `The workspace's log skips from ${i} to ${entry.index}`));
        }
        const decoded = decodeCertificate(entry.signed);
        if (!decoded.ok) {
            return decoded;
        }
        const groupKey = `${decoded.value.content.author}/${decoded.value.content.timestamp}`;
        if (groupKey !== key) {
            groups.push([]);
            key = groupKey;
        }
        groups[groups.length - 1].push(entry.signed);
    }
    let state = EMPTY_WORKSPACE;
    for (const group of groups) {
        const decoded = decodeCertificate(group[0]);
        const applied = applyChange(state, group, inputs, decoded.ok ? decoded.value.content.timestamp : 0, Number.POSITIVE_INFINITY);
        if (!applied.ok) {
            return applied;
        }
        state = applied.value;
    }
    if (state.keyDigests.length === 0) {
        return fail(certificateError('CERTIFICATE_INCONSISTENT', 'The workspace\'s log holds no key'));
    }
    return ok(state);
}

/** The keys whose digests the log certifies, in index order; undefined when any key is not the certified one. */
export function certifiedKeys(workspaceId: WorkspaceId, keys: readonly Uint8Array[], keyDigests: readonly string[]): Uint8Array[] | undefined {
    if (keys.length === 0 || keys.length > keyDigests.length) {
        return undefined;
    }
    return keys.every((key, index) => workspaceKeyDigest(workspaceId, index, key) === keyDigests[index]) ? [...keys] : undefined;
}
