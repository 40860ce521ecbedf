import { DeviceId, OrganizationId, SignedCertificate, UserId } from '@vouch/protocol';
import { JoinAttempt, JoinRequestRecord, StoredAcceptance } from './join-requests-types';

export interface JoinRequestsRepository {
    organizationBootstrapped(organizationId: OrganizationId): Promise<boolean>;
    hasActiveUserWithEmail(organizationId: OrganizationId, email: string): Promise<boolean>;
    /**
     * Stores a pending request. With `replace`, this email's pending (not being accepted) request
     * becomes `replaced` in the same transaction. One pending request per email (unique index).
     */
    insertPending(record: JoinRequestRecord, replace: boolean, now: number): Promise<'inserted' | 'pending-exists' | 'claim-reused'>;
    findByClaim(organizationId: OrganizationId, claimHash: string): Promise<JoinRequestRecord | undefined>;
    find(organizationId: OrganizationId, requestId: string): Promise<JoinRequestRecord | undefined>;
    listOpen(organizationId: OrganizationId): Promise<JoinRequestRecord[]>;
    /** pending → accepting (or a stale accepting claim taken over); true for exactly one caller. */
    claim(organizationId: OrganizationId, requestId: string, now: number, staleBefore: number): Promise<boolean>;
    /** accepting → pending after the new user could not be stored. */
    release(organizationId: OrganizationId, requestId: string, claimedOn: number): Promise<void>;
    complete(organizationId: OrganizationId, requestId: string, acceptance: StoredAcceptance, by: UserId, now: number): Promise<void>;
    /** pending → rejected or cancelled; true for exactly one caller. */
    decide(organizationId: OrganizationId, requestId: string, state: 'rejected' | 'cancelled', by: UserId | undefined, now: number): Promise<boolean>;
    /** Device certificates from this device back to the root key. */
    deviceChain(organizationId: OrganizationId, deviceId: DeviceId): Promise<SignedCertificate[]>;
    saveAttempt(attempt: JoinAttempt): Promise<void>;
    findAttempt(id: string, now: number): Promise<JoinAttempt | undefined>;
    /** Reads and deletes it: an attempt answers once. */
    takeAttempt(id: string, now: number): Promise<JoinAttempt | undefined>;
    /** false when the id was seen before (replay). */
    recordUsedAssertion(id: string, expiresOn: number): Promise<boolean>;
}
