import { DeviceId, SignedCertificate, UserId, UserProfile } from '@vouch/protocol';

export interface UsersQuery {
    readonly query: string;
    readonly offset: number;
    readonly limit: number;
    readonly includeRevoked: boolean;
}

export interface UserRow {
    readonly userId: UserId;
    readonly email: string;
    readonly label: string;
    readonly profile: UserProfile;
    readonly createdOn: number;
    readonly createdBy?: UserId;
    readonly revokedOn?: number;
    readonly revokedBy?: UserId;
    readonly certificate: SignedCertificate;
    readonly redactedCertificate: SignedCertificate;
    /** Device that signed the user certificate; absent when the root key did. */
    readonly authorDevice?: DeviceId;
    /** The user's newest profile change (user_update), if any, and the device that signed it. */
    readonly profileChange?: { readonly certificate: SignedCertificate; readonly authorDevice: DeviceId };
    /** The user's revocation (the first revoked_user certificate), if revoked, and the device that signed it. */
    readonly revocation?: { readonly certificate: SignedCertificate; readonly authorDevice: DeviceId };
}
