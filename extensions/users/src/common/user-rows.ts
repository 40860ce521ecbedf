import { CertificateTrustStore, HumanHandle, UserProfile, UsersPage, UserSummary } from '@vouch/protocol';

/** A user as the Users view shows it, after its certificate was re-checked. */
export interface UserRow {
    readonly userId: string;
    /** From the checked certificate; absent when the reader may not see it. */
    readonly humanHandle?: HumanHandle;
    readonly profile: UserProfile;
    /** ISO time. */
    readonly createdOn: string;
    readonly revokedOn?: string;
    /** Who revoked the user. */
    readonly revokedBy?: string;
}

export interface CheckedUsersPage {
    readonly rows: readonly UserRow[];
    /** How many rows were dropped because their certificate did not check out. */
    readonly rejected: number;
    /** Why the page's author devices were not believed, if they were not (then every row is dropped). */
    readonly chainError?: string;
}

/**
 * Believes only what the organization's root key vouches for: each row must come with a
 * user certificate signed through the page's author devices, naming the same user and person;
 * its profile must be the one of the newest profile change the server sends (or of the user
 * certificate when there is none), and a revoked row must come with its signed revocation. What
 * the server can still do is leave out a later change: the log's replay (the history) and the
 * device's check of the log's continuation are what catch that.
 */
export function checkUsersPage(page: UsersPage, trust: CertificateTrustStore): CheckedUsersPage {
    const chain = trust.addDeviceCertificates(page.authorDevices);
    if (!chain.ok) {
        return { rows: [], rejected: page.users.length, chainError: chain.error.message };
    }
    const rows: UserRow[] = [];
    for (const user of page.users) {
        const certificate = trust.verifyUserCertificate(user.certificate);
        if (!certificate.ok || certificate.value.userId !== user.userId || !sameHandle(certificate.value.humanHandle ?? undefined, user.humanHandle)) {
            continue;
        }
        if (!profileCertified(user, certificate.value.profile, trust) || !revocationCertified(user, trust)) {
            continue;
        }
        rows.push({
            userId: user.userId,
            humanHandle: certificate.value.humanHandle ?? undefined,
            profile: user.profile,
            createdOn: user.createdOn,
            revokedOn: user.revokedOn,
            ...(user.revokedBy ? { revokedBy: user.revokedBy } : {})
        });
    }
    return { rows, rejected: page.users.length - rows.length };
}

function sameHandle(certified: HumanHandle | undefined, told: HumanHandle | undefined): boolean {
    return told === undefined || (certified !== undefined && certified.email === told.email && certified.label === told.label);
}

/** The row's profile is the newest certified one. */
function profileCertified(user: UserSummary, certifiedProfile: UserProfile, trust: CertificateTrustStore): boolean {
    if (!user.profileCertificate) {
        return user.profile === certifiedProfile;
    }
    const change = trust.verify(user.profileCertificate, 'user_update', 'A profile change');
    return change.ok && change.value.userId === user.userId && change.value.newProfile === user.profile;
}

/** A revoked row comes with its signed revocation, of that user, at that time; a row not revoked with none. */
function revocationCertified(user: UserSummary, trust: CertificateTrustStore): boolean {
    if (!user.revokedOn || !user.revocationCertificate) {
        return !user.revokedOn && !user.revocationCertificate;
    }
    const revocation = trust.verify(user.revocationCertificate, 'revoked_user', 'A revocation');
    return revocation.ok && revocation.value.userId === user.userId && revocation.value.timestamp === Date.parse(user.revokedOn);
}
