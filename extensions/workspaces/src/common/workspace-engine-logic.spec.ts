import { expect } from 'chai';
import { FolderManifest, newEntryId } from '@vouch/protocol';
import { contentBlocks } from './block-stream';
import { conflictCopyName, unusedName } from './conflict-names';
import { mergeFolder } from './manifest-merge';
import { WorkspaceError } from './workspace-engine-api';
import { isSameOrInside, joinPath, pathSegments, splitParent } from './workspace-paths';

function errorOf(work: () => unknown): string {
    try {
        work();
        return 'none';
    } catch (error) {
        return error instanceof WorkspaceError ? error.code : String(error);
    }
}

async function collect(blocks: AsyncIterable<Uint8Array>): Promise<number[]> {
    const sizes: number[] = [];
    for await (const block of blocks) {
        sizes.push(block.length);
    }
    return sizes;
}

async function* chunksOf(sizes: number[], fill = (i: number) => i % 251): AsyncGenerator<Uint8Array> {
    let offset = 0;
    for (const size of sizes) {
        yield new Uint8Array(size).map((_, i) => fill(offset + i));
        offset += size;
    }
}

describe('workspace paths', () => {
    it('reads a path as names from the root down, tolerating repeated and trailing separators', () => {
        expect(pathSegments('/')).to.deep.equal([]);
        expect(pathSegments('/a/b.txt')).to.deep.equal(['a', 'b.txt']);
        expect(pathSegments('//a//b/')).to.deep.equal(['a', 'b']);
        expect(joinPath('/', 'a')).to.equal('/a');
        expect(joinPath('/a', 'b')).to.equal('/a/b');
        expect(splitParent('/a/b/c.txt')).to.deep.equal({ parent: '/a/b', name: 'c.txt' });
        expect(splitParent('/top')).to.deep.equal({ parent: '/', name: 'top' });
    });

    it('names nothing with a relative path, "." or ".." or a backslash; the root cannot be created or moved', () => {
        expect(errorOf(() => pathSegments('a/b'))).to.equal('FileNotFound');
        expect(errorOf(() => pathSegments('/a/../b'))).to.equal('FileNotFound');
        expect(errorOf(() => pathSegments('/./b'))).to.equal('FileNotFound');
        expect(errorOf(() => pathSegments('/a\\b'))).to.equal('FileNotFound');
        expect(errorOf(() => splitParent('/'))).to.equal('NoPermissions');
    });

    it('tells a folder from what is inside it, not from a sibling that starts alike', () => {
        expect(isSameOrInside('/a/b', '/a')).to.equal(true);
        expect(isSameOrInside('/a', '/a')).to.equal(true);
        expect(isSameOrInside('/ab', '/a')).to.equal(false);
        expect(isSameOrInside('/a', '/a/b')).to.equal(false);
    });
});

describe('conflict copy names', () => {
    const at = new Date(2026, 11, 2, 15, 4);

    it('say whose edit the copy keeps and when, keeping the extension', () => {
        expect(conflictCopyName('notes.txt', 'Alice', at)).to.equal('notes (conflicting copy by Alice 2026-12-02 15-04).txt');
        expect(conflictCopyName('Makefile', 'Bob', at)).to.equal('Makefile (conflicting copy by Bob 2026-12-02 15-04)');
        expect(conflictCopyName('.env', 'Bob', at)).to.equal('.env (conflicting copy by Bob 2026-12-02 15-04)');
        expect(conflictCopyName('archive.tar.gz', 'Bob', at)).to.equal('archive.tar (conflicting copy by Bob 2026-12-02 15-04).gz');
    });

    it('stay valid file names: no separator from a person\'s name, at most 255 characters', () => {
        expect(conflictCopyName('a.txt', 'R&D / Ops', at)).to.equal('a (conflicting copy by R&D - Ops 2026-12-02 15-04).txt');
        expect(conflictCopyName(`${'x'.repeat(250)}.txt`, 'Alice', at).length).to.be.at.most(255);
    });

    it('number a name a sibling already holds', () => {
        const taken = new Set(['a.txt', 'a 2.txt']);
        expect(unusedName('b.txt', name => taken.has(name))).to.equal('b.txt');
        expect(unusedName('a.txt', name => taken.has(name))).to.equal('a 3.txt');
    });
});

