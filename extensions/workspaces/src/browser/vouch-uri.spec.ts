import { expect } from 'chai';
import URI from '@theia/core/lib/common/uri';
import { VouchUri } from './vouch-uri';

describe('VouchUri', () => {
    const id = '0123456789abcdef0123456789abcdef';

    it('names a workspace root and a file inside it', () => {
        expect(VouchUri.root(id).toString()).to.equal(`vouch:/${id}`);
        expect(VouchUri.create(id, '/docs/plan.md').toString()).to.equal(`vouch:/${id}/docs/plan.md`);
        expect(VouchUri.parse(VouchUri.root(id))).to.deep.equal({ workspaceId: id, path: '/' });
    });

    it('round-trips names with spaces, #, ?, % and non-Latin letters', () => {
        for (const path of ['/a b/c#d?.txt', '/100%/é.md', '/日本/ファイル']) {
            const uri = VouchUri.create(id, path);
            expect(VouchUri.parse(new URI(uri.toString()))).to.deep.equal({ workspaceId: id, path });
        }
    });

    it('parses a child made by the workbench (URI.resolve) and never climbs above the root', () => {
        expect(VouchUri.parse(VouchUri.root(id).resolve('new folder').resolve('file.txt'))?.path).to.equal('/new folder/file.txt');
        expect(VouchUri.parse(new URI(`vouch:/${id}/a/../../../b`))?.path).to.equal('/b');
        expect(VouchUri.isRoot(new URI(`vouch:/${id}/`))).to.equal(true);
    });

    it('refuses another scheme or a URI without a workspace id', () => {
        expect(VouchUri.parse(new URI(`file:/${id}/a`))).to.equal(undefined);
        expect(VouchUri.parse(new URI('vouch:/not-an-id/a'))).to.equal(undefined);
        expect(VouchUri.parse(new URI('vouch:/'))).to.equal(undefined);
    });
});
