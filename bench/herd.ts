/**
 * How a fleet comes back after an outage: N clients lose the server at the
 * same moment (a crash), retry on their schedule, and the server returns
 * after `outageMs`. Prints, per schedule, the largest share of the fleet
 * arriving in any 100 ms window (the herd the server must absorb) and when
 * half and 99 % of the fleet are back.
 *
 * Run: `npm run bench:herd`. Deterministic (seeded), a few seconds.
 */
import { computeDelay, uniformDelay } from '../src/backoff.js';
import { defaults } from '../src/options.js';
import { seededRandom } from '../test/support/random.js';

const clients = 100_000;
const windowMs = 100;

/** A schedule: the delay before retry `n` (0-based) after the drop. */
type Schedule = (n: number, random: () => number, previousMs: number) => number;

const ours: Schedule = (n, random, previousMs) =>
  // The first retry after losing an open connection takes the fast path, then the backoff schedule.
  n === 0 ? uniformDelay(0, 1_000, random()) : computeDelay(n, defaults.reconnect, random(), previousMs);

/** Plain full jitter, `random * min(cap, base * 2^n)`, with the same base and cap. */
const fullJitter: Schedule = (n, random) => random() * Math.min(10_000, 1_000 * 2 ** n);

/** reconnecting-websocket's defaults: min delay 1-5 s (drawn once), growth 1.3, cap 10 s. */
const reconnectingWebSocket = (): Schedule => {
  let min = 0;
  return (n, random) => {
    if (n === 0) min = 1_000 + random() * 4_000;
    return n === 0 ? 0 : Math.min(10_000, min * 1.3 ** (n - 1));
  };
};

/** socket.io / engine.io-client's defaults: 1 s doubling, ±50 % jitter, cap 5 s. */
const socketIo: Schedule = (n, random) => {
  let ms = 1_000 * 2 ** n;
  const deviation = Math.floor(random() * 0.5 * ms);
  ms = (Math.floor(random() * 10) & 1) === 0 ? ms - deviation : ms + deviation;
  return Math.min(ms, 5_000);
};

/** A fixed schedule without jitter (partysocket, sockette, robust-websocket style). */
const fixed: Schedule = (n) => Math.min(10_000, 1_000 * 1.3 ** n);

function simulate(makeSchedule: () => Schedule, outageMs: number, seed: number): { peak: number; p50: number; p99: number } {
  const random = seededRandom(seed);
  const back = new Float64Array(clients);
  for (let c = 0; c < clients; c++) {
    const schedule = makeSchedule();
    let t = 0;
    let previous = 0;
    // Bounded: even a 1 ms schedule reaches any outage in at most this many steps.
    for (let n = 0; n < 100_000; n++) {
      previous = schedule(n, random, previous);
      t += previous;
      if (t >= outageMs) break;
    }
    back[c] = t - outageMs;
  }
  back.sort();
  const buckets = new Map<number, number>();
  let peak = 0;
  for (const ms of back) {
    const bucket = Math.floor(ms / windowMs);
    const count = (buckets.get(bucket) ?? 0) + 1;
    buckets.set(bucket, count);
    peak = Math.max(peak, count);
  }
  const at = (q: number): number => back[Math.min(clients - 1, Math.floor(q * clients))] ?? 0;
  return { peak: peak / clients, p50: at(0.5), p99: at(0.99) };
}

const schedules: [string, () => Schedule][] = [
  ['resilient-websocket (default)', () => ours],
  ['full jitter, cap 10 s', () => fullJitter],
  ['reconnecting-websocket', reconnectingWebSocket],
  ['socket.io', () => socketIo],
  ['fixed, no jitter', () => fixed],
];

const pad = (text: string, width: number): string => text.padEnd(width);
const percent = (x: number): string => `${(x * 100).toFixed(2)} %`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

console.log(`${clients.toLocaleString('en')} clients lose the server at once; it returns after the outage.`);
console.log(`peak = the largest share arriving in one ${windowMs} ms window; p50 / p99 = time after the return until that share is back.\n`);
for (const outageMs of [30_000, 60_000, 300_000]) {
  console.log(`outage ${seconds(outageMs)}`);
  console.log(`  ${pad('schedule', 32)}${pad('peak', 10)}${pad('p50', 9)}p99`);
  for (const [name, make] of schedules) {
    const { peak, p50, p99 } = simulate(make, outageMs, 42);
    console.log(`  ${pad(name, 32)}${pad(percent(peak), 10)}${pad(seconds(p50), 9)}${seconds(p99)}`);
  }
  console.log('');
}
