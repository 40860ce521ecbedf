import { expect } from 'chai';
import { generateSigningKeyPair, portableEd25519, SigningKeyPair } from '../crypto/signature-scheme';
import { fromBase64Url, toBase64Url } from '../encoding';
import { newDeviceId, newUserId, UserProfile } from '../identity';
import { chainDigest, linkCertificates, Unlinked } from './certificate-chain';
import { decodeCertificate, signCertificate } from './certificate-codec';
import { replayCertificateLog } from './certificate-log-replay';
import { KnownDevice, KnownUser } from './certificate-rules';
import { Certificate, SignedCertificate } from './certificate-types';
import { checkRevokedUsers, checkUserUpdates, UserChangeContext } from './user-change-rules';
import { anchorFingerprint, anchorsInOrder, checkPkiAnchors } from './pki-anchors-rules';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const scheme = portableEd25519;

interface Person { userId: string; deviceId: string; key: SigningKeyPair; profile: UserProfile; revoked: boolean }

function person(profile: UserProfile, revoked = false): Person {
    return { userId: newUserId(), deviceId: newDeviceId(), key: generateSigningKeyPair(), profile, revoked };
}

function context(people: Person[], options: { lastTimestamp?: number } = {}): UserChangeContext {
    const head = { digest: null, timestamp: options.lastTimestamp };
    const devices = new Map<string, KnownDevice>(people.map(p => [p.deviceId, { userId: p.userId, verifyKey: p.key.verifyKey }]));
    const users = new Map<string, KnownUser>(people.map(p => [p.userId, { profile: p.profile, revoked: p.revoked }]));
    return {
        scheme, rootVerifyKey: generateSigningKeyPair().verifyKey, now: NOW, ballparkMs: 300_000, head,
        device: id => devices.get(id), user: id => users.get(id),
        activeAdministrators: people.filter(p => !p.revoked && p.profile === 'ADMINISTRATOR').length
    };
}

/** A certificate about to be signed, and the key that signs it. */
interface Unsigned { readonly content: Unlinked<Certificate>; readonly key: SigningKeyPair }

const update = (author: Person, target: { userId: string }, newProfile: UserProfile, timestamp = NOW): Unsigned =>
    ({ content: { kind: 'user_update', version: 1, author: author.deviceId, timestamp, userId: target.userId, newProfile }, key: author.key });
const revoke = (author: Person, target: { userId: string }, timestamp = NOW): Unsigned =>
    ({ content: { kind: 'revoked_user', version: 1, author: author.deviceId, timestamp, userId: target.userId }, key: author.key });

