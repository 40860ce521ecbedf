import { expect } from 'chai';
import {
    buildBootstrapLink, buildInvitationLink, buildJoinLink, isVouchLink, linkAction, parseBootstrapLink, parseInvitationLink, parseJoinLink, parseJoinReturnLink,
    parseLink, toVouchSchemeLink, withoutLinkParameters
} from './links';

describe('links', () => {
    const root = 'A'.repeat(42) + 'E';

    it('reads back what it builds, keeping the server origin', () => {
        expect(parseBootstrapLink(buildBootstrapLink('http://127.0.0.1:3000', 'Acme', 'tok_en-1')))
            .to.deep.equal({ action: 'bootstrap', serverUrl: 'http://127.0.0.1:3000', organizationId: 'Acme', token: 'tok_en-1' });
        expect(parseInvitationLink(buildInvitationLink('https://vouch.example.org/', 'Acme', 'xyz')))
            .to.deep.equal({ action: 'claim', serverUrl: 'https://vouch.example.org', organizationId: 'Acme', token: 'xyz' });
        expect(parseJoinLink(buildJoinLink('https://vouch.example.org', 'Acme', root))?.rootVerifyKey).to.equal(root);
    });

    it('never takes one kind of link for another, nor a malformed one for any', () => {
        const invitation = buildInvitationLink('http://127.0.0.1:3000', 'Acme', 'xyz');
        expect(parseBootstrapLink(invitation)).to.equal(undefined);
        expect(parseJoinLink(invitation)).to.equal(undefined);
        expect(parseBootstrapLink('not a url')).to.equal(undefined);
        expect(parseBootstrapLink('http://127.0.0.1:3000/?vouch-action=bootstrap&vouch-org=Acme')).to.equal(undefined, 'no token');
        expect(parseBootstrapLink('http://127.0.0.1:3000/?vouch-action=bootstrap&vouch-org=no%20spaces&vouch-token=t')).to.equal(undefined, 'bad organization');
        expect(parseJoinLink(buildJoinLink('http://127.0.0.1:3000', 'Acme', 'short'))).to.equal(undefined, 'not a verify key');
        expect(parseInvitationLink('ftp://127.0.0.1/?vouch-action=claim&vouch-org=Acme&vouch-token=t')).to.equal(undefined, 'not http(s) nor vouch:');
    });

    it('reads the vouch: form the desktop app gets from the system as the same link', () => {
        for (const link of [
            buildBootstrapLink('https://vouch.example.org', 'Acme', 'tok'),
            buildInvitationLink('https://vouch.example.org:8443', 'Acme', 'xyz'),
            buildJoinLink('http://127.0.0.1:3000', 'Acme', root)
        ]) {
            const desktop = toVouchSchemeLink(link)!;
            expect(desktop.startsWith('vouch://'), desktop).to.equal(true);
            expect(parseLink(desktop), desktop).to.deep.equal(parseLink(link));
        }
        expect(parseLink('vouch://vouch.example.org/?vouch-action=claim&vouch-org=Acme&vouch-token=t')?.serverUrl).to.equal('https://vouch.example.org');
        expect(parseLink('vouch://127.0.0.1:3000?vouch-action=claim&vouch-org=Acme&vouch-token=t&vouch-no-tls=1')?.serverUrl).to.equal('http://127.0.0.1:3000');
        expect(parseLink('vouch:/no-host?vouch-action=claim&vouch-org=Acme&vouch-token=t')).to.equal(undefined);
        expect(toVouchSchemeLink('https://vouch.example.org/')).to.equal(undefined, 'no action');
    });

    it('reads the return from an identity provider, with or without an organization', () => {
        expect(parseJoinReturnLink('http://127.0.0.1:3000/?vouch-action=join-return&vouch-org=Acme&vouch-join-result=submitted'))
            .to.deep.equal({ action: 'join-return', serverUrl: 'http://127.0.0.1:3000', organizationId: 'Acme', result: 'submitted' });
        expect(parseLink('http://127.0.0.1:3000/?vouch-action=join-return&vouch-join-result=JOIN_PROOF_INVALID&vouch-join-message=Signed+%26+refused'))
            .to.deep.equal({ action: 'join-return', serverUrl: 'http://127.0.0.1:3000', result: 'JOIN_PROOF_INVALID', message: 'Signed & refused' });
        expect(parseLink('http://127.0.0.1:3000/?vouch-action=join-return')).to.equal(undefined, 'no result');
        expect(parseLink('http://127.0.0.1:3000/?vouch-action=join-return&vouch-org=no%20spaces&vouch-join-result=submitted')).to.equal(undefined, 'bad organization');
    });

    it('tells a Vouch link from other addresses, and an unknown action from a malformed link', () => {
        expect(isVouchLink('http://127.0.0.1:3000/?vouch-action=workspace&vouch-org=Acme')).to.equal(true);
        expect(linkAction('http://127.0.0.1:3000/?vouch-action=workspace&vouch-org=Acme')).to.equal('workspace');
        expect(parseLink('http://127.0.0.1:3000/?vouch-action=workspace&vouch-org=Acme')).to.equal(undefined);
        expect(parseLink('http://127.0.0.1:3000/?vouch-action=toString&vouch-org=Acme')).to.equal(undefined);
        expect(isVouchLink('http://127.0.0.1:3000/?other=1')).to.equal(false);
        expect(isVouchLink('vouch:/workspace/folder/file.txt')).to.equal(false, 'a file in a workspace is not a link');
        expect(isVouchLink('not a url')).to.equal(false);
    });

    it('takes the Vouch parameters out of an address and keeps the rest', () => {
        expect(withoutLinkParameters('http://127.0.0.1:3000/?vouch-action=bootstrap&vouch-org=Acme&vouch-token=secret'))
            .to.equal('http://127.0.0.1:3000/');
        expect(withoutLinkParameters('http://127.0.0.1:3000/app?lang=fr&vouch-action=claim&vouch-token=secret#/home/project'))
            .to.equal('http://127.0.0.1:3000/app?lang=fr#/home/project');
    });
});
