import { UserProfile } from '@vouch/protocol';
import { UserRow } from './user-rows';

/** Why a selected user is left out of a profile change or a revocation. */
export type SkipReason = 'external' | 'to-external' | 'self' | 'revoked' | 'same-profile';

export interface SkippedUser {
    readonly row: UserRow;
    readonly reason: SkipReason;
}

export interface UserChangePlan {
    /** Who the operation will change. */
    readonly affected: readonly UserRow[];
    /** Who it leaves as they are, and why: the dialog lists them before anything is signed. */
    readonly skipped: readonly SkippedUser[];
}

/**
 * The same rules the server applies (protocol user-change-rules), known before signing so the
 * dialog can say who will not be affected: External users (changes from or to External are
 * refused), oneself, revoked users, and those who already have the profile.
 */
export function planProfileChange(rows: readonly UserRow[], selfUserId: string | undefined, newProfile: UserProfile): UserChangePlan {
    const affected: UserRow[] = [];
    const skipped: SkippedUser[] = [];
    for (const row of rows) {
        const reason: SkipReason | undefined =
            row.userId === selfUserId ? 'self'
                : row.revokedOn ? 'revoked'
                    : row.profile === 'EXTERNAL' ? 'external'
                        : newProfile === 'EXTERNAL' ? 'to-external'
                            : row.profile === newProfile ? 'same-profile'
                                : undefined;
        if (reason) {
            skipped.push({ row, reason });
        } else {
            affected.push(row);
        }
    }
    return { affected, skipped };
}

/** Nobody revokes themselves; revoking a revoked user again changes nothing. */
export function planRevocation(rows: readonly UserRow[], selfUserId: string | undefined): UserChangePlan {
    const affected: UserRow[] = [];
    const skipped: SkippedUser[] = [];
    for (const row of rows) {
        const reason: SkipReason | undefined = row.userId === selfUserId ? 'self' : row.revokedOn ? 'revoked' : undefined;
        if (reason) {
            skipped.push({ row, reason });
        } else {
            affected.push(row);
        }
    }
    return { affected, skipped };
}

/**
 * The profile Change Profile… opens on: the other one than the selected users have, so the
 * dialog starts on a change. Among those who can change (not oneself, revoked or External),
 * Members become Administrators and Administrators Members; a mixed selection goes where more
 * of them would change, and a tie to the lesser profile, Member.
 */
export function proposedNewProfile(rows: readonly UserRow[], selfUserId: string | undefined): Exclude<UserProfile, 'EXTERNAL'> {
    const changeable = rows.filter(row => row.userId !== selfUserId && !row.revokedOn && row.profile !== 'EXTERNAL');
    const members = changeable.filter(row => row.profile === 'MEMBER').length;
    const administrators = changeable.length - members;
    return members > administrators ? 'ADMINISTRATOR' : 'MEMBER';
}
