/**
 * The backoff formulas alone, ours beside other libraries' defaults: each
 * client walks its schedule from the drop, and returns at its first attempt
 * at or after the server's return. No class, no handshake: this compares
 * schedules, the fleet run measures the library.
 *
 * @module
 */
import { computeDelay, uniformDelay } from '../../src/core/backoff.js';
import { defaults } from '../../src/core/options.js';
import { seededRandom } from '../../test/support/random.js';
import { herdFigures, type HerdFigures } from './stats.js';

/** A schedule: the delay before retry `n` (0-based) after the drop. */
type Schedule = (n: number, random: () => number, previousMs: number) => number;

/** Ours after a crash: the fast first retry (policy), then the schedule from its step 0. */
const ours: Schedule = (n, random, previousMs) =>
  n === 0 ? uniformDelay(0, 1_000, random()) : computeDelay(n - 1, defaults.reconnect, random(), previousMs);

/** Our previous default: the fast first retry, then full jitter with a floor from base 1 s, near-constant at the cap. */
const oursBefore: Schedule = (n, random, previousMs) =>
  n === 0 ? uniformDelay(0, 1_000, random()) : computeDelay(n, { ...defaults.reconnect, strategy: 'full-jitter' }, random(), previousMs);

/** Plain full jitter, `random * min(cap, base * 2^n)`, with base 1 s and cap 10 s. */
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

/** The schedules compared, by name; each call makes one client's schedule. */
export const schedules: readonly (readonly [string, () => Schedule])[] = [
  ['resilient-websocket (spread)', () => ours],
  ['resilient-websocket (before)', () => oursBefore],
  ['full jitter, cap 10 s', () => fullJitter],
  ['reconnecting-websocket', reconnectingWebSocket],
  ['socket.io', () => socketIo],
  ['fixed, no jitter', () => fixed],
];

/** The figures of `clients` clients walking `makeSchedule` through an outage of `outageMs`. */
export function simulateSchedule(makeSchedule: () => Schedule, outageMs: number, clients: number, seed: number): HerdFigures {
  const random = seededRandom(seed);
  const back = new Float64Array(clients);
  for (let c = 0; c < clients; c++) {
    const schedule = makeSchedule();
    let t = 0;
    let previous = 0;
    // Bounded: even a 1 ms schedule reaches any outage in at most this many steps.
    for (let n = 0; n < 1_000_000; n++) {
      previous = schedule(n, random, previous);
      t += previous;
      if (t >= outageMs) break;
    }
    back[c] = t - outageMs;
  }
  return herdFigures(back.sort(), clients);
}
