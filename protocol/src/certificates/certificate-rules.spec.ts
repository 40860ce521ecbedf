import { expect } from 'chai';
import { generateKeyExchangePair } from '../crypto/key-exchange';
import { generateSigningKeyPair, portableEd25519, SigningKeyPair } from '../crypto/signature-scheme';
import { fromBase64Url, toBase64Url } from '../encoding';
import { newDeviceId, newUserId, UserProfile } from '../identity';
import { decodeCertificate, signCertificate } from './certificate-codec';
import { CertificateContext, CertificateTrustStore, checkNewUser, KnownDevice, KnownUser, NewUserCertificates } from './certificate-rules';
import { LogHeadPosition } from './certificate-errors';
import { signNewUser } from './certificate-signing';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const scheme = portableEd25519;
/** Some other certificate's chain digest. */
const HEAD = toBase64Url(new Uint8Array(32).fill(7));

interface Made { certificates: NewUserCertificates; userId: string; deviceId: string; deviceKey: SigningKeyPair }

function makeUser(signer: SigningKeyPair, author: string | null, options: { timestamp?: number; profile?: UserProfile; email?: string; previous?: string | null } = {}): Made {
    const userId = newUserId();
    const deviceId = newDeviceId();
    const deviceKey = generateSigningKeyPair();
    const timestamp = options.timestamp ?? NOW;
    const certificates = signNewUser({
        kind: 'user', version: 1, author, timestamp, userId,
        humanHandle: { email: options.email ?? 'alice@example.com', label: 'Alice' },
        publicKey: toBase64Url(generateKeyExchangePair().publicKey), profile: options.profile ?? 'ADMINISTRATOR'
    }, {
        kind: 'device', version: 1, author, timestamp, userId, deviceId, deviceLabel: 'Laptop', verifyKey: toBase64Url(deviceKey.verifyKey)
    }, options.previous ?? null, content => signCertificate(content, signer.secretKey, scheme));
    return { userId, deviceId, deviceKey, certificates };
}

function context(root: SigningKeyPair, known: { devices?: Record<string, KnownDevice>; users?: Record<string, KnownUser>; head?: LogHeadPosition } = {}): CertificateContext {
    return {
        scheme, rootVerifyKey: root.verifyKey, now: NOW, ballparkMs: 5 * 60 * 1000, head: known.head ?? { digest: null, timestamp: undefined },
        device: id => known.devices?.[id], user: id => known.users?.[id]
    };
}

/** Flips one bit of the signed content (not the signature). */
function tamper(signed: string): string {
    const bytes = fromBase64Url(signed)!;
    bytes[bytes.length - 3] ^= 0x01;
    return toBase64Url(bytes);
}

