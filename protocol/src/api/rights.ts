import { UserProfile } from '../identity';
import { DeviceSchemas } from './api-schemas';

/**
 * The rights matrix: which profiles may send each authenticated request. It lives here, once;
 * the server enforces it before any handler runs, clients read it to show only what a profile
 * may do, and docs/rights.md is its prose. A request added to `deviceRequestSchemas` without a
 * row here does not compile. Anonymous requests are open to anyone holding the right token;
 * revoked users never get a session, so they may send nothing.
 */
export type DeviceRequestRights = { readonly [K in keyof DeviceSchemas]: readonly UserProfile[] };

export const EVERY_PROFILE: readonly UserProfile[] = ['EXTERNAL', 'MEMBER', 'ADMINISTRATOR'];
export const MEMBERS_AND_ADMINISTRATORS: readonly UserProfile[] = ['MEMBER', 'ADMINISTRATOR'];
export const ADMINISTRATORS_ONLY: readonly UserProfile[] = ['ADMINISTRATOR'];

export const DEVICE_REQUEST_RIGHTS: DeviceRequestRights = {
    'session.info': EVERY_PROFILE,
    // External readers get redacted rows (no names, no emails).
    'users.list': EVERY_PROFILE,
    'users.get': EVERY_PROFILE,
    'users.create': ADMINISTRATORS_ONLY,
    // Pending requests carry names, emails and identities: Administrators only.
    'joinRequests.list': ADMINISTRATORS_ONLY,
    'joinRequests.accept': ADMINISTRATORS_ONLY,
    'joinRequests.reject': ADMINISTRATORS_ONLY,
    'joinRequests.pinAnchors': ADMINISTRATORS_ONLY,
    'users.changeProfiles': ADMINISTRATORS_ONLY,
    'users.revoke': ADMINISTRATORS_ONLY,
    // Members read the history without others' device labels; External users not at all.
    'certificates.list': MEMBERS_AND_ADMINISTRATORS,
    // Everyone who signs certificates must know where the log stands; a head names nobody.
    'certificates.head': EVERY_PROFILE,
    // Invite users and greet user invitations: Administrators. Invite (and greet) a device
    // for oneself: everyone — the invitation service refuses user invitations to the others.
    'invitation.inviteUsers': ADMINISTRATORS_ONLY,
    'invitation.inviteDevice': EVERY_PROFILE,
    'invitation.list': EVERY_PROFILE,
    'invitation.cancel': EVERY_PROFILE,
    'invitation.resend': EVERY_PROFILE,
    'greeting.start': EVERY_PROFILE,
    'greeting.hostStep': EVERY_PROFILE,
    'greeting.hostState': EVERY_PROFILE,
    'greeting.hostCancel': EVERY_PROFILE,
    // Members and Administrators create workspaces; inside one, its roles decide (the workspaces service).
    'workspaces.create': MEMBERS_AND_ADMINISTRATORS,
    'workspaces.list': EVERY_PROFILE,
    'workspaces.roles': EVERY_PROFILE,
    'workspaces.share': EVERY_PROFILE,
    'workspaces.manifests': EVERY_PROFILE,
    'workspaces.write': EVERY_PROFILE,
    'workspaces.putBlock': EVERY_PROFILE,
    'workspaces.putBlocks': EVERY_PROFILE,
    'workspaces.getBlock': EVERY_PROFILE,
    // A workspace's Owners run its re-encryption (or, with none left, its highest role): the service checks.
    'reencryption.start': EVERY_PROFILE,
    'reencryption.rotate': EVERY_PROFILE,
    'reencryption.pending': EVERY_PROFILE,
    'reencryption.batch': EVERY_PROFILE,
    'reencryption.finish': EVERY_PROFILE,
    'reencryption.release': EVERY_PROFILE,
    // Who is about to be revoked, and the shape of their workspaces: the Revoke dialog, Administrators only.
    'reencryption.impact': ADMINISTRATORS_ONLY
};

export function mayRequest(profile: UserProfile, request: keyof DeviceSchemas): boolean {
    return DEVICE_REQUEST_RIGHTS[request].includes(profile);
}

const PROFILE_NAMES: Record<UserProfile, string> = { EXTERNAL: 'External users', MEMBER: 'Members', ADMINISTRATOR: 'Administrators' };

/** "Only Administrators may do this." — the words of a refusal. */
export function whoMayRequest(request: keyof DeviceSchemas): string {
    const names = DEVICE_REQUEST_RIGHTS[request].map(profile => PROFILE_NAMES[profile]);
    return names.length === 1 ? `Only ${names[0]} may do this` : `Only ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} may do this`;
}
