import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.VOUCH_CHROMIUM || '/usr/bin/chromium';

/** `extraArgs`: e.g. the desktop app's windows load their workbench from files. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
    return chromium.launch({
        executablePath: CHROMIUM_PATH,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...extraArgs]
    });
}
