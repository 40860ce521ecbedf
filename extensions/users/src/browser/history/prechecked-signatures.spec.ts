import { expect } from 'chai';
import {
    chainDigest, decodeCertificate, certificateSignedMessage, generateSigningKeyPair, newDeviceId, newUserId, portableEd25519, replayCertificateLog, signCertificate, toBase64Url
} from '@vouch/protocol';
import { precheckSignatures } from './prechecked-signatures';

describe('precheckSignatures', () => {
    const root = generateSigningKeyPair();
    const device = generateSigningKeyPair();
    const userId = newUserId();
    const deviceId = newDeviceId();
    const t = Date.now();
    const user = { kind: 'user' as const, version: 1 as const, author: null, timestamp: t, previous: null, userId, humanHandle: { label: 'A', email: 'a@example.com' }, publicKey: toBase64Url(new Uint8Array(32)), profile: 'ADMINISTRATOR' as const };
    const items = [
        signCertificate({ kind: 'user', version: 1, author: null, timestamp: t, previous: null, userId, humanHandle: { label: 'A', email: 'a@example.com' }, publicKey: toBase64Url(new Uint8Array(32)), profile: 'ADMINISTRATOR' }, root.secretKey, portableEd25519),
        signCertificate({ kind: 'device', version: 1, author: null, timestamp: t, previous: chainDigest(user), userId, deviceId, deviceLabel: 'L', verifyKey: toBase64Url(device.verifyKey) }, root.secretKey, portableEd25519)
    ].map((signed, i) => ({ index: i + 1, signed }));

    it('answers from WebCrypto for exactly the triples it checked, and asks the portable verifier for anything else', async () => {
        const subtle = globalThis.crypto?.subtle;
        expect(subtle, 'WebCrypto in this runtime').not.to.equal(undefined);
        let portableCalls = 0;
        let webCryptoChecks = 0;
        const counted = new Proxy(subtle!, {
            get: (target, name) => name === 'verify'
                ? async (...args: Parameters<SubtleCrypto['verify']>) => { const valid = await target.verify(...args); webCryptoChecks += valid ? 1 : 0; return valid; }
                : (target[name as keyof SubtleCrypto] as (...args: unknown[]) => unknown).bind(target)
        });
        const scheme = await precheckSignatures(items, root.verifyKey, counted);
        expect(webCryptoChecks, 'both signatures checked by WebCrypto').to.equal(2);
        const counting = { ...scheme, verify: (k: Uint8Array, m: Uint8Array, s: Uint8Array) => { portableCalls++; return scheme.verify(k, m, s); } };
        expect(replayCertificateLog(items, root.verifyKey, counting).ok).to.equal(true);

        const decoded = decodeCertificate(items[0].signed);
        if (!decoded.ok) { throw new Error('fixture'); }
        const message = certificateSignedMessage(decoded.value);
        const altered = message.slice();
        altered[altered.length - 2] ^= 1;
        expect(scheme.verify(root.verifyKey, message, decoded.value.signature)).to.equal(true);
        expect(scheme.verify(root.verifyKey, altered, decoded.value.signature), 'same signature, other message').to.equal(false);
        expect(scheme.verify(device.verifyKey, message, decoded.value.signature), 'same message, other key').to.equal(false);
        expect(portableCalls).to.equal(2);
    });

    it('still verifies everything without WebCrypto', async () => {
        const scheme = await precheckSignatures(items, root.verifyKey, undefined);
        expect(replayCertificateLog(items, root.verifyKey, scheme).ok).to.equal(true);
        expect(replayCertificateLog(items, generateSigningKeyPair().verifyKey, scheme).ok).to.equal(false);
    });
});
