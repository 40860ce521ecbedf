import { expect } from 'chai';
import { buildBootstrapLink, buildInvitationLink, buildJoinLink, parseInvitationLink, parseJoinLink, parseVouchLink } from './links';

describe('links', () => {
    const root = 'A'.repeat(42) + 'E';

    it('reads back what it builds, keeping the server origin', () => {
        expect(parseVouchLink(buildBootstrapLink('http://127.0.0.1:3000', 'Acme', 'tok_en-1')))
            .to.deep.equal({ action: 'bootstrap', serverUrl: 'http://127.0.0.1:3000', organizationId: 'Acme', token: 'tok_en-1' });
        expect(parseInvitationLink(buildInvitationLink('https://vouch.example.org/', 'Acme', 'xyz')))
            .to.deep.equal({ action: 'claim', serverUrl: 'https://vouch.example.org', organizationId: 'Acme', token: 'xyz' });
        expect(parseJoinLink(buildJoinLink('https://vouch.example.org', 'Acme', root))?.rootVerifyKey).to.equal(root);
    });

    it('never takes one kind of link for another, nor a malformed one for any', () => {
        const invitation = buildInvitationLink('http://127.0.0.1:3000', 'Acme', 'xyz');
        expect(parseVouchLink(invitation)).to.equal(undefined);
        expect(parseJoinLink(invitation)).to.equal(undefined);
        expect(parseVouchLink('not a url')).to.equal(undefined);
        expect(parseVouchLink('http://127.0.0.1:3000/?vouch-action=bootstrap&vouch-org=Acme')).to.equal(undefined, 'no token');
        expect(parseVouchLink('http://127.0.0.1:3000/?vouch-action=bootstrap&vouch-org=no%20spaces&vouch-token=t')).to.equal(undefined, 'bad organization');
        expect(parseJoinLink(buildJoinLink('http://127.0.0.1:3000', 'Acme', 'short'))).to.equal(undefined, 'not a verify key');
    });
});
