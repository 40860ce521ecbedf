import { expect } from 'chai';
import { Certificate, generateSigningKeyPair, linkCertificates, newDeviceId, newUserId, portableEd25519, replayCertificateLog, signCertificate, toBase64Url, Unlinked } from '@vouch/protocol';
import { filterHistory, historyCsv, historyJson, historyRows } from './history-rows';

describe('organization history rows', () => {
    const root = generateSigningKeyPair();
    const alice = { userId: newUserId(), deviceId: newDeviceId(), key: generateSigningKeyPair() };
    const bob = { userId: newUserId(), deviceId: newDeviceId(), key: generateSigningKeyPair() };
    const t = Date.UTC(2026, 10, 23, 12);
    const entries: [Unlinked<Certificate>, Uint8Array][] = [
        [{ kind: 'user', version: 1, author: null, timestamp: t, userId: alice.userId, humanHandle: { label: 'Alice, "the" admin', email: 'alice@example.com' }, publicKey: toBase64Url(new Uint8Array(32)), profile: 'ADMINISTRATOR' }, root.secretKey],
        [{ kind: 'device', version: 1, author: null, timestamp: t, userId: alice.userId, deviceId: alice.deviceId, deviceLabel: 'Laptop', verifyKey: toBase64Url(alice.key.verifyKey) }, root.secretKey],
        [{ kind: 'user', version: 1, author: alice.deviceId, timestamp: t + 1, userId: bob.userId, humanHandle: { label: '=Bob', email: 'bob@example.com' }, publicKey: toBase64Url(new Uint8Array(32)), profile: 'MEMBER' }, alice.key.secretKey],
        [{ kind: 'device', version: 1, author: alice.deviceId, timestamp: t + 1, userId: bob.userId, deviceId: bob.deviceId, deviceLabel: null, verifyKey: toBase64Url(bob.key.verifyKey) }, alice.key.secretKey],
        [{ kind: 'user_update', version: 1, author: alice.deviceId, timestamp: t + 2, userId: bob.userId, newProfile: 'ADMINISTRATOR' }, alice.key.secretKey],
        [{ kind: 'revoked_user', version: 1, author: bob.deviceId, timestamp: t + 3, userId: alice.userId }, bob.key.secretKey]
    ];
    const linked = linkCertificates(entries.map(([content]) => content), null);
    const log = linked.map((content, i) => signCertificate(content, entries[i][1], portableEd25519)).map((signed, i) => ({ index: i + 1, signed }));

    const replayed = replayCertificateLog(log, root.verifyKey, portableEd25519);
    const rows = replayed.ok ? historyRows(replayed.value.certificates) : [];

    it('says who did what to whom, with names the log vouches for', () => {
        expect(rows.map(row => `${row.kind} ${row.authorName.split(' ')[0]} -> ${row.subjectName.split(' ')[0]}`)).to.deep.equal([
            'bootstrap organization -> Alice,', 'bootstrap organization -> Alice,', 'user Alice, -> =Bob', 'device Alice, -> =Bob', 'profile Alice, -> =Bob', 'revocation =Bob -> Alice,'
        ]);
        expect(rows[4]).to.deep.include({ previousProfile: 'MEMBER', profile: 'ADMINISTRATOR' });
        expect(rows[3]).not.to.have.property('deviceLabel');
    });

    it('filters by user (as author or subject) and by kind', () => {
        expect(filterHistory(rows, { userId: bob.userId }).map(row => row.index)).to.deep.equal([3, 4, 5, 6]);
        expect(filterHistory(rows, { kind: 'revocation' }).map(row => row.index)).to.deep.equal([6]);
    });

    it('exports JSON that reads back, and CSV quoted and defused for spreadsheets', () => {
        expect(JSON.parse(historyJson(rows))).to.have.length(6);
        const csv = historyCsv(rows);
        expect(csv.split('\r\n')[0]).to.match(/^index,time,kind,/);
        expect(csv).to.include('"Alice, ""the"" admin <alice@example.com>"');
        expect(csv).to.include(',\'=Bob <bob@example.com>,');
    });
});
