import {
    checkWorkspaceChange, decodeCertificate, fail, ManifestsPage, MANIFESTS_PER_BATCH, ok, Outcome, SignedCertificate, UserId, WorkspaceContext, WorkspaceId, WorkspaceRole,
    WorkspaceRoles, WorkspaceSummary, workspaceTopic
} from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';
import { EventBus } from '../common/event-bus';
import { CertificateContexts } from '../organization/certificate-contexts';
import { CertificateLog } from '../organization/certificate-log';
import { TopicHead } from '../organization/organization-types';
import { WorkspacesRepository } from './workspaces-repository';
import { ManifestWriteRecord, MemberRecord, RoleChange, WorkspaceError, WorkspaceRecord } from './workspaces-types';

type Result<T> = Promise<Outcome<T, WorkspaceError>>;
const refuse = (code: 'NOT_ALLOWED' | 'WORKSPACE_NOT_FOUND' | 'WORKSPACE_BLOCK_NOT_FOUND' | 'BAD_PAYLOAD', message: string) => fail({ code, message });

/** Roles that write manifests and blocks; Readers only read. */
const WRITERS: readonly WorkspaceRole[] = ['OWNER', 'MANAGER', 'CONTRIBUTOR'];

/**
 * Workspaces: the server keeps their roles (a read model of each workspace's topic of the log,
 * written through the one log writer), every member's sealed key list, sealed manifests with
 * versions and change numbers, and sealed blocks. It never sees a key, a name or a byte of
 * content; it enforces the roles on every read and write.
 */
export class WorkspacesService {
    constructor(
        protected readonly repository: WorkspacesRepository,
        protected readonly log: CertificateLog,
        protected readonly contexts: CertificateContexts,
        protected readonly bus: EventBus
    ) { }

    /** The creator's certificates (Owner, key 0), the key list sealed to them and the root folder, in one operation. */
    async create(session: DeviceSession, workspaceId: WorkspaceId, certificates: readonly SignedCertificate[], sealedKeys: string, rootBlob: string, now: number): Result<{ workspaceId: WorkspaceId }> {
        const signedHere = this.signedHere(session, certificates);
        if (!signedHere.ok) { return signedHere; }
        return this.log.append<{ workspaceId: WorkspaceId }, WorkspaceError>(session.organizationId, workspaceTopic(workspaceId), async head => {
            if (head.index !== 0) {
                return refuse('NOT_ALLOWED', 'A workspace with this id exists already');
            }
            const ctx = await this.context(session, workspaceId, head, now, [], undefined);
            if (!ctx.ok) { return ctx; }
            const checked = checkWorkspaceChange(certificates, ctx.value);
            if (!checked.ok) { return checked; }
            const workspace: WorkspaceRecord = { organizationId: session.organizationId, workspaceId, createdOn: now, createdBy: session.userId, keyIndex: 0, lastChange: 1 };
            return ok({
                entries: checked.value.certificates.map(cert => ({ content: cert.content, signed: cert.signed, redacted: cert.signed })),
                store: async () => {
                    await this.repository.create(workspace, { userId: session.userId, role: 'OWNER', sealedKeys }, { blob: rootBlob, updatedBy: session.deviceId, now });
                    return ok({ workspaceId });
                },
                announce: () => this.bus.publish('workspace.membersChanged', { organizationId: session.organizationId, workspaceId, changes: [{ userId: session.userId, role: 'OWNER' }] })
            });
        });
    }

    async list(session: DeviceSession): Promise<WorkspaceSummary[]> {
        const rows = await this.repository.workspacesOf(session.organizationId, session.userId, true);
        return rows.map(row => ({
            workspaceId: row.workspaceId, role: row.role, keyIndex: row.keyIndex, sealedKeys: row.sealedKeys, members: row.members,
            createdOn: new Date(row.createdOn).toISOString(), lastChange: row.lastChange, ...(row.root ? { root: row.root } : {})
        }));
    }

    /** The workspaces a device's sockets listen to: its user's. */
    async workspaceIdsOf(session: Pick<DeviceSession, 'organizationId' | 'userId'>): Promise<WorkspaceId[]> {
        return (await this.repository.workspacesOf(session.organizationId, session.userId)).map(row => row.workspaceId);
    }

    /** A member reads who is in the workspace and its log, with what chains the authors to the root key. */
    async roles(session: DeviceSession, workspaceId: WorkspaceId): Result<WorkspaceRoles> {
        const member = await this.memberOf(session, workspaceId);
        if (!member.ok) { return member; }
        const [members, entries] = await Promise.all([
            this.repository.members(session.organizationId, workspaceId),
            this.log.entries(session.organizationId, workspaceTopic(workspaceId), 0, 100_000)
        ]);
        const authors = [...new Set(entries.map(entry => entry.author).filter((author): author is string => author !== null))];
        return ok({
            members: members.map(one => ({ userId: one.userId, role: one.role })),
            certificates: entries.map(entry => ({ index: entry.index, signed: entry.signed })),
            authorDevices: await this.contexts.deviceChains(session.organizationId, authors)
        });
    }

