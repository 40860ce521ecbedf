// Generates and bundles the Electron application (frontend, preload, backend, main) without
// `theia build`'s prepare step: that step needs the Electron distribution (a binary downloaded
// from GitHub) and replaces its ffmpeg, neither of which the bundle needs. Packaging with
// electron-builder (see the README) brings the Electron distribution where it can be had.
//   node scripts/build.js [--mode development|production]
'use strict';
const path = require('path');
const { ApplicationPackageManager } = require('@theia/application-manager');

async function main() {
    const modeIndex = process.argv.lastIndexOf('--mode');
    const mode = modeIndex > 0 ? process.argv[modeIndex + 1] : 'production';
    if (mode !== 'development' && mode !== 'production') {
        throw new Error(`--mode must be development or production, not ${mode}`);
    }
    const manager = new ApplicationPackageManager({ projectPath: path.resolve(__dirname, '..'), appTarget: 'electron' });
    // What the prepare step would check or download: the app declares `electron` itself.
    manager.prepare = async () => undefined;
    await manager.build(['--mode', mode], { mode });
}

main().catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
