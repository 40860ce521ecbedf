import { UserProfile } from '../identity';
import { AnonymousServerEvents, DeviceServerEvents } from './api-schemas';

/**
 * Who may receive each event the server pushes on the device namespace — the other half of
 * the rights matrix. The server emits an event only through this table (its fan-out takes an
 * audience the table allows for that event, or it does not compile), and the privacy suite
 * checks what each profile received against it. docs/rights.md is its prose.
 *
 * - `organization`: every connected device of the organization, External ones too, so such an
 *   event never carries a name, an email or a device label;
 * - `administrators`: devices of the organization's Administrators (rooms follow profile changes);
 * - `user`: the devices of the one user the event is about;
 * - `device`: one device (the host of a greeting);
 * - `workspace`: the devices of a workspace's members (rooms follow role changes).
 */
export type DeviceAudience = 'organization' | 'administrators' | 'user' | 'device' | 'workspace';

export const DEVICE_EVENT_AUDIENCES = {
    'certificates.added': ['organization'],
    'session.profileChanged': ['user'],
    'session.revoked': ['user'],
    // User invitations concern Administrators; device invitations the user whose device it is.
    'invitations.changed': ['administrators', 'user'],
    'invitation.guestWaiting': ['administrators', 'user'],
    'greeting.step': ['device'],
    'greeting.cancelled': ['device'],
    'joinRequests.changed': ['administrators'],
    'workspace.changed': ['workspace'],
    'workspaces.changed': ['user'],
    // To each Owner (or successor) of the exposed workspaces, by name: the user room of each.
    'workspaces.reencryptionNeeded': ['user'],
    'workspace.maintenance': ['workspace']
} as const satisfies { readonly [K in keyof DeviceServerEvents]: readonly DeviceAudience[] };

export type DeviceEventAudience<K extends keyof DeviceServerEvents> = typeof DEVICE_EVENT_AUDIENCES[K][number];

/**
 * Anonymous sockets hear only about what they hold: a guest about its invitation's greeting
 * (room named by the invitation), a join requester about its request (room named by the hash
 * of its secret).
 */
export type AnonymousAudience = 'guest' | 'requester';

export const ANONYMOUS_EVENT_AUDIENCES = {
    'invitation.ended': ['guest'],
    'greeting.started': ['guest'],
    'greeting.step': ['guest'],
    'greeting.cancelled': ['guest'],
    'joinRequests.decided': ['requester']
} as const satisfies { readonly [K in keyof AnonymousServerEvents]: readonly AnonymousAudience[] };

export type AnonymousEventAudience<K extends keyof AnonymousServerEvents> = typeof ANONYMOUS_EVENT_AUDIENCES[K][number];

/**
 * Whether a device of `profile` may receive an event sent to `audience`. `user`, `device` and
 * `workspace` audiences are reached only by the subject's own devices (a workspace's: its
 * members'), whatever their profile.
 */
export function audienceAdmits(audience: DeviceAudience, profile: UserProfile, isSubject: boolean): boolean {
    switch (audience) {
        case 'organization': return true;
        case 'administrators': return profile === 'ADMINISTRATOR';
        case 'user':
        case 'device':
        case 'workspace': return isSubject;
    }
}
