/**
 * The local loop, measured in a real browser: a page served from
 * 127.0.0.1 with default options, connected to a `ws` server on 127.0.0.1,
 * which crashes (every socket destroyed, the port closed) and comes back on
 * the same port after 1 s, 30 times. Prints the median and p99 of the time
 * from the server listening again to the page's `open`, and whether the
 * target (median ≤ 1 s, p99 ≤ 2 s) is met.
 *
 * The connection stays up 2 s between restarts by default: shorter than
 * `stableAfterMs` (10 s), so the retry counter is not reset and every drop
 * after the first waits on the schedule's cap, the slow case. `--stable`
 * keeps it up 11 s instead (a developer who edits between restarts: each
 * drop starts with the fast first retry).
 *
 * Run: `npm run bench:local-loop` (builds dist/ first); `-- --engine firefox`
 * or `webkit` for another engine, `-- --restarts 10`, `-- --stable`.
 */
import { parseArgs } from 'node:util';
import type { EngineName } from '../scripts/browsers.js';
import { chromiumDriver } from '../test/browser/support/chromium.js';
import type { BrowserDriver } from '../test/browser/support/driver.js';
import { firefoxDriver } from '../test/browser/support/firefox.js';
import { startPageServer } from '../test/browser/support/page-server.js';
import { quantile, restartLoop } from '../test/browser/support/restarts.js';
import { TestPage } from '../test/browser/support/test-page.js';
import { webkitDriver } from '../test/browser/support/webkit.js';
import { startServer } from '../test/support/ws-server.js';

const drivers: Readonly<Record<EngineName, () => Promise<BrowserDriver>>> = { chromium: chromiumDriver, firefox: firefoxDriver, webkit: webkitDriver };
const target = { medianMs: 1_000, p99Ms: 2_000 };

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'chromium' },
    restarts: { type: 'string', default: '30' },
    stable: { type: 'boolean', default: false },
  },
});
const engine = values.engine as EngineName;
if (!(engine in drivers)) throw new Error(`--engine: expected chromium, firefox or webkit, got ${values.engine}`);
const restarts = Number(values.restarts);
if (!Number.isInteger(restarts) || restarts < 1 || restarts > 200) throw new Error(`--restarts: expected an integer from 1 to 200, got ${values.restarts}`);
const upMs = values.stable ? 11_000 : 2_000;

const driver = await drivers[engine]();
const pageServer = await startPageServer();
const server = await startServer();
try {
  const driverPage = await driver.newPage();
  const page = await TestPage.open(driverPage, pageServer, 'esm', { name: engine, capabilities: driver.capabilities });
  const origin = await driverPage.evaluate(() => location.origin);
  const client = await page.client('developer', server.url);
  const rounds = await restartLoop(client, server, { restarts, downMs: 1_000, backWithinMs: 30_000, upMs });
  const backs = rounds.map((round) => round.backMs);
  const median = quantile(backs, 0.5);
  const p99 = quantile(backs, 0.99);
  const met = median <= target.medianMs && p99 <= target.p99Ms;
  const failed = rounds.reduce((sum, round) => sum + round.failedHandshakes, 0);
  console.log(`${engine}: page ${origin}, server ${server.url}, default options; ${restarts} restarts after 1 s down, up ${upMs / 1_000} s between (${values.stable ? 'stable: retry counter reset' : 'retry counter not reset'})`);
  console.log(`open after the server's return: median ${Math.round(median)} ms, p99 ${Math.round(p99)} ms, max ${Math.round(Math.max(...backs))} ms; ${failed} failed handshakes while down in all`);
  console.log(`longest wait the library chose: ${Math.round(Math.max(...rounds.flatMap((round) => round.delaysMs)))} ms`);
  console.log(`target median <= ${target.medianMs} ms, p99 <= ${target.p99Ms} ms: ${met ? 'met' : 'NOT met'}`);
  await driverPage.close();
} finally {
  await server.close();
  await pageServer.close();
  await driver.close();
}
