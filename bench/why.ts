/**
 * Where the wrapper's cost goes, in Chromium: the analysis behind any ratio
 * of bench/speed.ts above 1. The library is bundled from src/ unminified
 * with a source map, so every function is reported at its line in src/.
 *
 * - `--dispatch`: nanoseconds per message through an in-memory fake socket,
 *   alone and wrapped, and the pieces of the re-dispatch on their own
 *   (building a `MessageEvent`, dispatching it, reading its fields).
 * - `--cpu`: CDP CPU profiles of pipelined text, sequential round trips and
 *   opens, per variant: self time per function.
 * - `--heap`: per open connection, the bytes still live by allocating
 *   function (sampling heap profiler, one sample per 32 bytes), and heap
 *   snapshot differences by object kind (which include Blink's objects).
 *
 * Usage:
 *   npx tsx bench/why.ts                       # everything, about 3 minutes
 *   npx tsx bench/why.ts -- --dispatch
 *   npx tsx bench/why.ts -- --cpu --workloads stream,rtt,open
 *   npx tsx bench/why.ts -- --heap --connections 200
 *   npx tsx bench/why.ts -- --lib path/to/umd.js   # another script-tag build (`<path>.map` used if present)
 *
 * Prints and writes bench/results/why.md.
 */

import { findChromium } from '../scripts/chromium.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pageScripts, readLibrary, unminifiedLibrary } from './speed/bundle.js';
import { Browser, type Page } from './speed/cdp.js';
import { variants, type Variant } from './speed/config.js';
import { call, openBenchPage, timeouts } from './speed/measure.js';
import type { DispatchBench } from './speed/page/dispatch.js';
import { revision } from './speed/revision.js';
import { startServer, type BenchServer } from './speed/server.js';
import { cpuProfile, liveAllocations, type CallFrame, type PerFunction } from './why/cpu-profile.js';
import { difference, snapshotByKind } from './why/heap-snapshot.js';
import { SourceMap } from './why/source-map.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: args } = parseArgs({
  options: {
    dispatch: { type: 'boolean', default: false },
    cpu: { type: 'boolean', default: false },
    heap: { type: 'boolean', default: false },
    lib: { type: 'string' },
    chromium: { type: 'string', default: findChromium() ?? '/usr/bin/chromium' },
    connections: { type: 'string', default: '200' },
    workloads: { type: 'string', default: 'stream,rtt,open' },
  },
});

const out: string[] = [];
function print(line = ''): void {
  out.push(line);
  process.stdout.write(`${line}\n`);
}

const pad = (value: number, digits = 0, width = 7): string => value.toFixed(digits).padStart(width);

/** Names a call frame: the library's at its line in src/ (when a source map is known), others at their script line. */
function labeller(map: SourceMap | null): (frame: CallFrame) => string {
  return (frame) => {
    const name = frame.functionName || '(anonymous)';
    if (frame.url === '') return `${name} (native)`;
    const original = frame.url.endsWith('/library.js') ? map?.lookup(frame.lineNumber, frame.columnNumber) : null;
    if (original) return `${name} (${original.source}:${original.line})`;
    return `${name} (${frame.url.replace(/^.*\//, '')}:${frame.lineNumber + 1})`;
  };
}

/** Per-message cost of the fake socket alone, the wrapper, and of each way to forward an event. */
async function dispatchCosts(browser: Browser, server: BenchServer): Promise<void> {
  const { page } = await openBenchPage(browser, server.pageUrl);
  try {
    const perMessage = await page.evaluate<ReturnType<DispatchBench['run']>>('dispatchBench.run(200000, 9)', 300_000);
    const notCopied = await page.evaluate<boolean>('dispatchBench.binaryIsNotCopied()');
    const base = perMessage['path: fake socket alone'] ?? Number.NaN;
    print('## Per message in the page, no network (ns, median of 9 rounds of 200,000)');
    print();
    print('```');
    for (const [name, value] of Object.entries(perMessage)) {
      print(`${pad(value)}  ${name}${name.startsWith('path: ours') ? `  (+${(value - base).toFixed(0)} over the fake alone)` : ''}`);
    }
    print('```');
    print();
    print(`Binary data handed to the application is the ArrayBuffer the socket delivered (no copy): ${notCopied ? 'yes' : 'NO'}.`);
    print();
  } finally {
    await page.close();
  }
}

/** A workload to profile: what it is, how many units (messages, opens) it has, and how to run it for a variant. */
interface Workload {
  readonly title: string;
  readonly unit: string;
  readonly units: number;
  readonly run: (page: Page, variant: Variant, echoUrl: string, units: number) => Promise<unknown>;
}

const workloads: Record<string, Workload> = {
  stream: {
    title: 'pipelined 32-char messages',
    unit: 'message',
    units: 100_000,
    run: (page, variant, url, count) => call(page, 'stream', { socket: variant.socket, url, timeoutMs: timeouts.stream, count, size: 32, binary: false }),
  },
  rtt: {
    title: 'sequential round trips',
    unit: 'round trip',
    units: 5_000,
    run: (page, variant, url, count) => call(page, 'roundTrips', { socket: variant.socket, url, timeoutMs: timeouts.roundTrips, count }),
  },
  open: {
    title: 'opens (constructor to open, then close), 25 ms apart',
    unit: 'open',
    units: 40,
    run: (page, variant, url, count) => call(page, 'openTimes', { socket: variant.socket, url, timeoutMs: timeouts.open, count, gapMs: 25 }),
  },
};

