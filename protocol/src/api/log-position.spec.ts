import { expect } from 'chai';
import { LogPosition } from '../certificates/certificate-chain';
import { Reply } from './api-errors';
import { toBase64Url } from '../encoding';
import { sendAtLogPosition } from './log-position';

const HEAD = toBase64Url(new Uint8Array(32).fill(1));
const later = (bound: number): Reply<string> =>
    ({ ok: false, error: { code: 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', message: 'later', details: { headDigest: HEAD, strictlyGreaterThan: bound } } });
const moved = (digest: string, bound: number): Reply<string> =>
    ({ ok: false, error: { code: 'CERTIFICATE_LOG_HEAD_MOVED', message: 'moved', details: { headDigest: digest, strictlyGreaterThan: bound } } });

describe('sendAtLogPosition', () => {
    it('signs again just after the newest certificate when this clock is behind', async () => {
        const positions: LogPosition[] = [];
        const reply = await sendAtLogPosition({ previous: HEAD, timestamp: 1_000 }, async position => {
            positions.push(position);
            return positions.length === 1 ? later(5_000) : { ok: true, value: 'stored' } as const;
        }, 3, () => 1_000);
        expect(reply).to.deep.equal({ ok: true, value: 'stored' });
        expect(positions).to.deep.equal([{ previous: HEAD, timestamp: 1_000 }, { previous: HEAD, timestamp: 5_001 }]);
    });

    it('chains again to the head another writer moved the log to', async () => {
        const positions: LogPosition[] = [];
        const reply = await sendAtLogPosition({ previous: null, timestamp: 1_000 }, async position => {
            positions.push(position);
            return positions.length === 1 ? moved(toBase64Url(new Uint8Array(32).fill(2)), 900) : { ok: true, value: 'stored' } as const;
        }, 3, () => 2_000);
        expect(reply.ok).to.equal(true);
        expect(positions).to.deep.equal([{ previous: null, timestamp: 1_000 }, { previous: toBase64Url(new Uint8Array(32).fill(2)), timestamp: 2_000 }]);
    });

    it('gives up after the retries allowed, and passes any other refusal on at once', async () => {
        let sends = 0;
        const stuck = await sendAtLogPosition({ previous: HEAD, timestamp: 1_000 }, async () => { sends++; return later(9_000); }, 2, () => 1_000);
        expect(sends).to.equal(3);
        expect(!stuck.ok && stuck.error.code).to.equal('CERTIFICATE_REQUIRE_GREATER_TIMESTAMP');
        sends = 0;
        const refused = await sendAtLogPosition({ previous: HEAD, timestamp: 1_000 }, async (): Promise<Reply<string>> => {
            sends++;
            return { ok: false, error: { code: 'NOT_ALLOWED', message: 'no' } };
        }, 2);
        expect(sends).to.equal(1);
        expect(!refused.ok && refused.error.code).to.equal('NOT_ALLOWED');
    });
});