/** Signs certificates in log order, each chained to the one before it (the first to an empty log). */
function signed(...items: Unsigned[]): SignedCertificate[] {
    return linkCertificates<Certificate>(items.map(item => item.content), null).map((content, i) => signCertificate(content, items[i].key.secretKey, scheme));
}

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
        const checked = checkUserUpdates(signed(update(admin, member, 'ADMINISTRATOR'), update(admin, admin2, 'MEMBER')), context(everyone));
        expect(checked.ok).to.equal(true);
        expect(checked.ok && [...checked.value.previousProfiles.values()]).to.deep.equal(['MEMBER', 'ADMINISTRATOR']);
    });

    const updateRefusals: [string, () => SignedCertificate[], string, Person[]?][] = [
        ['signed by a Member', () => signed(update(member, member2, 'ADMINISTRATOR')), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['signed by an External user', () => signed(update(external, member2, 'ADMINISTRATOR')), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['signed by a revoked Administrator', () => { const r = person('ADMINISTRATOR', true); everyone.push(r); return signed(update(r, member, 'ADMINISTRATOR')); }, 'CERTIFICATE_AUTHOR_REVOKED'],
        ['of the author themselves', () => signed(update(admin, admin, 'MEMBER')), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['to External', () => signed(update(admin, member, 'EXTERNAL')), 'CERTIFICATE_INCONSISTENT'],
        ['from External', () => signed(update(admin, external, 'MEMBER')), 'CERTIFICATE_INCONSISTENT'],
        ['of a revoked user', () => signed(update(admin, gone, 'ADMINISTRATOR')), 'CERTIFICATE_INCONSISTENT'],
        ['of an unknown user', () => signed(update(admin, { userId: newUserId() }, 'MEMBER')), 'CERTIFICATE_INCONSISTENT'],
        ['to the same profile', () => signed(update(admin, member, 'MEMBER')), 'CERTIFICATE_INCONSISTENT'],
        ['naming a user twice', () => signed(update(admin, member, 'ADMINISTRATOR'), update(admin, member, 'ADMINISTRATOR')), 'CERTIFICATE_INCONSISTENT'],
        ['with two timestamps', () => signed(update(admin, member, 'ADMINISTRATOR'), update(admin, member2, 'ADMINISTRATOR', NOW + 1)), 'CERTIFICATE_INCONSISTENT'],
        ['with a forged signature', () => signed({ content: { kind: 'user_update', version: 1, author: admin.deviceId, timestamp: NOW, userId: member.userId, newProfile: 'ADMINISTRATOR' }, key: member.key }), 'CERTIFICATE_BAD_SIGNATURE'],
        ['of another kind', () => signed(revoke(admin, member)), 'CERTIFICATE_INCONSISTENT'],
        ['dated too far away', () => signed(update(admin, member, 'ADMINISTRATOR', NOW + 3_600_000)), 'CERTIFICATE_TIMESTAMP_OUT_OF_BALLPARK'],
        ['that would leave no Administrator', () => signed(update(admin, admin2, 'MEMBER')), 'CERTIFICATE_INCONSISTENT', [admin, admin2]]
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
        const checked = checkUserUpdates(signed(update(admin, member, 'ADMINISTRATOR')), context(everyone, { lastTimestamp: NOW }));
        expect(!checked.ok && checked.error).to.deep.include({ code: 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', head: { digest: null, timestamp: NOW } });
    });

    it('refuses a batch whose certificates do not each name the one before them', () => {
        const [first, second] = signed(update(admin, member, 'ADMINISTRATOR'), update(admin, member2, 'ADMINISTRATOR'));
        const unlinked = signed(update(admin, member2, 'ADMINISTRATOR'))[0];
        expect(code(checkUserUpdates([first, unlinked], context(everyone)))).to.equal('CERTIFICATE_INCONSISTENT');
        expect(code(checkUserUpdates([second, first], context(everyone)))).to.equal('CERTIFICATE_LOG_HEAD_MOVED');
    });

    it('revokes several users; a batch that also names users revoked already is stored whole, one of only those stores nothing', () => {
        const checked = checkRevokedUsers(signed(revoke(admin, member), revoke(admin, gone), revoke(admin, external)), context(everyone));
        // Chained one after the other, none can be left out: the repeated one is stored and changes nothing.
        expect(checked.ok && checked.value.revocations.map(r => r.content.userId)).to.deep.equal([member.userId, gone.userId, external.userId]);
        expect(checked.ok && checked.value.alreadyRevoked).to.deep.equal([gone.userId]);
        const again = checkRevokedUsers(signed(revoke(admin, gone)), context(everyone));
        expect(again.ok && again.value).to.deep.equal({ revocations: [], alreadyRevoked: [gone.userId] });
    });

    const revokeRefusals: [string, () => SignedCertificate[], string][] = [
        ['of oneself', () => signed(revoke(admin, admin)), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['by a Member', () => signed(revoke(member, member2)), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['by an External user', () => signed(revoke(external, member2)), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['of an unknown user', () => signed(revoke(admin, { userId: newUserId() })), 'CERTIFICATE_INCONSISTENT'],
        ['signed by the root key', () => signed({ content: { kind: 'revoked_user', version: 1, author: null, timestamp: NOW, userId: member.userId }, key: admin.key }), 'CERTIFICATE_AUTHOR_NOT_ALLOWED'],
        ['of every Administrator', () => signed(revoke(admin, admin2)), 'CERTIFICATE_INCONSISTENT']
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
    const carol = person('MEMBER');

    function userAndDevice(p: Person, author: Person | null, timestamp: number): Unsigned[] {
        const key = author ? author.key : root;
        const authorId = author ? author.deviceId : null;
        return [
            { content: { kind: 'user', version: 1, author: authorId, timestamp, userId: p.userId, humanHandle: { email: `${p.userId}@example.com`, label: 'P' }, publicKey: toBase64Url(new Uint8Array(32)), profile: p.profile }, key },
            { content: { kind: 'device', version: 1, author: authorId, timestamp, userId: p.userId, deviceId: p.deviceId, deviceLabel: 'Laptop', verifyKey: toBase64Url(p.key.verifyKey) }, key }
        ];
    }

    function log(...entries: string[]) {
        return entries.map((one, i) => ({ index: i + 1, signed: one }));
    }

    const good = () => [...userAndDevice(alice, null, NOW), ...userAndDevice(bob, alice, NOW + 1), ...userAndDevice(carol, alice, NOW + 2),
        update(alice, bob, 'ADMINISTRATOR', NOW + 3), revoke(bob, carol, NOW + 4), revoke(alice, carol, NOW + 5)];
    const refusedAt = (items: { index: number; signed: string }[], remembered?: { index: number; digest: string }) => {
        const replayed = replayCertificateLog(items, root.verifyKey, scheme, remembered);
        return replayed.ok ? 'ok' : `${replayed.error.index} ${replayed.error.error.code}`;
    };
    const digestOf = (one: string) => {
        const decoded = decodeCertificate(one);
        return decoded.ok ? chainDigest(decoded.value.content) : '';
    };

    it('believes a log built by the rules, with the profiles at the time, and says where it ends', () => {
        const entries = signed(...good());
        const replayed = replayCertificateLog(log(...entries), root.verifyKey, scheme);
        expect(replayed.ok).to.equal(true);
        if (replayed.ok) {
            expect(replayed.value.certificates.map(entry => entry.certificate.kind)).to.deep.equal(['user', 'device', 'user', 'device', 'user', 'device', 'user_update', 'revoked_user', 'revoked_user']);
            expect(replayed.value.certificates[6].previousProfile).to.equal('MEMBER');
            // Bob revoked Carol as an Administrator: what he was at the time. Alice revoking her again changes nothing.
            expect(replayed.value.certificates[7]).to.deep.include({ authorUserId: bob.userId, authorProfile: 'ADMINISTRATOR' });
            expect(replayed.value.head).to.deep.equal({ index: 9, digest: digestOf(entries[8]) });
        }
    });

    it('refuses a history against the rules, even when it is chained', () => {
        const entries = good();
        // Bob revokes Carol before he was made an Administrator.
        expect(refusedAt(log(...signed(...entries.slice(0, 6), entries[7], entries[6])))).to.equal('7 CERTIFICATE_AUTHOR_NOT_ALLOWED');
        expect(refusedAt(log(...signed(...userAndDevice(alice, null, NOW), update(bob, alice, 'MEMBER', NOW + 1))))).to.equal('3 CERTIFICATE_UNKNOWN_AUTHOR');
        expect(replayCertificateLog(log(...signed(...entries)), generateSigningKeyPair().verifyKey, scheme).ok).to.equal(false);
        expect(refusedAt(log(...signed(...userAndDevice(alice, null, NOW), ...userAndDevice(bob, alice, NOW - 1))))).to.equal('3 CERTIFICATE_REQUIRE_GREATER_TIMESTAMP');
        expect(refusedAt(log(...signed(...userAndDevice(alice, null, NOW), ...userAndDevice(bob, null, NOW + 1))))).to.equal('3 CERTIFICATE_AUTHOR_NOT_ALLOWED');
        // Trust anchors pinned by a Member.
        const anchors = [anchorFingerprint(new Uint8Array([9]))];
        expect(refusedAt(log(...signed(...entries.slice(0, 4), { content: { kind: 'pki_anchors', version: 1, author: bob.deviceId, timestamp: NOW + 2, anchors }, key: bob.key }))))
            .to.equal('5 CERTIFICATE_AUTHOR_NOT_ALLOWED');
        expect(refusedAt(log(...signed(...entries.slice(0, 4), { content: { kind: 'pki_anchors', version: 1, author: alice.deviceId, timestamp: NOW + 2, anchors }, key: alice.key }))))
            .to.equal('ok');
    });

    it('refuses a log a server cut, reordered, rewrote or forked', () => {
        const entries = signed(...good());
        // A revocation deleted and the log renumbered after it: the next certificate names the deleted one.
        expect(refusedAt(log(...entries.slice(0, 7), entries[8]))).to.equal('8 CERTIFICATE_LOG_TAMPERED');
        // Two certificates swapped, or a number skipped.
        expect(refusedAt(log(...entries.slice(0, 6), entries[7], entries[6], entries[8]))).to.equal('7 CERTIFICATE_LOG_TAMPERED');
        expect(refusedAt([...log(...entries.slice(0, 2)), { index: 4, signed: entries[3] }])).to.equal('4 CERTIFICATE_LOG_TAMPERED');
        // Cut short: it checks out as a chain, but not against the head this device verified before.
        const remembered = { index: 9, digest: digestOf(entries[8]) };
        expect(refusedAt(log(...entries), remembered)).to.equal('ok');
        expect(refusedAt(log(...entries.slice(0, 8)), remembered)).to.equal('8 CERTIFICATE_LOG_TAMPERED');
        expect(refusedAt([], remembered)).to.equal('0 CERTIFICATE_LOG_TAMPERED');
        // A fork: from certificate 9 on, another history (Alice never revoked Carol again; Bob was demoted instead).
        const fork = signed(...good().slice(0, 8), update(alice, bob, 'MEMBER', NOW + 5), revoke(alice, carol, NOW + 6));
        expect(refusedAt(log(...fork))).to.equal('ok');
        expect(refusedAt(log(...fork), remembered)).to.equal('9 CERTIFICATE_LOG_TAMPERED');
        expect(fromBase64Url(entries[0])).to.be.instanceOf(Uint8Array);
    });
});

describe('pinned PKI trust anchors', () => {
    const admin = person('ADMINISTRATOR');
    const member = person('MEMBER');
    const fingerprints = [anchorFingerprint(new Uint8Array([1, 2, 3])), anchorFingerprint(new Uint8Array([4, 5, 6]))];
    const pin = (author: Person, anchors: string[]): Unsigned => ({ content: { kind: 'pki_anchors', version: 1, author: author.deviceId, timestamp: NOW, anchors }, key: author.key });

    it('are pinned by an Administrator, sorted and each once; by nobody else', () => {
        expect(code(checkPkiAnchors(signed(pin(admin, anchorsInOrder(fingerprints)))[0], context([admin, member])))).to.equal('ok');
        expect(code(checkPkiAnchors(signed(pin(member, anchorsInOrder(fingerprints)))[0], context([admin, member])))).to.equal('CERTIFICATE_AUTHOR_NOT_ALLOWED');
        expect(code(checkPkiAnchors(signed(pin(admin, [...anchorsInOrder(fingerprints)].reverse()))[0], context([admin, member])))).to.equal('CERTIFICATE_INCONSISTENT');
        expect(code(checkPkiAnchors(signed(pin(admin, [fingerprints[0], fingerprints[0]]))[0], context([admin, member])))).to.equal('CERTIFICATE_INCONSISTENT');
    });
});
