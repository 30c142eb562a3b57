/**
 * Turns the raw series into the results table (markdown) and the text
 * printed on the console.
 *
 * @module
 */

import { defaultHeartbeat, idleHeartbeatScale, variants, type BenchConfig, type Variant } from './config.js';
import { heapWarmupConnections, type Measurements, type Series } from './measure.js';
import { median, pairedRatios } from './stats.js';

/** Where and with what the run happened. */
export interface Environment {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly browser: string;
  readonly v8: string;
  readonly userAgent: string;
  readonly ws: string;
  readonly library: string;
  readonly libraryPath: string;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function ratioCell(series: Series, id: Variant['id']): string {
  const { median: mid, min, max } = pairedRatios(series[id], series.native);
  if (!Number.isFinite(mid)) return 'n/a';
  return series[id].length > 1 ? `${twoDecimals.format(mid)} (${twoDecimals.format(min)}-${twoDecimals.format(max)})` : twoDecimals.format(mid);
}

interface Row {
  readonly label: string;
  readonly series: Series;
  readonly format: (value: number) => string;
  /** Whether a ratio to the native value means anything (not for counts where native is 0). */
  readonly ratio: boolean;
  /** Appended to the value of our variants (e.g. the extra bytes over native). */
  readonly extra?: (value: number, native: number) => string;
}

function rows(m: Measurements, config: BenchConfig): Row[] {
  const ms = (value: number): string => (value >= 100 ? integer.format(value) : oneDecimal.format(value));
  const bytes = (value: number): string => `${integer.format(value)} B`;
  const plusBytes = (value: number, native: number): string => ` (${value >= native ? '+' : ''}${integer.format(value - native)} B)`;
  const kib = config.binary.size / 1024;
  return [
    { label: `${integer.format(config.small.count)} small text messages (${config.small.size} chars), pipelined: ms`, series: m.small, format: ms, ratio: true },
    { label: `${integer.format(config.binary.count)} binary ${kib} KiB messages (ArrayBuffer), pipelined: ms`, series: m.binary, format: ms, ratio: true },
    { label: `${integer.format(config.roundTrips)} sequential round trips: p50 µs`, series: m.rttP50, format: integer.format, ratio: true },
    { label: `${integer.format(config.roundTrips)} sequential round trips: p99 µs`, series: m.rttP99, format: integer.format, ratio: true },
    { label: `time to open (median of ${config.opens.count} per run): ms`, series: m.open, format: twoDecimals.format, ratio: true },
    { label: `JS heap per open connection (${config.heap.connections} open)`, series: m.heap, format: bytes, ratio: true, extra: plusBytes },
    { label: `Blink (cppgc) heap per open connection (${config.heap.connections} open)`, series: m.embedderHeap, format: bytes, ratio: true, extra: plusBytes },
    { label: `timer wake-ups per idle connection per minute, measured (heartbeat at ${defaultHeartbeat.intervalMs / idleHeartbeatScale / 1000} s / ${defaultHeartbeat.timeoutMs / idleHeartbeatScale / 1000} s)`, series: m.idle, format: twoDecimals.format, ratio: false },
    {
      label: `timer wake-ups per idle connection per minute at the default heartbeat (${defaultHeartbeat.intervalMs / 1000} s / ${defaultHeartbeat.timeoutMs / 1000} s), scaled`,
      series: { native: m.idle.native, ours: m.idle.ours, heartbeat: m.idle.heartbeat.map((value) => value / idleHeartbeatScale) },
      format: twoDecimals.format,
      ratio: false,
    },
  ];
}

/** The main table, markdown. */
export function resultsTable(m: Measurements, config: BenchConfig): string {
  const [native, ...ours] = variants;
  const header = ['measurement (median)', native!.label, ...ours.flatMap((variant) => [variant.label, 'ratio (min-max)'])];
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const row of rows(m, config)) {
    const nativeValue = median(row.series.native);
    const cells = [row.label, row.format(nativeValue)];
    for (const variant of ours) {
      const value = median(row.series[variant.id]);
      cells.push(`${row.format(value)}${row.extra ? row.extra(value, nativeValue) : ''}`, row.ratio ? ratioCell(row.series, variant.id) : '-');
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Timer calls on the hot path and while idle, markdown. */
export function timersTable(m: Measurements): string {
  const lines = ['| timer calls | ' + variants.map((variant) => variant.label).join(' | ') + ' |', `|---|${variants.map(() => '---:').join('|')}|`];
  const format = (value: number): string => (value === 0 ? '0' : value.toPrecision(3));
  for (const [label, pick] of [
    ['armed per message, pipelined text', (id: Variant['id']) => m.streamTimers[id].armed],
    ['cleared per message, pipelined text', (id: Variant['id']) => m.streamTimers[id].cleared],
    ['fired per message, pipelined text', (id: Variant['id']) => m.streamTimers[id].fired],
    ['armed per idle connection over the idle window', (id: Variant['id']) => m.idleTimers[id].armed],
    ['fired per idle connection over the idle window', (id: Variant['id']) => m.idleTimers[id].fired],
  ] as const) {
    lines.push(`| ${label} | ${variants.map((variant) => format(pick(variant.id))).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The method paragraph. */
export function methodText(config: BenchConfig, env: Environment): string {
  return [
    `Method (\`npm run bench${config.name === 'quick' ? ' -- --quick' : ''}\`, bench/speed.ts). Headless Chromium started by the script with`,
    '`--remote-debugging-pipe` and driven over raw CDP: each page is a `Target.createTarget` target with a flat session on which only',
    'Page and Runtime are enabled (HeapProfiler commands are sent without enabling it); no Network domain, so frames are not reported to',
    'the driver. The page is served from 127.0.0.1 with COOP/COEP (cross-origin isolated, `performance.now()` at 5 µs) and loads, in',
    'order, a probe that wraps `setTimeout`/`setInterval`/`clear*`, the library by script tag (`dist/resilient-websocket.umd.js`), and',
    'the page-side measurements. The server is a `ws` echo server on port 0 of 127.0.0.1 in the driver process (no compression; it answers',
    '`ping` with `pong`). The application code is identical for every variant: `addEventListener`, `send`, `close`, `binaryType`.',
    `Throughput, latency and open times: ${config.reps} repetitions, each in a fresh page, after an unrecorded warm-up of every variant;`,
    'within a repetition each measurement runs the three variants back to back, in an order that rotates and reverses between',
    'repetitions. Pipelined: all messages are sent in one task, the clock stops at the last echo (each echo\'s size is checked). Round',
    `trips: one message in flight. Open: constructor to \`open\`, ${config.opens.gapMs} ms apart (Chromium's ~10 ms per-host lock after each`,
    'handshake), the median of each run. Ratios are taken per repetition against the native run of the same repetition; the table gives',
    `the median ratio and its range. Heap: ${config.heap.reps} fresh page(s) per variant; after ${heapWarmupConnections} connections opened and closed (so code V8 compiles once is not counted per connection), three`,
    `\`HeapProfiler.collectGarbage\`, \`Runtime.getHeapUsage\`, then ${config.heap.connections} connections opened and held, collect again,`,
    `(after - before) / ${config.heap.connections}. Idle timers: ${config.idle.connections} open connections per variant, each variant in its own page,`,
    `timer callbacks counted over ${config.idle.windowMs / 1000} s and extrapolated to a minute; the heartbeat variant there uses`,
    `\`{ intervalMs: ${defaultHeartbeat.intervalMs / idleHeartbeatScale}, timeoutMs: ${defaultHeartbeat.timeoutMs / idleHeartbeatScale} }\` (the defaults / ${idleHeartbeatScale}) so that the window holds several`,
    `cycles; the wake-ups at the defaults are that figure / ${idleHeartbeatScale}. Wall-clock ratios on a shared 2-core VM move by several per`,
    'cent between runs; `bench/callgrind.ts` gives the per-message cost in instructions.',
    '',
    `Run: ${env.date}. Machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, ${env.os}. Node ${env.node}, ws ${env.ws}.`,
    `Browser: ${env.browser} (V8 ${env.v8}), \`${env.userAgent}\`. Library: ${env.library} (${env.libraryPath}).`,
  ].join('\n');
}

/** The whole results file. */
export function resultsMarkdown(m: Measurements, config: BenchConfig, env: Environment): string {
  return [
    `# Speed: ResilientWebSocket against the native WebSocket in Chromium${config.name === 'quick' ? ' (quick run: smaller, fewer repetitions)' : ''}`,
    '',
    resultsTable(m, config),
    '',
    'Ratios are ours / native: above 1 is slower or bigger.',
    '',
    timersTable(m),
    '',
    methodText(config, env),
    '',
  ].join('\n');
}
