/**
 * Launches the system's headless Chromium through `playwright-core` (never
 * Playwright's own download). A missing Chromium is an error, not a skip:
 * a browser suite that silently does not run proves nothing.
 */

import { chromium, type Browser } from 'playwright-core';
import { chromiumHelp, findChromium } from '../../../scripts/ensure-chromium.js';

/** The flags the suite runs Chromium with: headless, and no background traffic of its own. */
export const chromiumArgs: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts headless Chromium.
 *
 * @throws Error saying how to get a Chromium when none is found
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (executablePath === undefined) {
    throw new Error(`The browser tests need Chromium and none was found. ${chromiumHelp} Or run \`npx tsx scripts/ensure-chromium.ts\`.`);
  }
  return chromium.launch({ executablePath, args: [...chromiumArgs], timeout: 60_000 });
}
