/**
 * Small statistics for paired measurements.
 *
 * @module
 */

/** The median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of paired ratios `ours[i] / base[i]`, with their range. */
export interface RatioSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Summarises the ratio of each measurement to the one it was paired with
 * (same repetition, same page).
 */
export function pairedRatios(ours: readonly number[], base: readonly number[]): RatioSummary {
  const ratios = ours.slice(0, base.length).map((value, i) => value / base[i]!);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/**
 * The order of the variants in repetition `rep`: rotations first, then the
 * same rotations reversed, so each variant runs first, in the middle and
 * last equally often, and two repetitions already swap who goes first.
 */
export function orderFor<T>(variants: readonly T[], rep: number): T[] {
  const n = variants.length;
  const rotated = variants.map((_, i) => variants[(i + rep) % n]!);
  return Math.floor(rep / n) % 2 === 1 ? rotated.reverse() : rotated;
}
