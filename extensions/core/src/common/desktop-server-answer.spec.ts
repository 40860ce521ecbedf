import { expect } from 'chai';
import { buildBootstrapLink, toVouchSchemeLink } from '@vouch/protocol';
import { readServerAnswer } from './desktop-server-answer';

describe('readServerAnswer (the desktop app\'s first-run question)', () => {
    it('takes a server address, a bare host meaning https, and keeps only its origin', () => {
        expect(readServerAnswer('  vouch.example.org ')).to.deep.equal({ kind: 'server', serverUrl: 'https://vouch.example.org' });
        expect(readServerAnswer('https://vouch.example.org:8443/some/page?x=1')).to.deep.equal({ kind: 'server', serverUrl: 'https://vouch.example.org:8443' });
        expect(readServerAnswer('http://127.0.0.1:3000')).to.deep.equal({ kind: 'server', serverUrl: 'http://127.0.0.1:3000' });
        expect(readServerAnswer('http://[::1]:3000')).to.deep.equal({ kind: 'server', serverUrl: 'http://[::1]:3000' });
        expect(readServerAnswer('https://bücher.example')).to.deep.equal({ kind: 'server', serverUrl: 'https://xn--bcher-kva.example' });
    });

    it('takes a link in either form, naming the link\'s server', () => {
        const link = buildBootstrapLink('http://127.0.0.1:3000', 'Acme', 'token-1');
        expect(readServerAnswer(link)).to.deep.equal({ kind: 'link', serverUrl: 'http://127.0.0.1:3000', link });
        const systemLink = toVouchSchemeLink(link)!;
        expect(readServerAnswer(systemLink)).to.deep.equal({ kind: 'link', serverUrl: 'http://127.0.0.1:3000', link: systemLink });
    });

    it('says what is wrong with anything else', () => {
        expect(readServerAnswer('   ')).to.deep.equal({ kind: 'invalid', problem: 'empty' });
        expect(readServerAnswer('http://127.0.0.1:3000/?vouch-action=bootstrap&vouch-org=Acme')).to.deep.equal({ kind: 'invalid', problem: 'broken-link' });
        for (const typed of ['not an address!', 'ftp://vouch.example.org', 'https://alice:secret@vouch.example.org', 'https://', 'file:///etc/passwd',
            'https://vouch..example.org', 'javascript://x']) {
            expect(readServerAnswer(typed), typed).to.deep.equal({ kind: 'invalid', problem: 'not-an-address' });
        }
    });
});
