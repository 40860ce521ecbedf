import { expect } from 'chai';
import { CertificateContext, CertificateTrustStore, checkNewUser, DEFAULT_TIMESTAMP_BALLPARK_MS, fromBase64Url, portableEd25519, decodeCertificate, toBase64Url } from '@vouch/protocol';
import { createBootstrapCertificates } from './bootstrap-certificates';

const NOW = Date.parse('2026-03-01T12:00:00Z');

function serverContext(rootVerifyKey: Uint8Array, now = NOW): CertificateContext {
    return {
        scheme: portableEd25519, rootVerifyKey, now, ballparkMs: DEFAULT_TIMESTAMP_BALLPARK_MS, head: { digest: null, timestamp: undefined },
        device: () => undefined, user: () => undefined
    };
}

describe('createBootstrapCertificates', () => {
    const input = { organizationId: 'Acme', humanHandle: { label: 'Alice', email: 'alice@example.com' }, deviceLabel: 'Laptop', now: NOW };

    it('makes certificates the server accepts as a bootstrap', () => {
        const made = createBootstrapCertificates(input);
        const checked = checkNewUser(made.certificates, serverContext(fromBase64Url(made.rootVerifyKey)!), { bootstrap: true });
        expect(checked.ok, JSON.stringify(checked)).to.equal(true);
        if (checked.ok) {
            expect(checked.value.user.content).to.include({ userId: made.userId, profile: 'ADMINISTRATOR', author: null, timestamp: NOW });
            expect(checked.value.user.content.humanHandle).to.deep.equal(input.humanHandle);
            expect(checked.value.device.content).to.include({ deviceId: made.deviceId, deviceLabel: 'Laptop' });
            expect(checked.value.redactedUser.content.humanHandle).to.equal(null);
        }
    });

    it('is refused under another root key and as a non-bootstrap', () => {
        const made = createBootstrapCertificates(input);
        const other = createBootstrapCertificates(input);
        expect(checkNewUser(made.certificates, serverContext(fromBase64Url(other.rootVerifyKey)!), { bootstrap: true }).ok).to.equal(false);
        expect(checkNewUser(made.certificates, serverContext(fromBase64Url(made.rootVerifyKey)!), { bootstrap: false }).ok).to.equal(false);
    });

    it('keeps keys that match the certificates', () => {
        const made = createBootstrapCertificates(input);
        expect(made.keys.rootVerifyKey).to.equal(made.rootVerifyKey);
        const device = decodeCertificate(made.certificates.device);
        expect(device.ok && device.value.content.kind === 'device' && device.value.content.verifyKey)
            .to.equal(toBase64Url(portableEd25519.verifyKeyOf(fromBase64Url(made.keys.deviceSigningKey)!)));
        const trust = new CertificateTrustStore(fromBase64Url(made.rootVerifyKey)!, portableEd25519);
        expect(trust.addDeviceCertificates([made.certificates.device]).ok).to.equal(true);
        expect(trust.verifyUserCertificate(made.certificates.user).ok).to.equal(true);
    });
});