describe('block splitting', () => {
    it('cuts whole content into blocks of the block size, the last one shorter, none for an empty file', async () => {
        expect(await collect(contentBlocks(new Uint8Array(25), 10))).to.deep.equal([10, 10, 5]);
        expect(await collect(contentBlocks(new Uint8Array(20), 10))).to.deep.equal([10, 10]);
        expect(await collect(contentBlocks(new Uint8Array(0), 10))).to.deep.equal([]);
    });

    it('re-cuts chunks of any size into the same blocks, bytes in order', async () => {
        const sizes = [3, 17, 1, 0, 9, 25];
        const blocks: Uint8Array[] = [];
        for await (const block of contentBlocks({ size: 55, chunks: chunksOf(sizes) }, 10)) {
            blocks.push(block.slice());
        }
        expect(blocks.map(block => block.length)).to.deep.equal([10, 10, 10, 10, 10, 5]);
        const joined = blocks.flatMap(block => [...block]);
        expect(joined).to.deep.equal(Array.from({ length: 55 }, (_, i) => i % 251));
    });

    it('refuses content that is shorter or longer than announced', async () => {
        const error = async (size: number) => {
            try {
                await collect(contentBlocks({ size, chunks: chunksOf([10, 10]) }, 8));
                return 'none';
            } catch (caught) {
                return (caught as Error).message;
            }
        };
        expect(await error(25)).to.match(/ended after 20 of its announced 25 bytes/);
        expect(await error(15)).to.match(/longer than its announced 15 bytes/);
    });
});

describe('merging a folder changed on both sides', () => {
    const folder = (children: Record<string, string>, name?: string): FolderManifest => ({ kind: 'folder', children, updated: 1, updatedBy: 'd', ...(name ? { name } : {}) });
    const [a, b, c, d] = [newEntryId(), newEntryId(), newEntryId(), newEntryId()];
    const rename = (name: string) => `${name} (conflict)`;

    it('keeps what each side added and removed', () => {
        const base = folder({ 'a.txt': a, 'b.txt': b });
        const local = folder({ 'a.txt': a, 'c.txt': c });
        const remote = folder({ 'a.txt': a, 'b.txt': b, 'd.txt': d });
        expect(mergeFolder(base, local, remote, rename).children).to.deep.equal({ 'a.txt': a, 'c.txt': c, 'd.txt': d });
    });

    it('keeps both entries that took one name, this side\'s under another name', () => {
        const merged = mergeFolder(folder({}), folder({ 'plan.txt': c }), folder({ 'plan.txt': d }), rename);
        expect(merged.children).to.deep.equal({ 'plan.txt': d, 'plan.txt (conflict)': c });
    });

    it('follows a local rename, and leaves a name the other side re-pointed', () => {
        expect(mergeFolder(folder({ 'a.txt': a }), folder({ 'b.txt': a }), folder({ 'a.txt': a, 'x.txt': d }), rename).children).to.deep.equal({ 'b.txt': a, 'x.txt': d });
        expect(mergeFolder(folder({ 'a.txt': a }), folder({}), folder({ 'a.txt': d }), rename).children).to.deep.equal({ 'a.txt': d });
    });

    it('keeps the workspace name this side set, or else theirs', () => {
        expect(mergeFolder(folder({}, 'Old'), folder({}, 'Mine'), folder({}, 'Old'), rename).name).to.equal('Mine');
        expect(mergeFolder(folder({}, 'Old'), folder({}, 'Old'), folder({}, 'Theirs'), rename).name).to.equal('Theirs');
    });
});
