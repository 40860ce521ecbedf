import { expect } from 'chai';
import { generateSigningKeyPair, portableEd25519, SigningKeyPair } from '../crypto/signature-scheme';
import { fromBase64Url, toBase64Url } from '../encoding';
import { newDeviceId, newUserId, UserProfile } from '../identity';
import { signCertificate } from './certificate-codec';
import { replayCertificateLog } from './certificate-log-replay';
import { KnownDevice, KnownUser } from './certificate-rules';
import { Certificate, SignedCertificate } from './certificate-types';
import { checkRevokedUsers, checkUserUpdates, UserChangeContext } from './user-change-rules';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const scheme = portableEd25519;

interface Person { userId: string; deviceId: string; key: SigningKeyPair; profile: UserProfile; revoked: boolean }

function person(profile: UserProfile, revoked = false): Person {
    return { userId: newUserId(), deviceId: newDeviceId(), key: generateSigningKeyPair(), profile, revoked };
}

function context(people: Person[], options: { lastTimestamp?: number } = {}): UserChangeContext {
    const devices = new Map<string, KnownDevice>(people.map(p => [p.deviceId, { userId: p.userId, verifyKey: p.key.verifyKey }]));
    const users = new Map<string, KnownUser>(people.map(p => [p.userId, { profile: p.profile, revoked: p.revoked }]));
    return {
        scheme, rootVerifyKey: generateSigningKeyPair().verifyKey, now: NOW, ballparkMs: 300_000, lastTimestamp: options.lastTimestamp,
        device: id => devices.get(id), user: id => users.get(id),
        activeAdministrators: people.filter(p => !p.revoked && p.profile === 'ADMINISTRATOR').length
    };
}

const update = (author: Person, target: { userId: string }, newProfile: UserProfile, timestamp = NOW) =>
    signCertificate({ kind: 'user_update', version: 1, author: author.deviceId, timestamp, userId: target.userId, newProfile }, author.key.secretKey, scheme);
const revoke = (author: Person, target: { userId: string }, timestamp = NOW) =>
    signCertificate({ kind: 'revoked_user', version: 1, author: author.deviceId, timestamp, userId: target.userId }, author.key.secretKey, scheme);

function code(outcome: { ok: boolean; error?: { code: string; message: string } }): string {
    if (!outcome.ok) {
        expect(outcome.error!.message).to.match(/\w+ \w+/);
    }
    return outcome.ok ? 'ok' : outcome.error!.code;
}

