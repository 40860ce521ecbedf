import { expect } from 'chai';
import { buildJoinLink, parseJoinLink } from '../api/links';
import { randomBytes } from '../crypto/random';
import { toBase64Url } from '../encoding';
import { joinClaimHash, joinRequestDigest, joinRequestMessage, JoinRequestPayload, JoinRequestPayloadSchema, joinRequestSamlId } from './join-request-payload';

const payload: JoinRequestPayload = {
    version: 1, organizationId: 'Acme', email: 'dora@example.com', name: 'Dora', deviceLabel: 'Laptop',
    userPublicKey: toBase64Url(new Uint8Array(32).fill(1)), deviceVerifyKey: toBase64Url(new Uint8Array(32).fill(2)),
    claimHash: joinClaimHash(new Uint8Array(32).fill(3)), replace: false, timestamp: 1_764_000_000_000
};

describe('join request payload', () => {
    it('has one byte form, whatever the key order, under its own domain', () => {
        const shuffled = Object.fromEntries(Object.entries(payload).reverse()) as JoinRequestPayload;
        expect(joinRequestMessage(shuffled)).to.deep.equal(joinRequestMessage(payload));
        expect(new TextDecoder().decode(joinRequestMessage(payload)).startsWith('vouch/join-request/v1\n{"claimHash":')).to.equal(true);
    });

    it('binds every field: the OIDC nonce and SAML request id change with any of them', () => {
        const changed: JoinRequestPayload[] = [
            { ...payload, deviceVerifyKey: toBase64Url(new Uint8Array(32).fill(9)) }, { ...payload, email: 'eve@example.com' },
            { ...payload, replace: true }, { ...payload, timestamp: payload.timestamp + 1 }
        ];
        for (const other of changed) {
            expect(joinRequestDigest(other)).not.to.equal(joinRequestDigest(payload));
            expect(joinRequestSamlId(other)).not.to.equal(joinRequestSamlId(payload));
        }
        expect(joinRequestDigest(payload)).to.match(/^[A-Za-z0-9_-]{43}$/);
        expect(joinRequestSamlId(payload)).to.match(/^_[0-9a-f]{64}$/);
    });

    it('refuses a payload with a bad email, key or unknown field', () => {
        expect(JoinRequestPayloadSchema.safeParse(payload).success).to.equal(true);
        expect(JoinRequestPayloadSchema.safeParse({ ...payload, email: 'nope' }).success).to.equal(false);
        expect(JoinRequestPayloadSchema.safeParse({ ...payload, userPublicKey: 'short' }).success).to.equal(false);
        expect(JoinRequestPayloadSchema.safeParse({ ...payload, admin: true }).success).to.equal(false);
    });

    it('join links carry the organization and its root verify key, and nothing else parses as one', () => {
        const root = toBase64Url(randomBytes(32));
        const link = buildJoinLink('https://vouch.example.org', 'Acme', root);
        expect(parseJoinLink(link)).to.deep.equal({ action: 'join', serverUrl: 'https://vouch.example.org', organizationId: 'Acme', rootVerifyKey: root });
        expect(parseJoinLink(link.replace('vouch-action=join', 'vouch-action=claim'))).to.equal(undefined);
        expect(parseJoinLink(link.replace(root, 'short'))).to.equal(undefined);
        expect(parseJoinLink('not a url')).to.equal(undefined);
    });
});
