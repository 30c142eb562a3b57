/**
 * The driver side of each measurement: fresh pages, paired runs in
 * alternating order, garbage collection and heap readings over CDP.
 *
 * @module
 */

import type { Browser, Page } from './cdp.js';
import { variants, type BenchConfig, type Variant } from './config.js';
import type { PageBench } from './page/bench.js';
import type { PageInfo, TimerCounts } from './page/protocol.js';
import { orderFor } from './stats.js';

/** Everything measured but the page's report on itself, filled in as the run goes. */
type Collected = Omit<Measurements, 'page'>;

/** A per-repetition series for every variant. */
export type Series = Record<Variant['id'], number[]>;

/** Everything one run measured. */
export interface Measurements {
  /** Pipelined small text, ms per run. */
  readonly small: Series;
  /** Pipelined binary, ms per run. */
  readonly binary: Series;
  /** Round-trip median, µs per run. */
  readonly rttP50: Series;
  /** Round-trip 99th percentile, µs per run. */
  readonly rttP99: Series;
  /** Median time to open, ms per run. */
  readonly open: Series;
  /** JS heap (V8) per open connection, bytes per run. */
  readonly heap: Series;
  /** Blink's garbage-collected heap (cppgc, where the native socket object lives) per open connection, bytes per run. */
  readonly embedderHeap: Series;
  /** Timer callbacks per idle connection per minute (one run). */
  readonly idle: Series;
  /** Timer calls during the pipelined runs, per message. */
  readonly streamTimers: Record<Variant['id'], TimerCounts>;
  /** Timer calls per idle connection during the idle window. */
  readonly idleTimers: Record<Variant['id'], TimerCounts>;
  /** The page's report on itself. */
  readonly page: PageInfo;
}

type Log = (line: string) => void;
type BenchFunction = keyof PageBench;
type Result<K extends BenchFunction> = Awaited<ReturnType<PageBench[K]>>;

/** Calls `bench[name](...args)` in the page. */
export function call<K extends BenchFunction>(page: Page, name: K, ...args: Parameters<PageBench[K]>): Promise<Result<K>> {
  return page.evaluate<Result<K>>(`bench.${name}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`);
}

function emptySeries(): Series {
  return { native: [], ours: [], heartbeat: [] };
}

function emptyTimers(): Record<Variant['id'], TimerCounts> {
  return { native: { armed: 0, cleared: 0, fired: 0 }, ours: { armed: 0, cleared: 0, fired: 0 }, heartbeat: { armed: 0, cleared: 0, fired: 0 } };
}

function addTimers(total: TimerCounts, more: TimerCounts, scale: number): void {
  total.armed += more.armed * scale;
  total.cleared += more.cleared * scale;
  total.fired += more.fired * scale;
}

/** Bounded page-side timeouts: generous, far above any expected run. */
export const timeouts = { stream: 90_000, roundTrips: 90_000, open: 10_000, hold: 60_000 } as const;

/** Opens a page and checks that it is what the measurements assume. */
export async function openBenchPage(browser: Browser, pageUrl: string): Promise<{ page: Page; info: PageInfo }> {
  const page = await browser.openPage(pageUrl);
  const info = await call(page, 'info');
  if (!info.libraryLoaded) throw new Error('The library bundle did not load in the page');
  if (!info.crossOriginIsolated) throw new Error('The page is not cross-origin isolated: performance.now() would be coarse');
  return { page, info };
}

/** The throughput, latency and open-time runs of one repetition, in one fresh page. */
async function repetition(browser: Browser, pageUrl: string, echoUrl: string, config: BenchConfig, rep: number, into: Collected, log: Log): Promise<PageInfo> {
  const { page, info } = await openBenchPage(browser, pageUrl);
  try {
    for (const variant of variants) {
      const base = { socket: variant.socket, url: echoUrl, timeoutMs: timeouts.stream };
      await call(page, 'stream', { ...base, count: config.warmup.small, size: config.small.size, binary: false });
      await call(page, 'stream', { ...base, count: config.warmup.binary, size: config.binary.size, binary: true });
      await call(page, 'roundTrips', { ...base, count: config.warmup.roundTrips });
    }
    const order = orderFor(variants, rep);
    log(`rep ${rep + 1}/${config.reps}, order ${order.map((variant) => variant.id).join(' > ')}`);
    for (const variant of order) {
      const result = await call(page, 'stream', { socket: variant.socket, url: echoUrl, timeoutMs: timeouts.stream, ...config.small, binary: false });
      into.small[variant.id].push(result.ms);
      addTimers(into.streamTimers[variant.id], result.timers, 1 / (config.small.count * config.reps));
    }
    for (const variant of order) {
      const result = await call(page, 'stream', { socket: variant.socket, url: echoUrl, timeoutMs: timeouts.stream, ...config.binary, binary: true });
      into.binary[variant.id].push(result.ms);
    }
    for (const variant of order) {
      const result = await call(page, 'roundTrips', { socket: variant.socket, url: echoUrl, timeoutMs: timeouts.roundTrips, count: config.roundTrips });
      into.rttP50[variant.id].push(result.p50Us);
      into.rttP99[variant.id].push(result.p99Us);
    }
    for (const variant of order) {
      const times = await call(page, 'openTimes', { socket: variant.socket, url: echoUrl, timeoutMs: timeouts.open, ...config.opens });
      const sorted = [...times].sort((a, b) => a - b);
      into.open[variant.id].push(sorted[sorted.length >> 1]!);
    }
    return info;
  } finally {
    await page.close();
  }
}

/** Sockets opened and closed before a heap measurement, enough for V8 to compile the paths it takes. */
export const heapWarmupConnections = 50;