describe('profile change and revocation rules', () => {
    const admin = person('ADMINISTRATOR');
    const admin2 = person('ADMINISTRATOR');
    const member = person('MEMBER');
    const member2 = person('MEMBER');
    const external = person('EXTERNAL');
    const gone = person('MEMBER', true);
    const everyone = [admin, admin2, member, member2, external, gone];

    it('accepts a batch of changes by an Administrator and reports the previous profiles', () => {
        const checked = checkUserUpdates([update(admin, member, 'ADMINISTRATOR'), update(admin, admin2, 'MEMBER')], context(everyone));
        expect(checked.ok).to.equal(true);
        expect(checked.ok && [...checked.value.previousProfiles.values()]).to.deep.equal(['MEMBER', 'ADMINISTRATOR']);
    });

    const updateRefusals: [string, () => SignedCertificate[], string, Person[]?][] = [
        ['signed by a Member', () => [update(member, member2, 'ADMINISTRATOR')], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['signed by an External user', () => [update(external, member2, 'ADMINISTRATOR')], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['signed by a revoked Administrator', () => { const r = person('ADMINISTRATOR', true); everyone.push(r); return [update(r, member, 'ADMINISTRATOR')]; }, 'CERTIFICATE_AUTHOR_REVOKED'],
        ['of the author themselves', () => [update(admin, admin, 'MEMBER')], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['to External', () => [update(admin, member, 'EXTERNAL')], 'CERTIFICATE_INCONSISTENT'],
        ['from External', () => [update(admin, external, 'MEMBER')], 'CERTIFICATE_INCONSISTENT'],
        ['of a revoked user', () => [update(admin, gone, 'ADMINISTRATOR')], 'CERTIFICATE_INCONSISTENT'],
        ['of an unknown user', () => [update(admin, { userId: newUserId() }, 'MEMBER')], 'CERTIFICATE_INCONSISTENT'],
        ['to the same profile', () => [update(admin, member, 'MEMBER')], 'CERTIFICATE_INCONSISTENT'],
        ['naming a user twice', () => [update(admin, member, 'ADMINISTRATOR'), update(admin, member, 'ADMINISTRATOR')], 'CERTIFICATE_INCONSISTENT'],
        ['with two timestamps', () => [update(admin, member, 'ADMINISTRATOR'), update(admin, member2, 'ADMINISTRATOR', NOW + 1)], 'CERTIFICATE_INCONSISTENT'],
        ['with a forged signature', () => [signCertificate({ kind: 'user_update', version: 1, author: admin.deviceId, timestamp: NOW, userId: member.userId, newProfile: 'ADMINISTRATOR' }, member.key.secretKey, scheme)], 'CERTIFICATE_BAD_SIGNATURE'],
        ['of another kind', () => [revoke(admin, member)], 'CERTIFICATE_INCONSISTENT'],
        ['dated too far away', () => [update(admin, member, 'ADMINISTRATOR', NOW + 3_600_000)], 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK'],
        ['that would leave no Administrator', () => [update(admin, admin2, 'MEMBER')], 'CERTIFICATE_INCONSISTENT', [admin, admin2]]
    ];
    for (const [what, make, expected, people] of updateRefusals) {
        it(`refuses a profile change ${what}`, () => {
            const certificates = make();
            const ctx = context(people ?? everyone);
            // The last case: the rule holds even if the count says only one Administrator is left.
            const adjusted = people ? { ...ctx, activeAdministrators: 1 } : ctx;
            expect(code(checkUserUpdates(certificates, adjusted))).to.equal(expected);
        });
    }

    it('refuses a change not later than the newest certificate, telling the timestamp to exceed', () => {
        const checked = checkUserUpdates([update(admin, member, 'ADMINISTRATOR')], context(everyone, { lastTimestamp: NOW }));
        expect(!checked.ok && checked.error).to.deep.include({ code: 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', strictlyGreaterThan: NOW });
    });

    it('revokes several users, and leaves those revoked already out without error', () => {
        const checked = checkRevokedUsers([revoke(admin, member), revoke(admin, gone), revoke(admin, external)], context(everyone));
        expect(checked.ok && checked.value.revocations.map(r => r.content.userId)).to.deep.equal([member.userId, external.userId]);
        expect(checked.ok && checked.value.alreadyRevoked).to.deep.equal([gone.userId]);
    });

    const revokeRefusals: [string, () => SignedCertificate[], string][] = [
        ['of oneself', () => [revoke(admin, admin)], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['by a Member', () => [revoke(member, member2)], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['by an External user', () => [revoke(external, member2)], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['of an unknown user', () => [revoke(admin, { userId: newUserId() })], 'CERTIFICATE_INCONSISTENT'],
        ['signed by the root key', () => [signCertificate({ kind: 'revoked_user', version: 1, author: null, timestamp: NOW, userId: member.userId }, admin.key.secretKey, scheme)], 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['of every Administrator', () => [revoke(admin, admin2)], 'CERTIFICATE_INCONSISTENT']
    ];
    for (const [what, make, expected] of revokeRefusals) {
        it(`refuses a revocation ${what}`, () => {
            const ctx = context(everyone);
            const adjusted = what === 'of every Administrator' ? { ...ctx, activeAdministrators: 1 } : ctx;
            expect(code(checkRevokedUsers(make(), adjusted))).to.equal(expected);
        });
    }
});

describe('certificate log replay', () => {
    const root = generateSigningKeyPair();
    const alice = person('ADMINISTRATOR');
    const bob = person('MEMBER');

    function sign(content: Certificate, key: SigningKeyPair): string {
        return signCertificate(content, key.secretKey, scheme);
    }

    function userAndDevice(p: Person, author: Person | null, timestamp: number): string[] {
        const key = author ? author.key : root;
        const authorId = author ? author.deviceId : null;
        return [
            sign({ kind: 'user', version: 1, author: authorId, timestamp, userId: p.userId, humanHandle: { email: `${p.userId}@example.com`, label: 'P' }, publicKey: toBase64Url(new Uint8Array(32)), profile: p.profile }, key),
            sign({ kind: 'device', version: 1, author: authorId, timestamp, userId: p.userId, deviceId: p.deviceId, deviceLabel: 'Laptop', verifyKey: toBase64Url(p.key.verifyKey) }, key)
        ];
    }

    function log(...signed: string[]) {
        return signed.map((one, i) => ({ index: i + 1, signed: one }));
    }

    const good = () => [...userAndDevice(alice, null, NOW), ...userAndDevice(bob, alice, NOW + 1), update(alice, bob, 'ADMINISTRATOR', NOW + 2), revoke(bob, alice, NOW + 3)];

    it('believes a log built by the rules, with the profiles at the time', () => {
        const replayed = replayCertificateLog(log(...good()), root.verifyKey, scheme);
        expect(replayed.ok).to.equal(true);
        if (replayed.ok) {
            expect(replayed.value.map(entry => entry.certificate.kind)).to.deep.equal(['user', 'device', 'user', 'device', 'user_update', 'revoked_user']);
            expect(replayed.value[4].previousProfile).to.equal('MEMBER');
            // Bob revoked Alice as an Administrator: what he was at the time.
            expect(replayed.value[5]).to.deep.include({ authorUserId: bob.userId, authorProfile: 'ADMINISTRATOR' });
        }
    });

    it('refuses a rewritten history: reordered, dropped, forged or against the rules', () => {
        const entries = good();
        const refusedAt = (items: { index: number; signed: string }[]) => {
            const replayed = replayCertificateLog(items, root.verifyKey, scheme);
            return replayed.ok ? 'ok' : `${replayed.error.index} ${replayed.error.error.code}`;
        };
        // Bob revokes Alice before he was made an Administrator.
        expect(refusedAt(log(...entries.slice(0, 4), entries[5], entries[4]))).to.equal('5 CERTIFICATE_AUTHOR_NOT_ALLOWED');
        expect(refusedAt([...log(...entries.slice(0, 2)), { index: 4, signed: entries[3] }])).to.equal('4 CERTIFICATE_INCONSISTENT');
        expect(refusedAt(log(...userAndDevice(alice, null, NOW), update(bob, alice, 'MEMBER', NOW + 1)))).to.equal('3 CERTIFICATE_UNKNOWN_AUTHOR');
        const otherRoot = generateSigningKeyPair();
        expect(replayCertificateLog(log(...entries), otherRoot.verifyKey, scheme).ok).to.equal(false);
        expect(refusedAt(log(...userAndDevice(alice, null, NOW), ...userAndDevice(bob, alice, NOW - 1)))).to.equal('3 CERTIFICATE_REQUIRE_GREATER_TIMESTAMP');
        expect(refusedAt(log(...userAndDevice(alice, null, NOW), ...userAndDevice(bob, null, NOW + 1)))).to.equal('3 CERTIFICATE_AUTHOR_NOT_ALLOWED');
        expect(fromBase64Url(entries[0])).to.be.instanceOf(Uint8Array);
    });
});
