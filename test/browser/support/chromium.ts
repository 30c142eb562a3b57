/**
 * Launches the system's headless Chromium through `playwright-core` (never
 * Playwright's own download). A missing Chromium is an error, not a skip:
 * a browser suite that silently does not run proves nothing.
 */

import { chromium, type Browser } from 'playwright-core';
import { chromiumFlags, chromiumHelp, findChromium } from '../../../scripts/ensure-chromium.js';

/**
 * Starts headless Chromium.
 *
 * @param options - `backForwardCache`: leave the back/forward cache on
 *   (Playwright turns it off by default)
 * @throws Error saying how to get a Chromium when none is found
 */
export async function launchChromium(options: { readonly backForwardCache?: boolean } = {}): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error(`The browser tests need Chromium and none was found. ${chromiumHelp} Or run \`npx tsx scripts/ensure-chromium.ts\`.`);
  }
  const ignoreDefaultArgs = options.backForwardCache === true ? ['--disable-back-forward-cache'] : [];
  return chromium.launch({ executablePath, args: [...chromiumFlags], ignoreDefaultArgs, timeout: 60_000 });
}
