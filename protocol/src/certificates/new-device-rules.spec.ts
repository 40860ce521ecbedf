import { expect } from 'chai';
import { generateSigningKeyPair, portableEd25519, SigningKeyPair } from '../crypto/signature-scheme';
import { toBase64Url } from '../encoding';
import { newDeviceId, newUserId } from '../identity';
import { signCertificate } from './certificate-codec';
import { CertificateContext, checkNewDevice, KnownDevice, KnownUser } from './certificate-rules';
import { DeviceCertificate } from './certificate-types';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const scheme = portableEd25519;
/** The chain digest of the log's newest certificate, as far as these rules care. */
const HEAD = toBase64Url(new Uint8Array(32).fill(3));

describe('certificate rules: a new device of an existing user', () => {
    const root = generateSigningKeyPair();
    const alice = { userId: newUserId(), deviceId: newDeviceId(), key: generateSigningKeyPair() };
    const bob = { userId: newUserId(), deviceId: newDeviceId(), key: generateSigningKeyPair() };
    const devices: Record<string, KnownDevice> = {
        [alice.deviceId]: { userId: alice.userId, verifyKey: alice.key.verifyKey },
        [bob.deviceId]: { userId: bob.userId, verifyKey: bob.key.verifyKey }
    };
    const users: Record<string, KnownUser> = { [alice.userId]: { profile: 'MEMBER', revoked: false }, [bob.userId]: { profile: 'ADMINISTRATOR', revoked: false } };
    const ctx = (overrides: Partial<CertificateContext> = {}): CertificateContext => ({
        scheme, rootVerifyKey: root.verifyKey, now: NOW, ballparkMs: 5 * 60 * 1000, head: { digest: HEAD, timestamp: NOW - 1000 },
        device: id => devices[id], user: id => users[id], ...overrides
    });
    function newDevice(signer: SigningKeyPair, author: string | null, userId = alice.userId, changes: Partial<DeviceCertificate> = {}) {
        const content: DeviceCertificate = {
            kind: 'device', version: 1, author, timestamp: NOW, previous: HEAD, userId, deviceId: newDeviceId(), deviceLabel: 'Phone',
            verifyKey: toBase64Url(generateSigningKeyPair().verifyKey), ...changes
        };
        return {
            device: signCertificate(content, signer.secretKey, scheme),
            redactedDevice: signCertificate({ ...content, deviceLabel: null }, signer.secretKey, scheme)
        };
    }

    it('accepts a device signed by another device of the same user', () => {
        const checked = checkNewDevice(newDevice(alice.key, alice.deviceId), ctx());
        expect(checked.ok).to.equal(true);
        expect(checked.ok && checked.value.device.content.deviceLabel).to.equal('Phone');
    });

    it('refuses a device signed by another user, even an Administrator', () => {
        const checked = checkNewDevice(newDevice(bob.key, bob.deviceId), ctx());
        expect(checked.ok ? 'ok' : checked.error.code).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
        expect(checked.ok ? '' : checked.error.message).to.match(/same user/);
    });

    it('refuses a device signed by the root key', () => {
        const checked = checkNewDevice(newDevice(root, null), ctx());
        expect(checked.ok ? 'ok' : checked.error.code).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
    });

    it('refuses a forged signature, a redacted copy that differs, an existing device and a stale timestamp', () => {
        const forged = newDevice(bob.key, alice.deviceId);
        expect(checkNewDevice(forged, ctx()).ok ? 'ok' : (checkNewDevice(forged, ctx()) as { error: { code: string } }).error.code).to.equal('CERTIFICATE_BAD_SIGNATURE');

        const made = newDevice(alice.key, alice.deviceId);
        const other = newDevice(alice.key, alice.deviceId);
        const mixed = checkNewDevice({ device: made.device, redactedDevice: other.redactedDevice }, ctx());
        expect(mixed.ok ? 'ok' : mixed.error.code).to.equal('CERTIFICATE_INCONSISTENT');

        const existing = checkNewDevice(newDevice(alice.key, alice.deviceId, alice.userId, { deviceId: bob.deviceId }), ctx());
        expect(existing.ok ? 'ok' : existing.error.code).to.equal('CERTIFICATE_ALREADY_EXISTS');

        const stale = checkNewDevice(made, ctx({ head: { digest: HEAD, timestamp: NOW } }));
        expect(stale.ok ? 'ok' : stale.error.code).to.equal('CERTIFICATE_REQUIRE_GREATER_TIMESTAMP');

        const moved = checkNewDevice(made, ctx({ head: { digest: toBase64Url(new Uint8Array(32)), timestamp: NOW - 1000 } }));
        expect(moved.ok ? 'ok' : moved.error.code).to.equal('CERTIFICATE_LOG_HEAD_MOVED');
        expect(moved.ok ? undefined : moved.error.head).to.deep.equal({ digest: toBase64Url(new Uint8Array(32)), timestamp: NOW - 1000 });
    });

    it('refuses a device signed by a revoked user', () => {
        const checked = checkNewDevice(newDevice(alice.key, alice.deviceId), ctx({ user: id => id === alice.userId ? { profile: 'MEMBER', revoked: true } : users[id] }));
        expect(checked.ok ? 'ok' : checked.error.code).to.equal('CERTIFICATE_AUTHOR_REVOKED');
    });
});
