import * as fs from 'fs';
import * as path from 'path';

/**
 * The Electron binary `npm run test:electron` drives, found without downloading anything:
 * `VOUCH_ELECTRON` (a path to an executable), else the one the `electron` package installed
 * (`node_modules/electron/dist`, which `npx install-electron` fetches from GitHub). Requiring
 * the `electron` package would start that download on its own: we only look.
 */
export function findElectronBinary(): { readonly path: string } | { readonly missing: string } {
    const given = process.env.VOUCH_ELECTRON;
    if (given) {
        return fs.existsSync(given) ? { path: given } : { missing: `VOUCH_ELECTRON names ${given}, which does not exist.` };
    }
    let packageDir: string;
    try {
        packageDir = path.dirname(require.resolve('electron/package.json'));
    } catch {
        return { missing: 'The electron package is not installed (npm ci installs it with the desktop app).' };
    }
    const pathFile = path.join(packageDir, 'path.txt');
    const executable = fs.existsSync(pathFile) ? path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()) : undefined;
    return executable && fs.existsSync(executable) ? { path: executable } : {
        missing: `The electron package has no binary (${executable ?? path.join(packageDir, 'dist')} is missing); ` +
            'the install skipped its download (ELECTRON_SKIP_BINARY_DOWNLOAD, or no access to GitHub).'
    };
}

/** Run before the suite: says plainly why it cannot run, and fails, when there is no Electron here. */
if (require.main === module) {
    const found = findElectronBinary();
    if ('missing' in found) {
        process.stderr.write([
            'npm run test:electron needs an Electron binary, and this machine has none.',
            found.missing,
            'Fetch it with "npx install-electron" (downloads Electron from GitHub), or point VOUCH_ELECTRON at an electron executable,',
            'then run "npm run test:electron" again. The same scenarios run without Electron in "npm test" (test/src/e2e/desktop.e2e-spec.ts).'
        ].join('\n') + '\n');
        process.exit(1);
    }
    process.stdout.write(`Electron: ${found.path}\n`);
}
