/**
 * How a fleet comes back after an outage, measured on the library itself:
 * 20,000 `ResilientWebSocket` instances with default options, a simulated
 * clock (binary-heap timers, seeded random) and an in-memory socket. Every
 * connection drops at once (a crash: 1006; a deploy: the server closes all
 * with 1001 or 1012), attempts fail while the server is down and open once
 * it is back. Per event and outage it prints the largest share of the fleet
 * opening in any sliding 100 ms window, when half and 99 % are back, and
 * how many never came back; then a lone client's blip with the server up;
 * then the backoff formulas alone, ours beside other libraries'.
 *
 * Clients do not interact (the simulated server has no capacity limit), so
 * the fleet runs as shards of 5,000 on their own clocks, in worker threads,
 * and the arrivals are merged: the figures do not depend on how many
 * workers ran. Seeded: the numbers repeat.
 *
 * Run: `npm run bench:herd` (bundles this file, then runs it with Node).
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { runFleet, type FleetEvent } from './herd/fleet.js';
import { schedules, simulateSchedule } from './herd/formulas.js';
import { herdFigures, windowMs, type HerdFigures } from './herd/stats.js';

/** One shard of one row, as sent to a worker. */
interface Job {
  readonly row: number;
  readonly event: FleetEvent;
  readonly outageMs: number;
  readonly clients: number;
  readonly seed: number;
}

/** What a worker sends back. */
interface Done {
  readonly row: number;
  readonly backMs: Float64Array;
  readonly timersLeft: number;
}

const fleet = 20_000;
const shardSize = 5_000;
const limits = { peak: 0.02, p99Ms: 10_000, blipMedianMs: 1_000 };

const rows: readonly (readonly [FleetEvent, number])[] = [
  ...[1, 2, 5, 15, 30, 60, 600].map((s) => ['crash', s * 1_000] as const),
  ...[0.5, 2, 10].map((s) => ['deploy-1001', s * 1_000] as const),
  ...[0.5, 2, 10].map((s) => ['deploy-1012', s * 1_000] as const),
  ['blip', 0],
];

if (!isMainThread) {
  parentPort!.on('message', (job: Job) => {
    void runFleet(job).then(({ backMs, timersLeft }) => {
      const done: Done = { row: job.row, backMs, timersLeft };
      parentPort!.postMessage(done, [backMs.buffer as ArrayBuffer]);
    });
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const started = performance.now();
  const jobs: Job[] = [];
  rows.forEach(([event, outageMs], row) => {
    for (let shard = 0; shard < fleet / shardSize; shard++) jobs.push({ row, event, outageMs, clients: shardSize, seed: 1_000 * row + shard + 1 });
  });
  // The longest jobs first, so the pool ends together.
  jobs.sort((a, b) => b.outageMs - a.outageMs);
  const arrivals = rows.map((): Float64Array[] => []);
  let timersLeft = 0;
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  await Promise.all(
    Array.from({ length: Math.min(workers, jobs.length) }, async () => {
      const worker = new Worker(new URL(import.meta.url));
      let settle: { resolve: (done: Done) => void; reject: (error: unknown) => void } | undefined;
      worker.on('message', (done: Done) => settle?.resolve(done));
      worker.on('error', (error) => settle?.reject(error));
      try {
        for (let job = jobs.shift(); job; job = jobs.shift()) {
          const sent = job;
          const done = await new Promise<Done>((resolve, reject) => {
            settle = { resolve, reject };
            worker.postMessage(sent);
          });
          arrivals[done.row]!.push(done.backMs);
          timersLeft += done.timersLeft;
        }
      } finally {
        await worker.terminate();
      }
    }),
  );

  const figures = arrivals.map((shards) => {
    const merged = new Float64Array(shards.reduce((n, shard) => n + shard.length, 0));
    let offset = 0;
    for (const shard of shards) {
      merged.set(shard, offset);
      offset += shard.length;
    }
    return herdFigures(merged.sort(), fleet);
  });

  const eventName: Record<FleetEvent, string> = { crash: 'crash (1006)', 'deploy-1001': 'deploy (1001)', 'deploy-1012': 'deploy (1012)', blip: '' };
  console.log(`${fleet.toLocaleString('en')} ResilientWebSocket clients, default options; every connection drops at once.`);
  console.log(`peak = the largest share opening in any sliding ${windowMs} ms window; p50 / p99 = time after the server's return until that share is back.`);
  console.log(`limits: peak <= ${percent(limits.peak)}, p99 <= ${seconds(limits.p99Ms)}, every client back; lone blip median <= ${seconds(limits.blipMedianMs)}.\n`);
  console.log('| event | server back after | peak / 100 ms | p50 | p99 | never back | limits |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  let met = true;
  rows.forEach(([event, outageMs], row) => {
    if (event === 'blip') return;
    const f = figures[row]!;
    const ok = f.peak <= limits.peak && f.p99Ms <= limits.p99Ms && f.neverBack === 0;
    met &&= ok;
    console.log(`| ${eventName[event]} | ${seconds(outageMs)} | ${percent(f.peak)} | ${seconds(f.p50Ms)} | ${seconds(f.p99Ms)} | ${f.neverBack} | ${ok ? 'met' : 'NOT met'} |`);
  });
  const blip = figures[rows.findIndex(([event]) => event === 'blip')]!;
  const blipOk = blip.p50Ms <= limits.blipMedianMs && blip.neverBack === 0;
  met &&= blipOk;
  console.log(`\nlone client, own network blip (1006), server up: back after a median of ${seconds(blip.p50Ms)} (p99 ${seconds(blip.p99Ms)}): ${blipOk ? 'met' : 'NOT met'}`);
  console.log(`timers left after every client was disposed: ${timersLeft}`);

  const clients = 100_000;
  console.log(`\nThe formulas alone, ${clients.toLocaleString('en')} clients after a crash (no class, no handshake):\n`);
  const outages = [2_000, 5_000, 30_000, 60_000];
  console.log(`| schedule | ${outages.map((ms) => `${seconds(ms)}: peak, p99`).join(' | ')} |`);
  console.log(`| --- |${outages.map(() => ' ---: |').join('')}`);
  for (const [name, make] of schedules) {
    const cells = outages.map((ms) => cell(simulateSchedule(make, ms, clients, 42)));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  console.log(`\n${met ? 'Every limit met' : 'Some limit NOT met'}; ${workers} worker(s), ${seconds(performance.now() - started)}.`);
  if (!met || timersLeft !== 0) process.exitCode = 1;
}

function cell(f: HerdFigures): string {
  return `${percent(f.peak)}, ${seconds(f.p99Ms)}`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(2)} %`;
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : 'never';
}
