/**
 * Reconnect delays. Pure functions of the retry number, the previous delay
 * and a random sample, so that every schedule is reproducible under test.
 *
 * @module
 */

/** The shapes of schedule {@link computeDelay} knows. */
export const BackoffStrategy = {
  /**
   * Full jitter with a floor while the delay grows, then near-constant
   * steps in [0.8 cap, cap] once it reaches the cap. The default.
   */
  FullJitter: 'full-jitter',
  /** Half fixed, half random: `floor + d/2 + random * d/2` with `d = min(cap, base * 2^n)`. */
  Equal: 'equal',
  /** `random` in [base, 3 * previous], capped (AWS's "decorrelated jitter"). */
  Decorrelated: 'decorrelated',
  /** No randomness: `floor + base * 2^n`, capped. Only for tests and single clients. */
  None: 'none',
} as const;

/** One of the {@link BackoffStrategy} values. */
export type BackoffStrategy = (typeof BackoffStrategy)[keyof typeof BackoffStrategy];

/** The parameters of a backoff schedule, all in milliseconds. */
export interface BackoffOptions {
  /** The schedule's shape. */
  readonly strategy: BackoffStrategy;
  /** The growth base: retry `n` may wait up to `baseDelayMs * 2^n` (before the floor). */
  readonly baseDelayMs: number;
  /** The floor added under the random part; no delay is shorter. */
  readonly minDelayMs: number;
  /** The cap; no delay is longer. */
  readonly maxDelayMs: number;
}

/** The fraction of the cap that near-constant steps at the cap start from. */
const plateauFloor = 0.8;

/**
 * The delay before retry number `retry` (0 for the first retry).
 *
 * With the default `full-jitter` strategy, while `minDelayMs + baseDelayMs *
 * 2^retry` is below the cap, the delay is `minDelayMs + random * baseDelayMs
 * * 2^retry`; from there on it is uniform in [0.8 cap, cap]. After an outage
 * a fleet of clients is at the cap with random phases, so near-constant
 * steps bring it back spread evenly over one cap instead of in a spike (full
 * jitter at the cap piles clients up near zero delay).
 *
 * @param retry - how many retries came before this one (0-based)
 * @param options - the schedule
 * @param random - a sample in [0, 1)
 * @param previousDelayMs - the delay chosen last time (used by `decorrelated`)
 * @returns a delay in [minDelayMs, maxDelayMs], never negative or NaN
 */
export function computeDelay(
  retry: number,
  options: BackoffOptions,
  random: number,
  previousDelayMs = 0,
): number {
  const cap = Math.max(0, options.maxDelayMs);
  const floor = Math.min(Math.max(0, options.minDelayMs), cap);
  const base = Math.max(0, options.baseDelayMs);
  const r = Math.min(Math.max(random, 0), 1);
  // 2^n overflows to Infinity past n = 1023, which min() handles; a zero
  // base stays zero (0 * Infinity would be NaN).
  const grown = base === 0 ? 0 : base * 2 ** Math.max(0, retry);
  let delay: number;
  switch (options.strategy) {
    case BackoffStrategy.FullJitter:
      delay = floor + grown >= cap ? cap * (plateauFloor + (1 - plateauFloor) * r) : floor + r * grown;
      break;
    case BackoffStrategy.Equal: {
      const span = Math.min(cap, grown);
      delay = floor + span / 2 + (r * span) / 2;
      break;
    }
    case BackoffStrategy.Decorrelated: {
      const low = Math.max(floor, base);
      const high = Math.max(low, 3 * (previousDelayMs || low));
      delay = low + r * (high - low);
      break;
    }
    case BackoffStrategy.None:
      delay = floor + grown;
      break;
  }
  return Math.min(cap, Math.max(floor, delay));
}

/**
 * A delay uniform in [minMs, maxMs]: the fast first retry after losing an
 * open connection, a service-restart window, or the short jitter before
 * trying again when the network comes back.
 */
export function uniformDelay(minMs: number, maxMs: number, random: number): number {
  return minMs + Math.min(Math.max(random, 0), 1) * Math.max(0, maxMs - minMs);
}
