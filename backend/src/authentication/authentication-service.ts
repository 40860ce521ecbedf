import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { authChallengeMessage, DeviceHandshake, fail, fromBase64Url, ok, Outcome, SignatureScheme } from '@vouch/protocol';
import { AuthenticationRepository } from './authentication-repository';
import { AuthError, CHALLENGE_LIFETIME_MS, DeviceSession, Standing } from './authentication-types';

const ISSUED_AT_BYTES = 8;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;
const CHALLENGE_BYTES = ISSUED_AT_BYTES + NONCE_BYTES + MAC_BYTES;
/** Tolerated clock difference between instances for a challenge "from the future". */
const CLOCK_SKEW_MS = 2_000;
const PURGE_EVERY_MS = CHALLENGE_LIFETIME_MS;
export const AUTH_SECRET_NAME = 'auth-challenge';

/**
 * Challenges are stateless (HMAC of their issue time under a secret all instances share), so
 * any instance can check a challenge another issued; only the used ones are stored, to refuse
 * replays, and only until they expire.
 */
export class AuthenticationService {
    protected lastPurge = 0;

    constructor(
        protected readonly repository: AuthenticationRepository,
        protected readonly scheme: SignatureScheme,
        protected readonly secret: Uint8Array
    ) { }

    issueChallenge(now: number): string {
        const head = Buffer.alloc(ISSUED_AT_BYTES + NONCE_BYTES);
        head.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(now))), 0);
        randomBytes(NONCE_BYTES).copy(head, ISSUED_AT_BYTES);
        return Buffer.concat([head, this.mac(head)]).toString('base64url');
    }

    async authenticate(handshake: DeviceHandshake, now: number): Promise<Outcome<DeviceSession, AuthError>> {
        const bytes = fromBase64Url(handshake.challenge);
        if (!bytes || bytes.length !== CHALLENGE_BYTES) {
            return fail({ code: 'AUTH_CHALLENGE_INVALID', message: 'The challenge was not issued by this server' });
        }
        const head = Buffer.from(bytes.subarray(0, ISSUED_AT_BYTES + NONCE_BYTES));
        if (!timingSafeEqual(this.mac(head), bytes.subarray(ISSUED_AT_BYTES + NONCE_BYTES))) {
            return fail({ code: 'AUTH_CHALLENGE_INVALID', message: 'The challenge was not issued by this server' });
        }
        const issuedAt = Number(head.readBigUInt64BE(0));
        if (now - issuedAt > CHALLENGE_LIFETIME_MS || issuedAt - now > CLOCK_SKEW_MS) {
            return fail({ code: 'AUTH_CHALLENGE_EXPIRED', message: 'The challenge has expired; ask for a new one' });
        }
        const device = await this.repository.findDevice(handshake.organizationId, handshake.deviceId);
        if (device === 'UNKNOWN_ORGANIZATION') {
            return fail({ code: 'AUTH_ORGANIZATION_NOT_FOUND', message: `No organization "${handshake.organizationId}" on this server` });
        }
        if (device === 'UNKNOWN_DEVICE') {
            return fail({ code: 'AUTH_UNKNOWN_DEVICE', message: 'This device is not part of the organization' });
        }
        const message = authChallengeMessage(handshake.organizationId, handshake.deviceId, handshake.challenge);
        if (!this.scheme.verify(device.verifyKey, message, fromBase64Url(handshake.signature)!)) {
            return fail({ code: 'AUTH_BAD_SIGNATURE', message: 'The challenge signature does not match the device key' });
        }
        if (device.revoked) {
            return fail({ code: 'AUTH_USER_REVOKED', message: 'This user has been revoked from the organization' });
        }
        // Recorded only once the signature is good, so a stranger cannot burn someone's challenge.
        if (!await this.repository.recordUsedChallenge(handshake.challenge, issuedAt + CHALLENGE_LIFETIME_MS)) {
            return fail({ code: 'AUTH_CHALLENGE_REPLAYED', message: 'This challenge has already been used' });
        }
        await this.purgeIfDue(now);
        return ok({
            organizationId: handshake.organizationId, userId: device.userId, deviceId: handshake.deviceId,
            profile: device.profile, humanHandle: device.humanHandle
        });
    }

    /** The user's standing now, for a session opened a moment ago; undefined if the device is gone. */
    async standing(session: DeviceSession): Promise<Standing | undefined> {
        const device = await this.repository.findDevice(session.organizationId, session.deviceId);
        return typeof device === 'string' ? undefined : { revoked: device.revoked, profile: device.profile };
    }

    protected async purgeIfDue(now: number): Promise<void> {
        if (now - this.lastPurge >= PURGE_EVERY_MS) {
            this.lastPurge = now;
            await this.repository.purgeUsedChallenges(now - CLOCK_SKEW_MS);
        }
    }

    protected mac(head: Uint8Array): Buffer {
        return createHmac('sha256', this.secret).update(head).digest();
    }
}
