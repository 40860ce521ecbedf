import { expect } from 'chai';
import { Reply } from '@vouch/protocol';
import { sendWithLaterTimestamp } from './later-timestamp';

const later = (bound: number): Reply<string> => ({ ok: false, error: { code: 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', message: 'later', details: { strictlyGreaterThan: bound } } });

describe('sendWithLaterTimestamp', () => {
    it('signs again just after the newest certificate when this clock is behind', async () => {
        const dates: number[] = [];
        const reply = await sendWithLaterTimestamp(async timestamp => {
            dates.push(timestamp);
            return dates.length === 1 ? later(5_000) : { ok: true, value: 'stored' } as const;
        }, 3, () => 1_000);
        expect(reply).to.deep.equal({ ok: true, value: 'stored' });
        expect(dates).to.deep.equal([1_000, 5_001]);
    });

    it('gives up after the retries allowed, and passes any other refusal on at once', async () => {
        let sends = 0;
        const stuck = await sendWithLaterTimestamp(async () => { sends++; return later(9_000); }, 2, () => 1_000);
        expect(sends).to.equal(3);
        expect(!stuck.ok && stuck.error.code).to.equal('CERTIFICATE_REQUIRE_GREATER_TIMESTAMP');
        sends = 0;
        const refused = await sendWithLaterTimestamp(async (): Promise<Reply<string>> => { sends++; return { ok: false, error: { code: 'NOT_ALLOWED', message: 'no' } }; }, 2);
        expect(sends).to.equal(1);
        expect(!refused.ok && refused.error.code).to.equal('NOT_ALLOWED');
    });
});
