/**
 * Speed of ResilientWebSocket against the native WebSocket, in headless
 * Chromium against a local `ws` echo server: pipelined text and binary
 * throughput, round-trip latency, time to open, heap per connection and
 * timer wake-ups while idle. Prints a table and writes
 * bench/results/speed.md.
 *
 * Usage:
 *   npm run build && npm run bench                # full run, ~6 min
 *   npm run bench -- --quick                      # smoke run, ~1 min (writes speed-quick.md)
 *   npm run bench -- --lib path/to/bundle.js      # another script-tag build of the library
 *   npm run bench -- --chromium /path/to/chromium # default: as npm test finds it (CHROMIUM_PATH, /usr/bin/chromium...)
 *   npm run bench -- --check-network              # first show what CDP's Network domain would cost (not used in the runs)
 *
 * The method (raw CDP, no Network domain, COOP/COEP pages, paired runs in
 * alternating order) follows the notes on measuring WebSockets in headless
 * Chromium; see the method paragraph written with the results.
 */

import { findChromium } from '../scripts/chromium.js';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pageScripts, readLibrary } from './speed/bundle.js';
import { Browser } from './speed/cdp.js';
import { fullConfig, quickConfig } from './speed/config.js';
import { measureAll, networkCheck } from './speed/measure.js';
import { resultsMarkdown, resultsTable, timersTable, type Environment } from './speed/report.js';
import { revision } from './speed/revision.js';
import { startServer } from './speed/server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The whole run must end by itself: abort past this. */
const watchdogMs = 15 * 60_000;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    lib: { type: 'string', default: `${root}dist/resilient-websocket.umd.js` },
    chromium: { type: 'string', default: findChromium() ?? '/usr/bin/chromium' },
    out: { type: 'string' },
    'check-network': { type: 'boolean', default: false },
  },
});

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function packageVersion(path: string): Promise<string> {
  const json = JSON.parse(await readFile(path, 'utf8')) as { version?: string };
  return json.version ?? 'unknown';
}

/** Where and with what this run happens. */
async function environment(browser: Browser, userAgent: string, libraryPath: string): Promise<Environment> {
  const version = await browser.send<{ product: string; jsVersion: string }>('Browser.getVersion');
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    browser: version.product,
    v8: version.jsVersion,
    userAgent,
    ws: await packageVersion(`${root}node_modules/ws/package.json`),
    library: `resilient-websocket ${await packageVersion(`${root}package.json`)} at ${revision(root)}`,
    libraryPath: libraryPath.startsWith(root) ? libraryPath.slice(root.length) : libraryPath,
  };
}

async function main(): Promise<void> {
  const config = args.quick ? quickConfig : fullConfig;
  const outPath = args.out ?? `${root}bench/results/${args.quick ? 'speed-quick' : 'speed'}.md`;
  const started = Date.now();
  const server = await startServer(await pageScripts((await readLibrary(args.lib)).code));
  const browser = await Browser.launch(args.chromium);
  const watchdog = setTimeout(() => {
    log(`still running after ${watchdogMs / 60_000} min: aborting`);
    void browser.close().finally(() => process.exit(2));
  }, watchdogMs);
  try {
    log(`${config.name} run; page ${server.pageUrl}, echo ${server.echoUrl}`);
    let networkNote = '';
    if (args['check-network']) {
      const check = await networkCheck(browser, server.pageUrl, server.echoUrl, config);
      networkNote = `Check: native, ${check.messages.toLocaleString('en-US')} pipelined messages: ${check.withoutNetwork.toFixed(0)} ms as measured here, ${check.withNetwork.toFixed(0)} ms with CDP's Network domain enabled (x${(check.withNetwork / check.withoutNetwork).toFixed(2)}).`;
      log(networkNote);
    }
    const measurements = await measureAll(browser, server.pageUrl, server.echoUrl, config, log);
    const env = await environment(browser, measurements.page.userAgent, args.lib);
    const markdown = resultsMarkdown(measurements, config, env) + (networkNote ? `\n${networkNote}\n` : '');
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    await writeFile(outPath, markdown);
    process.stdout.write(`\n${resultsTable(measurements, config)}\n\n${timersTable(measurements)}\n\n`);
    log(`done in ${Math.round((Date.now() - started) / 1000)} s; written to ${outPath}`);
  } finally {
    clearTimeout(watchdog);
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