/** Self time per function during `workload`, per variant, after a warm-up run. */
async function cpuProfiles(browser: Browser, server: BenchServer, workload: Workload, label: (frame: CallFrame) => string): Promise<void> {
  const { page } = await openBenchPage(browser, server.pageUrl);
  const per = (ms: number): string => pad((ms * 1e6) / workload.units);
  const sum = (entries: readonly PerFunction[]): number => entries.reduce((total, entry) => total + entry.amount, 0);
  try {
    print(`## CPU profile: ${workload.units.toLocaleString('en-US')} ${workload.title}, self time per function (ns per ${workload.unit})`);
    print();
    for (const variant of variants) {
      await workload.run(page, variant, server.echoUrl, Math.ceil(workload.units / 10));
      const self = await cpuProfile(page, 50, () => workload.run(page, variant, server.echoUrl, workload.units));
      const busy = sum(self.filter((entry) => entry.callFrame.functionName !== '(idle)'));
      const library = sum(self.filter((entry) => entry.callFrame.url.endsWith('/library.js')));
      print(`### ${variant.label}: ${busy.toFixed(0)} ms busy (${per(busy).trim()} ns per ${workload.unit}), of which library functions ${library.toFixed(1)} ms (${per(library).trim()} ns)`);
      print();
      print('```');
      print(`     ms   ns/${workload.unit.split(' ')[0]}  function`);
      for (const entry of self.filter((e) => e.callFrame.functionName !== '(idle)').slice(0, 16)) print(`${pad(entry.amount, 1)} ${per(entry.amount)}  ${label(entry.callFrame)}`);
      print('```');
      print();
    }
  } finally {
    await page.close();
  }
}

/** Heap per connection by allocating function and by object kind, per variant. */
async function heapPerConnection(browser: Browser, server: BenchServer, connections: number, label: (frame: CallFrame) => string): Promise<void> {
  print(`## Heap per open connection (${connections} connections opened and held)`);
  print();
  for (const variant of variants) {
    const { page } = await openBenchPage(browser, server.pageUrl);
    try {
      const spec = { socket: variant.socket, url: server.echoUrl, timeoutMs: timeouts.hold };
      await call(page, 'hold', { ...spec, count: 2 });
      await call(page, 'release');
      const before = await snapshotByKind(page);
      const live = await liveAllocations(page, 32, () => call(page, 'hold', { ...spec, count: connections }));
      const after = await snapshotByKind(page);
      await call(page, 'release');
      const total = live.reduce((sum, entry) => sum + entry.amount, 0) / connections;
      print(`### ${variant.label}: V8 heap still live per connection, by allocating function (sampled): ${total.toFixed(0)} B`);
      print();
      print('```');
      print('  bytes  function');
      for (const entry of live.slice(0, 25)) print(`${pad(entry.amount / connections)}  ${label(entry.callFrame)}`);
      print('```');
      print();
      const kinds = difference(before, after, connections);
      print(`### ${variant.label}: snapshot difference by object kind: ${kinds.reduce((sum, row) => sum + row.bytes, 0).toFixed(0)} B per connection`);
      print();
      print('```');
      print('  bytes  objects  kind');
      for (const row of kinds.slice(0, 30)) print(`${pad(row.bytes)} ${pad(row.count, 2, 8)}  ${row.key}`);
      print('```');
      print();
    } finally {
      await page.close();
    }
  }
}

async function main(): Promise<void> {
  const all = !args.dispatch && !args.cpu && !args.heap;
  const selected = args.workloads.split(',').map((name) => {
    const workload = workloads[name];
    if (!workload) throw new Error(`unknown workload ${name}; use ${Object.keys(workloads).join(',')}`);
    return workload;
  });
  const library = args.lib ? await readLibrary(args.lib) : await unminifiedLibrary();
  const label = labeller(library.map ? new SourceMap(library.map) : null);
  const server = await startServer(await pageScripts(library.code, true));
  const browser = await Browser.launch(args.chromium);
  const watchdog = setTimeout(() => {
    process.stderr.write('[why] still running after 10 min: aborting\n');
    void browser.close().finally(() => process.exit(2));
  }, 10 * 60_000);
  try {
    print(`# Where the wrapper's cost goes (bench/why.ts; library: ${args.lib ?? `src/ at ${revision(root)}, bundled unminified`}; ${new Date().toISOString()})`);
    print();
    if (all || args.dispatch) await dispatchCosts(browser, server);
    if (all || args.cpu) for (const workload of selected) await cpuProfiles(browser, server, workload, label);
    if (all || args.heap) await heapPerConnection(browser, server, Number(args.connections), label);
    await mkdir(`${root}bench/results`, { recursive: true });
    await writeFile(`${root}bench/results/why.md`, `${out.join('\n')}\n`);
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
