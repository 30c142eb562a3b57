/**
 * Takes the README's screenshot of the React example: built app (`npm run
 * build:examples`), a local server, a message sent, then a server crash so
 * the page shows the 1006 with its explanation, and the reconnect.
 *
 *   npx tsx scripts/screenshot-example.ts   → docs/example-react.png
 */

import { chromium } from 'playwright-core';
import { startStaticServer } from '../test/browser/support/static-server.js';
import { startServer } from '../test/support/ws-server.js';
import { chromiumFlags, findChromium } from './chromium.js';

const executablePath = findChromium();
if (executablePath === undefined) throw new Error('No Chromium found: run `BROWSERS=chromium npx tsx scripts/ensure-browsers.ts`');
const server = await startServer();
const files = await startStaticServer();
const browser = await chromium.launch({ executablePath, args: [...chromiumFlags] });
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 320 } });
  await page.goto(`${files.origin}examples/react/dist/index.html?ws=${encodeURIComponent(server.url)}`);
  const shows = (selector: string, text: string) =>
    page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent?.trim() === t, [selector, text] as const, { timeout: 15_000 });
  await shows('[data-state]', 'open');
  for (const text of ['hello', 'subscribe prices']) {
    await page.fill('input', text);
    await page.click('button[type=submit]');
    await shows('[data-log] li:last-child', text);
  }
  server.crash();
  await shows('[data-close-code]', '1006');
  await shows('[data-state]', 'open');
  await page.fill('input', 'back again');
  await page.click('button[type=submit]');
  await shows('[data-log] li:last-child', 'back again');
  await page.screenshot({ path: 'docs/example-react.png' });
  console.log('wrote docs/example-react.png');
} finally {
  await browser.close();
  await files.close();
  await server.close();
}
