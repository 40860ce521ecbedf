import * as fs from 'fs';
import * as path from 'path';
import { Page } from 'playwright-core';

/** Where the README's pictures live: taken by the end-to-end suite, so they show what a run shows. */
export const SCREENSHOTS_DIR = path.resolve(__dirname, '../../../../docs/screenshots');

/** The whole workbench as the person sees it now, as `docs/screenshots/<name>.png`. */
export async function takeScreenshot(page: Page, name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    // Let the last render and the progress bars settle; a picture is not a timing test.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`) });
}