    /**
     * Grants, changes or removes roles (or leaves): the certificates go through the shared rules
     * against the workspace's log; each newly granted member must come with their sealed key list,
     * and must still be an active user when the change commits.
     */
    async share(session: DeviceSession, workspaceId: WorkspaceId, certificates: readonly SignedCertificate[], sealedKeys: Readonly<Record<UserId, string>>, now: number):
        Result<{ members: number }> {
        const signedHere = this.signedHere(session, certificates);
        if (!signedHere.ok) { return signedHere; }
        const targets = signedHere.value;
        return this.log.append<{ members: number }, WorkspaceError>(session.organizationId, workspaceTopic(workspaceId), async head => {
            const workspace = await this.repository.get(session.organizationId, workspaceId);
            if (!workspace || head.index === 0) {
                return refuse('WORKSPACE_NOT_FOUND', 'No such workspace');
            }
            const members = await this.repository.members(session.organizationId, workspaceId);
            const ctx = await this.context(session, workspaceId, head, now, targets, workspace, members);
            if (!ctx.ok) { return ctx; }
            const checked = checkWorkspaceChange(certificates, ctx.value);
            if (!checked.ok) { return checked; }
            if (checked.value.keyIndex !== workspace.keyIndex) {
                return refuse('BAD_PAYLOAD', 'New workspace keys come with a re-encryption, not a share');
            }
            const before = new Map(members.map(one => [one.userId, one.role]));
            const changes: RoleChange[] = [];
            for (const [userId, role] of checked.value.roles) {
                const granted = role !== null && !before.has(userId);
                if (granted && !sealedKeys[userId]) {
                    return refuse('BAD_PAYLOAD', `sealedKeys: the key list sealed to ${userId} is missing`);
                }
                changes.push({ userId, role, ...(granted ? { sealedKeys: sealedKeys[userId] } : {}) });
            }
            const granted = changes.filter(change => change.sealedKeys !== undefined).map(change => change.userId);
            const after = members.length + changes.filter(change => change.role !== null && !before.has(change.userId)).length - changes.filter(change => change.role === null).length;
            return ok({
                entries: checked.value.certificates.map(cert => ({ content: cert.content, signed: cert.signed, redacted: cert.signed })),
                store: async () => {
                    // A revocation committed since the check would otherwise leave a revoked user with a role.
                    const active = await this.repository.activeUsers(session.organizationId, granted);
                    const revoked = granted.find(userId => !active.has(userId));
                    if (revoked) {
                        return fail({ code: 'CERTIFICATE_INCONSISTENT', message: 'A revoked user cannot be given a role' });
                    }
                    await this.repository.applyRoles(session.organizationId, workspaceId, changes);
                    return ok({ members: after });
                },
                announce: () => this.bus.publish('workspace.membersChanged', {
                    organizationId: session.organizationId, workspaceId, changes: changes.map(change => ({ userId: change.userId, role: change.role }))
                })
            });
        });
    }

    async manifests(session: DeviceSession, workspaceId: WorkspaceId, since: number, limit: number): Result<ManifestsPage> {
        const member = await this.memberOf(session, workspaceId);
        if (!member.ok) { return member; }
        let rows = await this.repository.manifestsSince(session.organizationId, workspaceId, since, limit + 1);
        // A page ends between two changes, never inside one: the next page starts after the last
        // change it names, so manifests of one write cut in two would be skipped.
        let cut = Math.min(rows.length, limit);
        if (rows.length > limit) {
            while (cut > 0 && rows[cut].change === rows[cut - 1].change) {
                cut--;
            }
            if (cut === 0) {
                // One write holds more than `limit` manifests: the page holds that whole write (at most MANIFESTS_PER_BATCH).
                rows = await this.repository.manifestsSince(session.organizationId, workspaceId, since, MANIFESTS_PER_BATCH + 1);
                cut = rows.findIndex(row => row.change !== rows[0].change);
                cut = cut < 0 ? rows.length : cut;
            }
        }
        const page = rows.slice(0, cut);
        return ok({
            manifests: page,
            ...(rows.length > cut ? { nextSince: page[page.length - 1].change } : {}),
            lastChange: member.value.workspace.lastChange
        });
    }

