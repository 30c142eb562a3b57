/**
 * The figures of a fleet's return: the largest share in any sliding
 * window, and quantiles of the time back.
 *
 * @module
 */

/** The sliding window the peak is measured over. */
export const windowMs = 100;

/** The figures the limits are stated in. */
export interface HerdFigures {
  /** The largest share of the fleet (0-1) arriving in any window [t, t + windowMs), t anywhere. */
  readonly peak: number;
  /** Ms after the server's return until half the fleet is back. */
  readonly p50Ms: number;
  /** Ms after the server's return until 99 % of the fleet is back. */
  readonly p99Ms: number;
  /** Clients that never came back. */
  readonly neverBack: number;
}

/**
 * @param sortedMs - arrival times, ascending
 * @param fleet - the fleet's size (arrivals may be fewer)
 */
export function herdFigures(sortedMs: ArrayLike<number>, fleet: number): HerdFigures {
  // Quantiles over the whole fleet: a client that never came back counts as never.
  const at = (q: number): number => {
    const index = Math.ceil(q * fleet) - 1;
    return index < sortedMs.length ? sortedMs[Math.max(0, index)]! : Infinity;
  };
  return { peak: peakShare(sortedMs, fleet), p50Ms: at(0.5), p99Ms: at(0.99), neverBack: fleet - sortedMs.length };
}

/**
 * The largest share of the fleet per `windowMs` arriving in any window
 * [t, t + spanMs), t anywhere, scaled to one `windowMs`: with `spanMs` the
 * default, the peak itself; with a longer span, its average over the span
 * (less sampling noise in a small fleet).
 *
 * @param sortedMs - arrival times, ascending
 * @param fleet - the fleet's size
 */
export function peakShare(sortedMs: ArrayLike<number>, fleet: number, spanMs = windowMs): number {
  let peak = 0;
  for (let end = 0, start = 0; end < sortedMs.length; end++) {
    while (sortedMs[end]! - sortedMs[start]! >= spanMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return (peak / fleet) * (windowMs / spanMs);
}
