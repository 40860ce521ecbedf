import { Namespace, Socket } from 'socket.io';
import { AnonymousClientEvents, AnonymousServerEvents, DeviceClientEvents, DeviceServerEvents, OrganizationId, UserProfile } from '@vouch/protocol';
import { DeviceSession } from '../authentication/authentication-types';

/** A device's session as its socket keeps it: the profile follows changes while it is open. */
export type LiveSession = Omit<DeviceSession, 'profile'> & { profile: UserProfile };

export interface DeviceSocketData {
    session: LiveSession;
}

/** A guest's socket remembers the invitation it claimed (presence reads it). */
export interface AnonymousSocketData {
    invitationId?: string;
}

/** The server speaks the protocol's event maps: requests in, pushed events out. */
export type DeviceNamespace = Namespace<DeviceClientEvents, DeviceServerEvents, Record<string, never>, DeviceSocketData>;
export type DeviceSocket = Socket<DeviceClientEvents, DeviceServerEvents, Record<string, never>, DeviceSocketData>;
export type AnonymousNamespace = Namespace<AnonymousClientEvents, AnonymousServerEvents, Record<string, never>, AnonymousSocketData>;
export type AnonymousSocket = Socket<AnonymousClientEvents, AnonymousServerEvents, Record<string, never>, AnonymousSocketData>;

/** Rooms: the audiences of protocol's event table, and the anonymous ones. */
export const rooms = {
    organization: (organizationId: OrganizationId) => `org:${organizationId}`,
    administrators: (organizationId: OrganizationId) => `admins:${organizationId}`,
    user: (organizationId: OrganizationId, userId: string) => `user:${organizationId}:${userId}`,
    device: (organizationId: OrganizationId, deviceId: string) => `device:${organizationId}:${deviceId}`,
    /** The devices of a workspace's members. */
    workspace: (organizationId: OrganizationId, workspaceId: string) => `ws:${organizationId}:${workspaceId}`,
    /** The sockets that claimed one invitation's token. */
    guest: (organizationId: OrganizationId, invitationId: string) => `guest:${organizationId}:${invitationId}`,
    /** Every guest socket of an organization (presence). */
    guests: (organizationId: OrganizationId) => `guests:${organizationId}`,
    /** A join requester's sockets, named by the hash of its secret. */
    requester: (organizationId: OrganizationId, claimHash: string) => `join:${organizationId}:${claimHash}`
};
