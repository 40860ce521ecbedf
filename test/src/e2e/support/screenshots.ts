import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';

/** Where the README's pictures live: taken by the end-to-end suite, so they show what a run shows. */
export const SCREENSHOTS_DIR = path.resolve(__dirname, '../../../../docs/screenshots');

/**
 * The whole workbench as the person sees it now, as `docs/screenshots/<name>.png`, when the run
 * is asked for pictures (`VOUCH_SCREENSHOTS=1 npm run test:e2e`): an ordinary run leaves the
 * clone as it found it.
 */
export async function takeScreenshot(page: Page, name: string): Promise<void> {
    if (process.env.VOUCH_SCREENSHOTS !== '1') {
        return;
    }
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    // Let the last render and the progress bars settle; a picture is not a timing test.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });
}