describe('certificate rules', () => {
    const root = generateSigningKeyPair();

    it('accepts bootstrap certificates signed by the root key', () => {
        const made = makeUser(root, null);
        const checked = checkNewUser(made.certificates, context(root), { bootstrap: true });
        expect(checked.ok).to.equal(true);
        if (checked.ok) {
            expect(checked.value.user.content.humanHandle).to.deep.equal({ email: 'alice@example.com', label: 'Alice' });
            expect(checked.value.redactedUser.content.humanHandle).to.equal(null);
        }
    });

    const refusals: [string, () => ReturnType<typeof checkNewUser>, string][] = [
        ['signed by another key than the root', () => checkNewUser(makeUser(generateSigningKeyPair(), null).certificates, context(root), { bootstrap: true }), 'CERTIFICATE_BAD_SIGNATURE'],
        ['dated in the future', () => checkNewUser(makeUser(root, null, { timestamp: NOW + 10 * 60 * 1000 }).certificates, context(root), { bootstrap: true }), 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK'],
        ['dated long ago', () => checkNewUser(makeUser(root, null, { timestamp: NOW - 10 * 60 * 1000 }).certificates, context(root), { bootstrap: true }), 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK'],
        ['not after the newest certificate', () => checkNewUser(makeUser(root, null).certificates, context(root, { head: { digest: null, timestamp: NOW } }), { bootstrap: true }), 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP'],
        ['chained to another head than the log\'s', () => checkNewUser(makeUser(root, null).certificates, context(root, { head: { digest: HEAD, timestamp: NOW - 1000 } }), { bootstrap: true }), 'CERTIFICATE_LOG_HEAD_MOVED'],
        ['a first user who is not an Administrator', () => checkNewUser(makeUser(root, null, { profile: 'MEMBER' }).certificates, context(root), { bootstrap: true }), 'CERTIFICATE_INCONSISTENT'],
        ['tampered after signing', () => {
            const made = makeUser(root, null);
            return checkNewUser({ ...made.certificates, user: tamper(made.certificates.user) }, context(root), { bootstrap: true });
        }, 'CERTIFICATE_MALFORMED'],
        ['a redacted copy that says something else', () => {
            const made = makeUser(root, null);
            const other = makeUser(root, null);
            return checkNewUser({ ...made.certificates, redactedUser: other.certificates.redactedUser }, context(root), { bootstrap: true });
        }, 'CERTIFICATE_INCONSISTENT'],
        ['a user and device of different users', () => {
            const made = makeUser(root, null);
            const other = makeUser(root, null);
            return checkNewUser({ ...made.certificates, device: other.certificates.device, redactedDevice: other.certificates.redactedDevice }, context(root), { bootstrap: true });
        }, 'CERTIFICATE_INCONSISTENT'],
        ['a root-signed user after bootstrap', () => checkNewUser(makeUser(root, null).certificates, context(root), { bootstrap: false }), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['certificates swapped in kind', () => {
            const made = makeUser(root, null);
            return checkNewUser({ ...made.certificates, user: made.certificates.device }, context(root), { bootstrap: true });
        }, 'CERTIFICATE_INCONSISTENT']
    ];
    for (const [what, check, code] of refusals) {
        it(`refuses certificates ${what} (${code})`, () => {
            const checked = check();
            expect(checked.ok).to.equal(false);
            if (!checked.ok) {
                expect(checked.error.code).to.equal(code);
                expect(checked.error.message).to.match(/\w{3,}/);
            }
        });
    }

    describe('a user added by a device', () => {
        const admin = makeUser(root, null);
        const adminDevice = { userId: admin.userId, verifyKey: admin.deviceKey.verifyKey };
        const known = (profile: UserProfile, revoked = false) => context(root, {
            devices: { [admin.deviceId]: adminDevice }, users: { [admin.userId]: { profile, revoked } }, head: { digest: null, timestamp: NOW - 1000 }
        });

        it('is accepted when an Administrator signed it', () => {
            expect(checkNewUser(makeUser(admin.deviceKey, admin.deviceId, { profile: 'MEMBER' }).certificates, known('ADMINISTRATOR'), { bootstrap: false }).ok).to.equal(true);
        });

        it('is refused from a Member, a revoked author, an unknown author or a wrong author key', () => {
            const code = (checked: ReturnType<typeof checkNewUser>) => checked.ok ? 'ok' : checked.error.code;
            expect(code(checkNewUser(makeUser(admin.deviceKey, admin.deviceId).certificates, known('MEMBER'), { bootstrap: false }))).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
            expect(code(checkNewUser(makeUser(admin.deviceKey, admin.deviceId).certificates, known('ADMINISTRATOR', true), { bootstrap: false }))).to.equal('CERTIFICATE_AUTHOR_REVOKED');
            expect(code(checkNewUser(makeUser(admin.deviceKey, newDeviceId()).certificates, known('ADMINISTRATOR'), { bootstrap: false }))).to.equal('CERTIFICATE_UNKNOWN_AUTHOR');
            expect(code(checkNewUser(makeUser(generateSigningKeyPair(), admin.deviceId).certificates, known('ADMINISTRATOR'), { bootstrap: false }))).to.equal('CERTIFICATE_BAD_SIGNATURE');
        });
    });

    it('refuses a certificate that is not in canonical form even with a valid signature', () => {
        const made = makeUser(root, null);
        const decoded = decodeCertificate(made.certificates.user);
        expect(decoded.ok).to.equal(true);
        const spaced = Buffer.concat([Buffer.from(fromBase64Url(made.certificates.user)!.subarray(0, 64)), Buffer.from(JSON.stringify(decoded.ok && decoded.value.content, undefined, 1))]);
        const result = decodeCertificate(spaced.toString('base64url'));
        expect(result.ok).to.equal(false);
        expect(!result.ok && result.error.code).to.equal('CERTIFICATE_MALFORMED');
    });

    describe('CertificateTrustStore', () => {
        it('believes devices chained to the root key in any order, and their users\' certificates', () => {
            const admin = makeUser(root, null);
            const member = makeUser(admin.deviceKey, admin.deviceId, { profile: 'MEMBER' });
            const store = new CertificateTrustStore(root.verifyKey, scheme);
            expect(store.addDeviceCertificates([member.certificates.device, admin.certificates.device]).ok).to.equal(true);
            const user = store.verifyUserCertificate(member.certificates.user);
            expect(user.ok && user.value.profile).to.equal('MEMBER');
        });

        it('refuses a device the server made up, and users it signed', () => {
            const rogueKey = generateSigningKeyPair();
            const rogue = makeUser(rogueKey, null);
            const store = new CertificateTrustStore(root.verifyKey, scheme);
            const added = store.addDeviceCertificates([rogue.certificates.device]);
            expect(!added.ok && added.error.code).to.equal('CERTIFICATE_BAD_SIGNATURE');
            expect(store.knowsDevice(rogue.deviceId)).to.equal(false);
            const forged = makeUser(rogue.deviceKey, rogue.deviceId);
            const user = store.verifyUserCertificate(forged.certificates.user);
            expect(!user.ok && user.error.code).to.equal('CERTIFICATE_UNKNOWN_AUTHOR');
        });
    });
});
