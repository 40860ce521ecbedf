import { DeviceId, OrganizationId, UserId, WorkspaceId } from '@vouch/protocol';
import { ManifestRecord } from './workspaces-types';
import { MemberCertificates, ReencryptedManifestRecord, ReencryptionRecord } from './reencryption-types';

export interface ReencryptionRepository {
    get(organizationId: OrganizationId, workspaceId: WorkspaceId): Promise<ReencryptionRecord | undefined>;
    /** Records of these workspaces (those that have one). */
    getMany(organizationId: OrganizationId, workspaceIds: readonly WorkspaceId[]): Promise<Map<WorkspaceId, ReencryptionRecord>>;
    /** Workspaces whose log ever gave a role to one of these users. */
    workspacesEverSharedWith(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<WorkspaceId[]>;
    /** Which of these users are revoked. */
    revokedAmong(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<Set<UserId>>;
    /** In the revocation's transaction: one more revocation exposed the workspace; a revoked runner's lease ends now. */
    markExposed(organizationId: OrganizationId, workspaceId: WorkspaceId, revokedOn: number, revokedUserIds: readonly UserId[]): Promise<void>;
    /** Takes the run when nobody holds it, this device holds it, or its lease ended (or its runner is revoked); false otherwise. */
    claim(organizationId: OrganizationId, workspaceId: WorkspaceId, runner: { userId: UserId; deviceId: DeviceId }, now: number, leaseUntil: number): Promise<boolean>;
    release(organizationId: OrganizationId, workspaceId: WorkspaceId, deviceId: DeviceId): Promise<void>;
    /** In the rotation's transaction: the run's key index; every revocation so far is covered; the manifests to move are counted. */
    rotated(organizationId: OrganizationId, workspaceId: WorkspaceId, keyIndex: number): Promise<void>;
    /** Every remaining member's key list, replaced (the whole list, old keys included). */
    replaceSealedKeys(organizationId: OrganizationId, workspaceId: WorkspaceId, sealedKeys: Readonly<Record<UserId, string>>): Promise<void>;
    setKeyIndex(organizationId: OrganizationId, workspaceId: WorkspaceId, keyIndex: number): Promise<void>;
    /** Manifests under a key older than `keyIndex`, after `after` in entry order. */
    pending(organizationId: OrganizationId, workspaceId: WorkspaceId, keyIndex: number, after: string, limit: number): Promise<ManifestRecord[]>;
    /**
     * One transaction: the run (still this device's, at `keyIndex`) gets a longer lease and every
     * entry moves to `keyIndex` from the version and key it names; on any mismatch nothing is
     * written and the first entry that did not match (or 'lease') is returned.
     */
    reencrypt(organizationId: OrganizationId, workspaceId: WorkspaceId, deviceId: DeviceId, keyIndex: number, entries: readonly ReencryptedManifestRecord[], leaseUntil: number):
        Promise<{ done: number; total: number } | { stale: string } | 'lease'>;
    /** Ends the run when no manifest is left under an older key: returns how many are left (0: ended), or 'lease'. */
    finish(organizationId: OrganizationId, workspaceId: WorkspaceId, deviceId: DeviceId, keyIndex: number): Promise<number | 'lease'>;
    /** The members with their certificates, for the runner to check. */
    memberCertificates(organizationId: OrganizationId, userIds: readonly UserId[]): Promise<MemberCertificates[]>;
}
