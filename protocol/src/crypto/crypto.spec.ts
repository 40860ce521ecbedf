import { expect } from 'chai';
import { utf8Encode } from '../encoding';
import { generateKeyExchangePair, sharedSecret } from './key-exchange';
import { derivePasswordKey, newPasswordKeyParameters } from './password-key';
import { randomBytes } from './random';
import { openSecretBox, sealSecretBox } from './secret-box';
import { generateSigningKeyPair, portableEd25519 } from './signature-scheme';

describe('crypto', () => {
    it('opens a secret box only with its key and its context', () => {
        const key = randomBytes(32);
        const box = sealSecretBox(key, utf8Encode('secret'), utf8Encode('device:1'));
        expect(openSecretBox(key, box, utf8Encode('device:1'))).to.deep.equal(utf8Encode('secret'));
        expect(openSecretBox(randomBytes(32), box, utf8Encode('device:1'))).to.equal(undefined);
        expect(openSecretBox(key, box, utf8Encode('device:2'))).to.equal(undefined);
        const altered = box.slice();
        altered[30] ^= 1;
        expect(openSecretBox(key, altered, utf8Encode('device:1'))).to.equal(undefined);
        expect(openSecretBox(key, box.subarray(0, 10))).to.equal(undefined);
    });

    it('hands out random bytes once: small requests from a pool never repeat, across refills, and are copies of their own', () => {
        const seen = new Set<string>();
        for (let i = 0; i < 2000; i++) {
            const bytes = randomBytes(16);
            expect(bytes).to.have.length(16);
            seen.add(Buffer.from(bytes).toString('hex'));
        }
        expect(seen.size).to.equal(2000);
        const a = randomBytes(32);
        const copy = a.slice();
        a.fill(0);
        const b = randomBytes(32);
        expect(Buffer.from(b).equals(Buffer.from(copy))).to.equal(false);
        expect(b.buffer.byteLength, 'not a view of the pool').to.equal(32);
        expect(randomBytes(100_000)).to.have.length(100_000);
        expect(randomBytes(0)).to.have.length(0);
    });

    it('derives the same key from the same password and parameters, another from another password', async () => {
        const parameters = newPasswordKeyParameters({ N: 2 ** 10, r: 8, p: 1 });
        const a = await derivePasswordKey('correct horse', parameters);
        expect(await derivePasswordKey('correct horse', parameters)).to.deep.equal(a);
        expect(await derivePasswordKey('correct hors', parameters)).to.not.deep.equal(a);
        expect(a).to.have.length(32);
    });

    it('agrees on an X25519 shared secret from both sides', () => {
        const alice = generateKeyExchangePair();
        const bob = generateKeyExchangePair();
        expect(sharedSecret(alice.privateKey, bob.publicKey)).to.deep.equal(sharedSecret(bob.privateKey, alice.publicKey));
    });

    it('never throws on malformed verify keys or signatures', () => {
        const pair = generateSigningKeyPair();
        const message = utf8Encode('hello');
        const signature = portableEd25519.sign(pair.secretKey, message);
        expect(portableEd25519.verify(pair.verifyKey, message, signature)).to.equal(true);
        expect(portableEd25519.verify(pair.verifyKey.subarray(1), message, signature)).to.equal(false);
        expect(portableEd25519.verify(pair.verifyKey, message, signature.subarray(1))).to.equal(false);
        expect(portableEd25519.verify(new Uint8Array(32).fill(0xff), message, signature)).to.equal(false);
    });
});