    /** Writes manifests sealed under the current key, each replacing the version it names; members who may write only. */
    async write(session: DeviceSession, workspaceId: WorkspaceId, entries: readonly ManifestWriteRecord[], now: number): Result<{ versions: Record<string, number>; change: number }> {
        const member = await this.memberOf(session, workspaceId, WRITERS);
        if (!member.ok) { return member; }
        const { workspace } = member.value;
        const stale = entries.find(entry => entry.keyIndex !== workspace.keyIndex);
        if (stale) {
            return fail({ code: 'WORKSPACE_STALE_KEY', message: `Manifests are sealed with the workspace's key ${workspace.keyIndex}: refresh the keys`, keyIndex: workspace.keyIndex });
        }
        if (new Set(entries.map(entry => entry.entryId)).size !== entries.length) {
            return refuse('BAD_PAYLOAD', 'entries: an entry appears twice');
        }
        const written = await this.repository.writeManifests(session.organizationId, workspaceId, entries, session.deviceId, now);
        if ('conflict' in written) {
            return fail({
                code: 'WORKSPACE_MANIFEST_CONFLICT', message: `Someone else changed this entry first (it is at version ${written.conflict.version})`,
                entryId: written.conflict.entryId, version: written.conflict.version
            });
        }
        this.bus.publish('workspace.changed', { organizationId: session.organizationId, workspaceId, change: written.change });
        return ok(written);
    }

    async putBlock(session: DeviceSession, workspaceId: WorkspaceId, blockId: string, data: Uint8Array): Result<{ size: number }> {
        const member = await this.memberOf(session, workspaceId, WRITERS);
        if (!member.ok) { return member; }
        await this.repository.putBlock(session.organizationId, workspaceId, blockId, data);
        return ok({ size: data.length });
    }

    /** Several blocks at once: one role check, one transaction (small files written together). */
    async putBlocks(session: DeviceSession, workspaceId: WorkspaceId, blocks: readonly { blockId: string; data: Uint8Array }[]): Result<{ count: number }> {
        const member = await this.memberOf(session, workspaceId, WRITERS);
        if (!member.ok) { return member; }
        await this.repository.putBlocks(session.organizationId, workspaceId, blocks);
        return ok({ count: blocks.length });
    }

    async getBlock(session: DeviceSession, workspaceId: WorkspaceId, blockId: string): Result<{ data: Uint8Array }> {
        const member = await this.memberOf(session, workspaceId);
        if (!member.ok) { return member; }
        const data = await this.repository.getBlock(session.organizationId, workspaceId, blockId);
        return data ? ok({ data }) : refuse('WORKSPACE_BLOCK_NOT_FOUND', 'No such block in this workspace');
    }

    /** The workspace and this user's membership; a stranger is told the workspace does not exist. */
    protected async memberOf(session: DeviceSession, workspaceId: WorkspaceId, roles?: readonly WorkspaceRole[]): Result<{ workspace: WorkspaceRecord; member: MemberRecord }> {
        const [workspace, members] = await Promise.all([
            this.repository.get(session.organizationId, workspaceId),
            this.repository.members(session.organizationId, workspaceId)
        ]);
        const member = members.find(one => one.userId === session.userId);
        if (!workspace || !member) {
            return refuse('WORKSPACE_NOT_FOUND', 'No such workspace');
        }
        if (roles && !roles.includes(member.role)) {
            return refuse('NOT_ALLOWED', `A ${member.role.toLowerCase()} may not change this workspace`);
        }
        return ok({ workspace, member });
    }

    /** Certificates sent on a connection must be signed by its own device; returns the users they name. */
    protected signedHere(session: DeviceSession, certificates: readonly SignedCertificate[]): Outcome<UserId[], WorkspaceError> {
        const users: UserId[] = [];
        for (const signed of certificates) {
            const decoded = decodeCertificate(signed);
            if (!decoded.ok) { return fail(decoded.error); }
            if (decoded.value.content.author !== session.deviceId) {
                return fail({ code: 'NOT_ALLOWED', message: 'Certificates sent on a connection must be signed by its own device' });
            }
            if (decoded.value.content.kind === 'workspace_role') {
                users.push(decoded.value.content.userId);
            }
        }
        return ok(users);
    }

    /** The organization and the workspace as the rules need them, read after `head`. */
    protected async context(session: DeviceSession, workspaceId: WorkspaceId, head: TopicHead, now: number, targets: readonly UserId[],
        workspace: WorkspaceRecord | undefined, members: readonly MemberRecord[] = []): Promise<Outcome<WorkspaceContext, WorkspaceError>> {
        const ctx = await this.contexts.read(session.organizationId, head, now, { users: [session.userId, ...targets], devices: [session.deviceId] });
        if (!ctx.ok) { return ctx; }
        const roles = new Map(members.map(one => [one.userId, one.role]));
        return ok({
            ...ctx.value, workspaceId, keyIndex: workspace?.keyIndex,
            role: userId => roles.get(userId),
            owners: members.filter(one => one.role === 'OWNER').map(one => one.userId)
        });
    }
}
