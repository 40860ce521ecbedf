import 'reflect-metadata';
import { expect } from 'chai';
import { Container } from '@theia/core/shared/inversify';
import { Certificate, decodeCertificate, portableEd25519, Reply, signCertificate, generateSigningKeyPair } from '@vouch/protocol';
import { VouchSession } from '@vouch/core/lib/browser/vouch-session';
import { UserChangesClient } from './user-changes-client';

const key = generateSigningKeyPair();
const DEVICE = 'd'.repeat(32);

/** Signs like the real session, answers like a server that already holds a later certificate once. */
class FakeSession {
    readonly device = { deviceId: DEVICE };
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

const timestampOf = (signed: string) => {
    const decoded = decodeCertificate(signed);
    return decoded.ok ? decoded.value.content.timestamp : NaN;
};

describe('UserChangesClient', () => {
    it('sends a selection as one batch, signed again after the newest certificate when the server asks', async () => {
        const session = new FakeSession();
        const later = Date.now() + 60_000;
        session.replies = [
            { ok: false, error: { code: 'CERTIFICATE_REQUIRE_GREATER_TIMESTAMP', message: 'later', details: { strictlyGreaterThan: later } } },
            { ok: true, value: { changed: 2 } }
        ];
        const result = await client(session).changeProfiles(['a'.repeat(32), 'b'.repeat(32)], 'ADMINISTRATOR');
        expect(result).to.deep.equal({ ok: true, count: 2 });
        expect(session.sent.map(sent => [sent.event, sent.certificates.length])).to.deep.equal([['users.changeProfiles', 2], ['users.changeProfiles', 2]]);
        expect(session.sent[1].certificates.map(timestampOf)).to.deep.equal([later + 1, later + 1]);
    });

    it('says the refusal in words of its own, with the server\'s reason', async () => {
        const session = new FakeSession();
        session.replies = [{ ok: false, error: { code: 'CERTIFICATE_INCONSISTENT', message: 'At least one Administrator must remain in the organization' } }];
        const result = await client(session).revoke(['a'.repeat(32)]);
        expect(result).to.deep.equal({ ok: false, message: 'The change contradicts the organization\'s certificates. (At least one Administrator must remain in the organization)' });
        expect(session.sent.map(sent => sent.event)).to.deep.equal(['users.revoke']);
    });
});
