import { expect } from 'chai';
import { BoundedSet, RequestRate } from './connection-limits';

describe('connection limits', () => {
    it('answers a burst, then refuses with RATE_LIMITED and how long to wait, then refills with time', () => {
        let now = 1_000;
        const rate = new RequestRate(3, 2, () => now);
        expect([rate.take(), rate.take(), rate.take()]).to.deep.equal([undefined, undefined, undefined]);
        const refusal = rate.take();
        expect(refusal).to.deep.include({ code: 'RATE_LIMITED' });
        expect(refusal!.details).to.deep.equal({ retryAfterMs: 500 });
        expect(refusal!.message).to.contain('wait 500 ms');
        now += 500;
        expect(rate.take()).to.equal(undefined);
        expect(rate.take()?.code).to.equal('RATE_LIMITED');
        now += 60_000;
        // A long pause refills no more than the burst.
        expect([rate.take(), rate.take(), rate.take(), rate.take()?.code]).to.deep.equal([undefined, undefined, undefined, 'RATE_LIMITED']);
    });

    it('keeps at most its limit, letting the oldest go; adding a kept key again makes it the newest', () => {
        const released: string[] = [];
        const set = new BoundedSet<string>(2, entry => released.push(entry));
        set.add('a', 'A');
        set.add('b', 'B');
        set.add('a', 'A');
        set.add('c', 'C');
        expect(released).to.deep.equal(['B']);
        expect([...set.values()]).to.deep.equal(['A', 'C']);
        expect(set.size).to.equal(2);
    });
});
