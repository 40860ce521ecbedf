import { expect } from 'chai';
import { generateSigningKeyPair, portableEd25519, randomBytes } from '@vouch/protocol';
import { nodeEd25519 } from './node-ed25519';

describe('nodeEd25519', () => {
    it('derives the same verify key and signature as the portable scheme', () => {
        for (let i = 0; i < 20; i++) {
            const { secretKey, verifyKey } = generateSigningKeyPair(portableEd25519);
            const message = randomBytes(i * 7);
            expect(Buffer.from(nodeEd25519.verifyKeyOf(secretKey))).to.deep.equal(Buffer.from(verifyKey));
            const signature = nodeEd25519.sign(secretKey, message);
            expect(Buffer.from(signature)).to.deep.equal(Buffer.from(portableEd25519.sign(secretKey, message)));
            expect(nodeEd25519.verify(verifyKey, message, signature)).to.equal(true);
            expect(portableEd25519.verify(verifyKey, message, signature)).to.equal(true);
        }
    });

    it('rejects a tampered signature, another message or the wrong key, like the portable scheme', () => {
        const alice = generateSigningKeyPair();
        const bob = generateSigningKeyPair();
        const message = new TextEncoder().encode('hello');
        const signature = nodeEd25519.sign(alice.secretKey, message);
        const tampered = Uint8Array.from(signature);
        tampered[10] ^= 1;
        const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
            [alice.verifyKey, message, tampered],
            [alice.verifyKey, new TextEncoder().encode('hellO'), signature],
            [bob.verifyKey, message, signature]
        ];
        for (const [key, msg, sig] of cases) {
            expect(nodeEd25519.verify(key, msg, sig)).to.equal(false);
            expect(portableEd25519.verify(key, msg, sig)).to.equal(false);
        }
    });

    it('never throws on malformed keys or signatures', () => {
        const message = new Uint8Array([1, 2, 3]);
        expect(nodeEd25519.verify(new Uint8Array(31), message, new Uint8Array(64))).to.equal(false);
        expect(nodeEd25519.verify(new Uint8Array(32), message, new Uint8Array(63))).to.equal(false);
        expect(nodeEd25519.verify(new Uint8Array(32).fill(255), message, new Uint8Array(64))).to.equal(false);
    });
});
