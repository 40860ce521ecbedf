import { OrganizationId, UserId } from '@vouch/protocol';
import { JoinAttempt, JoinRequestRecord, StoredAcceptance } from './join-requests-types';

export interface JoinRequestsRepository {
    organizationBootstrapped(organizationId: OrganizationId): Promise<boolean>;
    hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean>;
    /**
     * Stores a pending request. With `replace`, this email's pending request
     * becomes `replaced` in the same transaction. One pending request per email (unique index).
     */
    insertPending(record: JoinRequestRecord, replace: boolean, now: number): Promise<'inserted' | 'pending-exists' | 'claim-reused'>;
    findByClaim(organizationId: OrganizationId, claimHash: string): Promise<JoinRequestRecord | undefined>;
    find(organizationId: OrganizationId, requestId: string): Promise<JoinRequestRecord | undefined>;
    listOpen(organizationId: OrganizationId): Promise<JoinRequestRecord[]>;
    /**
     * pending → accepted, in the transaction that stores the new user; true for exactly one of
     * concurrent callers (the others' users roll back).
     */
    accept(organizationId: OrganizationId, requestId: string, acceptance: StoredAcceptance, by: UserId, now: number): Promise<boolean>;
    /** pending → rejected or cancelled; true for exactly one caller. */
    decide(organizationId: OrganizationId, requestId: string, state: 'rejected' | 'cancelled', by: UserId | undefined, now: number): Promise<boolean>;
    /** Saves a sign-in attempt, or renews the one with the same id (the same request begun again). */
    saveAttempt(attempt: JoinAttempt): Promise<void>;
    findAttempt(id: string, now: number): Promise<JoinAttempt | undefined>;
    /** Reads and deletes it: an attempt answers once. */
    takeAttempt(id: string, now: number): Promise<JoinAttempt | undefined>;
    /** false when the id was seen before (replay). */
    recordUsedAssertion(id: string, expiresOn: number): Promise<boolean>;
}