/** Full garbage collections, then the heap sizes. */
async function collectedHeap(page: Page): Promise<{ used: number; embedder: number }> {
  for (let i = 0; i < 3; i++) await page.send('HeapProfiler.collectGarbage');
  const usage = await page.send<{ usedSize: number; embedderHeapUsedSize?: number }>('Runtime.getHeapUsage');
  return { used: usage.usedSize, embedder: usage.embedderHeapUsedSize ?? Number.NaN };
}

/** Heap per open connection for one variant, in a fresh page. */
async function heapPerConnection(browser: Browser, pageUrl: string, echoUrl: string, variant: Variant, connections: number): Promise<{ used: number; embedder: number }> {
  const { page } = await openBenchPage(browser, pageUrl);
  try {
    const spec = { socket: variant.socket, url: echoUrl, timeoutMs: timeouts.hold };
    // Warm up first, so code compiled and caches filled on first use are not counted per connection:
    // with 2 sockets, V8 optimized the library's functions during the measured run, and that code
    // (about 45 kB with the heartbeat) was divided among the connections.
    await call(page, 'hold', { ...spec, count: heapWarmupConnections });
    await call(page, 'release');
    const before = await collectedHeap(page);
    const held = await call(page, 'hold', { ...spec, count: connections });
    if (held !== connections) throw new Error(`expected ${connections} open sockets, have ${held}`);
    const after = await collectedHeap(page);
    await call(page, 'release');
    return { used: (after.used - before.used) / connections, embedder: (after.embedder - before.embedder) / connections };
  } finally {
    await page.close();
  }
}

/**
 * Timer callbacks of idle connections: one page per variant, all idle over
 * the same window, read before and after.
 */
async function idleTimers(browser: Browser, pageUrl: string, echoUrl: string, config: BenchConfig, into: Collected, log: Log): Promise<void> {
  const { connections, windowMs } = config.idle;
  const pages = await Promise.all(variants.map(() => openBenchPage(browser, pageUrl)));
  try {
    for (const [i, variant] of variants.entries()) {
      await call(pages[i]!.page, 'hold', { socket: variant.idleSocket, url: echoUrl, timeoutMs: timeouts.hold, count: connections });
    }
    const start = await Promise.all(pages.map(({ page }) => call(page, 'timers')));
    log(`idle: ${connections} connections per variant, counting timers for ${windowMs / 1_000} s`);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const end = await Promise.all(pages.map(({ page }) => call(page, 'timers')));
    for (const [i, variant] of variants.entries()) {
      const delta = { armed: end[i]!.armed - start[i]!.armed, cleared: end[i]!.cleared - start[i]!.cleared, fired: end[i]!.fired - start[i]!.fired };
      into.idle[variant.id].push((delta.fired / connections) * (60_000 / windowMs));
      addTimers(into.idleTimers[variant.id], delta, 1 / connections);
    }
    await Promise.all(pages.map(({ page }) => call(page, 'release')));
  } finally {
    await Promise.all(pages.map(({ page }) => page.close()));
  }
}

/**
 * Runs every measurement of `config` and returns the raw series.
 *
 * @param log - progress lines (to stderr)
 */
export async function measureAll(browser: Browser, pageUrl: string, echoUrl: string, config: BenchConfig, log: Log): Promise<Measurements> {
  const into: Collected = {
    small: emptySeries(),
    binary: emptySeries(),
    rttP50: emptySeries(),
    rttP99: emptySeries(),
    open: emptySeries(),
    heap: emptySeries(),
    embedderHeap: emptySeries(),
    idle: emptySeries(),
    streamTimers: emptyTimers(),
    idleTimers: emptyTimers(),
  };
  let page: PageInfo | undefined;
  for (let rep = 0; rep < config.reps; rep++) page = await repetition(browser, pageUrl, echoUrl, config, rep, into, log);
  for (let rep = 0; rep < config.heap.reps; rep++) {
    const order = orderFor(variants, rep);
    log(`heap ${rep + 1}/${config.heap.reps}: ${config.heap.connections} connections, order ${order.map((variant) => variant.id).join(' > ')}`);
    for (const variant of order) {
      const { used, embedder } = await heapPerConnection(browser, pageUrl, echoUrl, variant, config.heap.connections);
      into.heap[variant.id].push(used);
      into.embedderHeap[variant.id].push(embedder);
    }
  }
  await idleTimers(browser, pageUrl, echoUrl, config, into, log);
  if (!page) throw new Error('no repetition ran');
  return { ...into, page };
}


/** Native pipelined text with the CDP Network domain off (as measured) and on. */
export interface NetworkCheck {
  readonly messages: number;
  /** ms, the median of two runs before and after. */
  readonly withoutNetwork: number;
  readonly withNetwork: number;
}

/**
 * Shows that the measured pages are not slowed by CDP's Network domain:
 * the native socket's pipelined text run on a page as the benchmark uses
 * it, then with `Network.enable` (what a Playwright page has), then without again.
 */
export async function networkCheck(browser: Browser, pageUrl: string, echoUrl: string, config: BenchConfig): Promise<NetworkCheck> {
  const { page } = await openBenchPage(browser, pageUrl);
  try {
    const spec = { socket: variants[0]!.socket, url: echoUrl, timeoutMs: timeouts.stream, count: config.small.count / 2, size: config.small.size, binary: false };
    await call(page, 'stream', { ...spec, count: config.warmup.small });
    const before = await call(page, 'stream', spec);
    await page.send('Network.enable');
    const withNetwork = await call(page, 'stream', spec);
    await page.send('Network.disable');
    const after = await call(page, 'stream', spec);
    return { messages: spec.count, withoutNetwork: (before.ms + after.ms) / 2, withNetwork: withNetwork.ms };
  } finally {
    await page.close();
  }
}
