/**
 * The block cipher chosen by measurement where it runs most: in the browser. Bundles the
 * protocol's two block ciphers (portable XChaCha20-Poly1305 from @noble/ciphers, WebCrypto
 * AES-256-GCM) with esbuild, runs them in Debian's Chromium, and reports seal and open
 * throughput for 1 KiB and 512 KiB blocks, each block under its own new key as the engine does.
 * `node test/lib/bench/block-cipher-browser.js`; `npm run bench` includes it. Bounded: a fixed
 * byte count per case.
 */
import * as path from 'path';
import { build } from 'esbuild';
import { BLOCK_SIZE } from '@vouch/protocol';
import { launchChromium } from '../e2e/support/chromium';
import { ResultRow, write } from './report';

/** Bytes per case: enough for a stable figure, short enough for the benchmark's budget. */
const BYTES_PER_CASE = 64 * 1024 * 1024;

export interface CipherFigure {
    readonly cipher: string;
    readonly blockSize: number;
    readonly sealMiBs: number;
    readonly openMiBs: number;
}

const PAGE_SCRIPT = `
import { portableBlockCipher, webCryptoAesGcmBlockCipher, newBlockKey } from '@vouch/protocol/lib/workspaces/block-cipher';
import { newEntryId as entry } from '@vouch/protocol/lib/workspaces/manifests';
(globalThis as any).measure = async (blockSize: number, totalBytes: number) => {
    const out = [];
    const workspaceId = entry();
    const data = new Uint8Array(blockSize).map((_, i) => i % 251);
    for (const cipher of [portableBlockCipher, webCryptoAesGcmBlockCipher]) {
        const count = Math.max(1, Math.floor(totalBytes / blockSize));
        const sealed = [];
        let start = performance.now();
        for (let i = 0; i < count; i++) {
            const key = newBlockKey();
            const blockId = entry();
            const box = await cipher.seal(key, workspaceId, blockId, data);
            if (sealed.length < 32) { sealed.push({ key, blockId, box }); }
        }
        const sealMs = performance.now() - start;
        start = performance.now();
        for (let i = 0; i < count; i++) {
            const one = sealed[i % sealed.length];
            if (!await cipher.open(one.key, workspaceId, one.blockId, one.box)) { throw new Error('did not open'); }
        }
        const openMs = performance.now() - start;
        const mib = count * blockSize / 1048576;
        out.push({ cipher: cipher.name, blockSize, sealMiBs: mib * 1000 / sealMs, openMiBs: mib * 1000 / openMs });
    }
    return out;
};
`;

export async function measureBlockCiphersInBrowser(): Promise<CipherFigure[]> {
    const bundled = await build({
        stdin: { contents: PAGE_SCRIPT, resolveDir: path.join(__dirname, '..', '..', '..'), loader: 'ts' },
        bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent'
    });
    const browser = await launchChromium();
    try {
        const page = await browser.newPage();
        // WebCrypto's subtle API exists only in a secure context: a page served as https (by the route below, nothing leaves the machine).
        await page.route('https://cipher-bench.invalid/', route => route.fulfill({
            contentType: 'text/html', body: `<!doctype html><script>${bundled.outputFiles[0].text.replace(/<\/script/g, '<\\/script')}</script>`
        }));
        await page.goto('https://cipher-bench.invalid/');
        const figures: CipherFigure[] = [];
        for (const blockSize of [1024, BLOCK_SIZE]) {
            figures.push(...await page.evaluate(([size, total]) => (globalThis as unknown as { measure(a: number, b: number): Promise<CipherFigure[]> }).measure(size, total),
                [blockSize, blockSize === 1024 ? BYTES_PER_CASE / 16 : BYTES_PER_CASE] as const));
        }
        return figures;
    } finally {
        await browser.close();
    }
}

export function cipherRows(figures: readonly CipherFigure[]): ResultRow[] {
    return figures.map(figure => ({
        scenario: `block cipher in Chromium, ${figure.blockSize === 1024 ? '1 KiB' : '512 KiB'} blocks`, database: '—',
        result: `${figure.cipher}: seal ${figure.sealMiBs.toFixed(1)} MiB/s, open ${figure.openMiBs.toFixed(1)} MiB/s`,
        target: 'the faster one seals blocks', limit: '—', verdict: 'MET' as const, bound: `${figure.blockSize === 1024 ? BYTES_PER_CASE / 16 / 2 ** 20 : BYTES_PER_CASE / 2 ** 20} MiB`
    }));
}

if (require.main === module) {
    measureBlockCiphersInBrowser().then(figures => {
        for (const row of cipherRows(figures)) {
            write(`${row.scenario}: ${row.result}`);
        }
        process.exit(0);
    }, error => {
        process.stderr.write(`measurement failed: ${error instanceof Error ? error.stack : String(error)}\n`);
        process.exit(1);
    });
}
