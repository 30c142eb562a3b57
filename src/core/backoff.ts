/**
 * Reconnect delays. Pure functions of the retry number, the previous delay
 * and a random sample, so that every schedule is reproducible under test.
 *
 * @module
 */

/** The shapes of schedule {@link computeDelay} knows. */
export const BackoffStrategy = {
  /**
   * The default: the first wait the schedule chooses is drawn so that a
   * fleet's attempts are spread evenly over one cap from the start, then
   * near-constant steps in [0.8 cap, cap] keep them spread. Does not use
   * `baseDelayMs`.
   */
  Spread: 'spread',
  /**
   * Full jitter with a floor while the delay grows, then near-constant
   * steps in [0.8 cap, cap] once it reaches the cap.
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

/**
 * A sample of the wait until the next step of a fleet whose steps are
 * uniform in [0.8 cap, cap] and whose phases are random, as a fraction of
 * the cap. This is the renewal process's equilibrium distribution (density
 * `(1 - F(x)) / mean`, mean 0.9): flat on [0, 0.8], where 8/9 of the draws
 * fall, then falling linearly to zero at 1. A fleet that draws its first
 * wait from it and steps uniformly in [0.8 cap, cap] after that attempts at
 * a constant rate, `1 / (0.9 cap)` per client, from the first wait on: no
 * wave to decay.
 */
const evenPhase = (random: number): number => (random <= 8 / 9 ? 0.9 * random : 1 - Math.sqrt(0.36 * (1 - random)));

/**
 * The delay of step `retry` of the schedule (0 for the first wait the
 * schedule chooses).
 *
 * With the default `spread` strategy, step 0 is drawn from the even phase
 * of near-constant steps (flat on [0, 0.8 cap], then falling to zero at the
 * cap), mapped onto [minDelayMs, maxDelayMs]; later steps are uniform in
 * [0.8 cap, cap]. Clients that lost the server together then attempt at a
 * constant rate from their first wait on, so whenever the server comes
 * back, the fleet returns spread evenly over about one cap.
 *
 * With `full-jitter`, while `minDelayMs + baseDelayMs * 2^retry` is below
 * the cap, the delay is `minDelayMs + random * baseDelayMs * 2^retry`; from
 * there on it is uniform in [0.8 cap, cap] (full jitter at the cap piles
 * clients up near zero delay).
 *
 * @param retry - how many waits the schedule chose before this one (0-based)
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
  // Near-constant steps at the cap: uniform in [0.8 cap, cap].
  const plateau = cap * (0.8 + 0.2 * r);
  let delay: number;
  // Literal values, not BackoffStrategy reads: the object tree-shakes where the application does not import it.
  switch (options.strategy) {
    case 'full-jitter':
      delay = floor + grown >= cap ? plateau : floor + r * grown;
      break;
    case 'equal': {
      const span = Math.min(cap, grown);
      delay = floor + span / 2 + (r * span) / 2;
      break;
    }
    case 'decorrelated': {
      const low = Math.max(floor, base);
      delay = uniformDelay(low, 3 * (previousDelayMs || low), r);
      break;
    }
    case 'none':
      delay = floor + grown;
      break;
    default:
      // `spread`, and what an unchecked caller may pass instead of a strategy.
      delay = retry > 0 ? plateau : floor + evenPhase(r) * (cap - floor);
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
