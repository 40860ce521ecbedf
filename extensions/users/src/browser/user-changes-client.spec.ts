import 'reflect-metadata';
import { expect } from 'chai';
import { Container } from '@theia/core/shared/inversify';
import { Certificate, decodeCertificate, LogPosition, portableEd25519, Reply, sendAtLogPosition, signCertificate, generateSigningKeyPair, toBase64Url } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { UserChangesClient } from './user-changes-client';

const key = generateSigningKeyPair();
const DEVICE = 'd'.repeat(32);

const HEAD = toBase64Url(new Uint8Array(32).fill(1));
const MOVED = toBase64Url(new Uint8Array(32).fill(2));

/** Signs like the real session, starts at a known head, answers like a server where another writer came first once. */
class FakeSession {
    readonly device = { deviceId: DEVICE };
    sendAtLogHead<R>(send: (position: LogPosition) => Promise<Reply<R>>): Promise<Reply<R>> {
        return sendAtLogPosition({ previous: HEAD, timestamp: Date.now() }, send, 3);
    }
    readonly sent: { event: string; certificates: string[] }[] = [];
    replies: Reply<unknown>[] = [];
    signCertificates(contents: Certificate[]): string[] | undefined {
        return contents.map(content => signCertificate(content, key.secretKey, portableEd25519));
    }
    readonly request = async (event: string, payload: { certificates: string[] }): Promise<Reply<unknown>> => {
        this.sent.push({ event, certificates: payload.certificates });
        return this.replies.shift()!;
    };
}

function client(session: FakeSession): UserChangesClient {
    const container = new Container();
    container.bind(VouchSession).toConstantValue(session as unknown as VouchSession);
    container.bind(UserChangesClient).toSelf();
    return container.get(UserChangesClient);
}

const positionOf = (signed: string) => {
    const decoded = decodeCertificate(signed);
    return decoded.ok ? [decoded.value.content.previous, decoded.value.content.timestamp] : [];
};

describe('UserChangesClient', () => {
    it('sends a selection as one chained batch, signed again after the head the server names when another writer came first', async () => {
        const session = new FakeSession();
        const later = Date.now() + 60_000;
        session.replies = [
            { ok: false, error: { code: 'CERTIFICATE_LOG_HEAD_MOVED', message: 'moved', details: { headDigest: MOVED, strictlyGreaterThan: later } } },
            { ok: true, value: { changed: 2 } }
        ];
        const result = await client(session).changeProfiles(['a'.repeat(32), 'b'.repeat(32)], 'ADMINISTRATOR');
        expect(result).to.deep.equal({ ok: true, count: 2 });
        expect(session.sent.map(sent => [sent.event, sent.certificates.length])).to.deep.equal([['users.changeProfiles', 2], ['users.changeProfiles', 2]]);
        expect(positionOf(session.sent[0].certificates[0])[0]).to.equal(HEAD);
        const [first, second] = session.sent[1].certificates.map(positionOf);
        expect(first).to.deep.equal([MOVED, later + 1]);
        // The second certificate of the batch names the first.
        expect(second[0]).to.not.equal(MOVED);
        expect(second[1]).to.equal(later + 1);
    });

    it('says the refusal in words of its own, with the server\'s reason', async () => {
        const session = new FakeSession();
        session.replies = [{ ok: false, error: { code: 'CERTIFICATE_INCONSISTENT', message: 'At least one Administrator must remain in the organization' } }];
        const result = await client(session).revoke(['a'.repeat(32)]);
        expect(result).to.deep.equal({ ok: false, message: 'The change contradicts the organization\'s certificates. (At least one Administrator must remain in the organization)' });
        expect(session.sent.map(sent => sent.event)).to.deep.equal(['users.revoke']);
    });
});
