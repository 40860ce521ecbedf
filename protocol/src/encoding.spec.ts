import { expect } from 'chai';
import { canonicalJson } from './canonical-json';
import { fromBase64Url, toBase64Url } from './encoding';

describe('encoding', () => {
    it('round-trips every length through base64url and matches Node\'s encoder', () => {
        for (let length = 0; length < 70; length++) {
            const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
            const text = toBase64Url(bytes);
            expect(text).to.equal(Buffer.from(bytes).toString('base64url'));
            expect(fromBase64Url(text)).to.deep.equal(bytes);
        }
    });

    it('refuses base64url that is not canonical, so one value has one text', () => {
        expect(fromBase64Url('AB')).to.equal(undefined, 'non-zero leftover bits');
        expect(fromBase64Url('A')).to.equal(undefined, 'impossible length');
        expect(fromBase64Url('AA==')).to.equal(undefined, 'padding');
        expect(fromBase64Url('A+/A')).to.equal(undefined, 'standard alphabet');
        expect(fromBase64Url('AA')).to.deep.equal(new Uint8Array([0]));
    });

    it('writes canonical JSON with sorted keys, no spaces and no undefined fields', () => {
        expect(canonicalJson({ b: 1, a: [true, null, 'x"y'], c: undefined, d: { z: 0, y: -3 } }))
            .to.equal('{"a":[true,null,"x\\"y"],"b":1,"d":{"y":-3,"z":0}}');
    });

    it('refuses numbers that would not survive every JSON parser', () => {
        expect(() => canonicalJson(1.5)).to.throw(TypeError);
        expect(() => canonicalJson(2 ** 60)).to.throw(TypeError);
        expect(() => canonicalJson(Number.NaN)).to.throw(TypeError);
    });
});
