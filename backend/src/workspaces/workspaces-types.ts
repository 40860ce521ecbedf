import { CertificateError, OrganizationId, UserId, WorkspaceId, WorkspaceRole } from '@vouch/protocol';
import { OrganizationNotFound } from '../organization/certificate-contexts';

export interface WorkspaceRecord {
    readonly organizationId: OrganizationId;
    readonly workspaceId: WorkspaceId;
    readonly createdOn: number;
    readonly createdBy: UserId;
    readonly keyIndex: number;
    readonly lastChange: number;
}

export interface MemberRecord {
    readonly userId: UserId;
    readonly role: WorkspaceRole;
    readonly sealedKeys: string;
}

/** A workspace as one of its members lists it: their role and sealed key list, how many members, and the sealed root folder (it carries the name). */
export interface WorkspaceMembership extends WorkspaceRecord {
    readonly role: WorkspaceRole;
    readonly sealedKeys: string;
    readonly members: number;
    readonly root?: { readonly version: number; readonly keyIndex: number; readonly blob: string };
}

export interface ManifestRecord {
    readonly entryId: string;
    readonly version: number;
    readonly keyIndex: number;
    readonly blob: string;
    readonly change: number;
}

export interface ManifestWriteRecord {
    readonly entryId: string;
    readonly expectedVersion: number;
    readonly keyIndex: number;
    readonly blob: string;
}

/** A role change as the workspace's read model applies it; a granted member gets their sealed key list. */
export interface RoleChange {
    readonly userId: UserId;
    readonly role: WorkspaceRole | null;
    readonly sealedKeys?: string;
}

export type WorkspaceError =
    | { readonly code: 'NOT_ALLOWED' | 'WORKSPACE_NOT_FOUND' | 'WORKSPACE_BLOCK_NOT_FOUND' | 'BAD_PAYLOAD'; readonly message: string }
    /** A write named a version that is not the stored one: someone else wrote first. */
    | { readonly code: 'WORKSPACE_MANIFEST_CONFLICT'; readonly message: string; readonly entryId: string; readonly version: number }
    /** A write sealed under another key than the workspace's current one: the writer refreshes its keys. */
    | { readonly code: 'WORKSPACE_STALE_KEY'; readonly message: string; readonly keyIndex: number }
    | CertificateError
    | OrganizationNotFound;
