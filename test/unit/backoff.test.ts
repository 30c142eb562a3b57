import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BackoffStrategy, computeDelay, uniformDelay, type BackoffOptions } from '../../src/core/backoff.js';
import { seededRandom } from './fake-clock.js';

const defaults = { baseDelayMs: 1_000, minDelayMs: 500, maxDelayMs: 10_000 } as const;
const withStrategy = (strategy: BackoffStrategy): BackoffOptions => ({ strategy, ...defaults });

const strategies = Object.values(BackoffStrategy);

describe('computeDelay', () => {
  describe('spread', () => {
    const spread = withStrategy('spread');

    it.each([
      // step 0: floor + E(random) * (cap - floor), E flat on [0, 0.8] (random <= 8/9: E = 0.9 random), then falling to 1
      [0, 0, 500],
      [0, 0.5, 500 + 0.45 * 9_500],
      [0, 0.8, 500 + 0.72 * 9_500],
      [0, 0.95, 500 + (1 - Math.sqrt(0.05 * 2 * 0.2 * 0.9)) * 9_500],
      // later steps: uniform in [0.8 cap, cap]
      [1, 0, 8_000],
      [1, 0.5, 9_000],
      [7, 0.999, 9_998],
    ])('should wait at step %i with random %f for %f ms', (step, random, expected) => {
      expect(computeDelay(step, spread, random)).toBeCloseTo(expected, 6);
    });

    it('should not use the growth base', () => {
      for (const baseDelayMs of [0, 1, 1_000, 1e9]) {
        expect(computeDelay(0, { ...spread, baseDelayMs }, 0.3)).toBe(computeDelay(0, spread, 0.3));
        expect(computeDelay(3, { ...spread, baseDelayMs }, 0.3)).toBe(computeDelay(3, spread, 0.3));
      }
    });

    it('should map the random sample of the first step monotonically onto all of [minDelayMs, maxDelayMs]', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 1e6, noNaN: true }),
          fc.double({ min: 1, max: 1e7, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (floorMs, capMs, a, b) => {
            const options: BackoffOptions = { strategy: 'spread', baseDelayMs: 1_000, minDelayMs: Math.min(floorMs, capMs), maxDelayMs: capMs };
            const [low, high] = a <= b ? [a, b] : [b, a];
            expect(computeDelay(0, options, low)).toBeLessThanOrEqual(computeDelay(0, options, high));
            expect(computeDelay(0, options, 0)).toBeCloseTo(options.minDelayMs, 6);
            expect(computeDelay(0, options, 1)).toBeCloseTo(capMs, 6);
          },
        ),
      );
    });

    it('should keep a fleet that dropped together at a steady attempt rate from the first step on, so any return time sees under 2 % per 100 ms', () => {
      // 20 000 clients lose the server at t = 0 and each walks the schedule (no fast
      // first retry here: the deploy case). For a server back at T, a client returns
      // at its first attempt at or after T: count them in sliding 100 ms windows.
      const clients = 20_000;
      const random = seededRandom(8);
      const attempts: number[][] = [];
      for (let client = 0; client < clients; client++) {
        const times: number[] = [];
        let t = 0;
        // Every step from the second on is at least 8 s: at most 12 steps reach 90 s.
        for (let step = 0; t < 90_000 && step < 12; step++) times.push((t += computeDelay(step, spread, random())));
        attempts.push(times);
      }
      for (const backAtMs of [500, 2_000, 5_000, 9_000, 30_000, 60_000]) {
        const returns = attempts.map((times) => times.find((t) => t >= backAtMs)! - backAtMs).sort((x, y) => x - y);
        let peak = 0;
        for (let end = 0, start = 0; end < returns.length; end++) {
          while (returns[end]! - returns[start]! >= 100) start++;
          peak = Math.max(peak, end - start + 1);
        }
        expect(peak / clients).toBeLessThan(0.017);
        expect(returns[Math.ceil(0.99 * clients) - 1]).toBeLessThan(10_000);
      }
    });
  });

  describe('full-jitter', () => {
    it.each([
      // retry, random, expected: floor + random * base * 2^retry while below the cap
      [0, 0, 500],
      [0, 0.5, 1_000],
      [0, 0.999, 1_499],
      [2, 0, 500],
      [2, 0.5, 2_500],
      [2, 0.999, 4_496],
      [3, 0, 500],
      [3, 0.5, 4_500],
      [3, 0.999, 8_492],
      // 500 + 16 000 >= 10 000: the plateau, uniform in [8 000, 10 000]
      [4, 0, 8_000],
      [4, 0.5, 9_000],
      [4, 0.999, 9_998],
    ])('should wait %i retries with random %f for %f ms', (retry, random, expected) => {
      expect(computeDelay(retry, withStrategy('full-jitter'), random)).toBeCloseTo(expected, 6);
    });

    it('should switch to near-constant steps in [0.8 cap, cap] once floor + base * 2^n reaches the cap', () => {
      const options: BackoffOptions = { strategy: 'full-jitter', baseDelayMs: 1_000, minDelayMs: 2_000, maxDelayMs: 10_000 };
      // 2 000 + 4 000 < 10 000: still growing, so random 0 gives the floor.
      expect(computeDelay(2, options, 0)).toBe(2_000);
      // 2 000 + 8 000 = 10 000: exactly at the cap is the plateau.
      expect(computeDelay(3, options, 0)).toBe(8_000);
    });

    it('should make the plateau an affine (so uniform) map of the random sample onto [0.8 cap, cap]', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 1, max: 1e6, noNaN: true }),
          fc.double({ min: 0, max: 1e7, noNaN: true }),
          fc.nat({ max: 2_000 }),
          fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
          (baseDelayMs, maxDelayMs, retry, random) => {
            const minDelayMs = Math.min(500, 0.8 * maxDelayMs);
            fc.pre(minDelayMs + baseDelayMs * 2 ** retry >= maxDelayMs);
            const delay = computeDelay(retry, { strategy: 'full-jitter', baseDelayMs, minDelayMs, maxDelayMs }, random);
            expect(delay).toBeCloseTo(maxDelayMs * (0.8 + 0.2 * random), 6);
            expect(delay).toBeGreaterThanOrEqual(0.8 * maxDelayMs - 1e-9);
            expect(delay).toBeLessThanOrEqual(maxDelayMs);
          },
        ),
      );
    });
  });

  describe('equal', () => {
    it.each([
      // floor + span/2 + random * span/2 with span = min(cap, base * 2^retry), capped
      [0, 0, 1_000],
      [0, 0.5, 1_250],
      [0, 0.999, 1_499.5],
      [3, 0, 4_500],
      [3, 0.5, 6_500],
      [3, 0.999, 8_496],
      [5, 0, 5_500],
      [5, 0.5, 8_000],
      [5, 0.999, 10_000],
    ])('should wait %i retries with random %f for %f ms', (retry, random, expected) => {
      expect(computeDelay(retry, withStrategy('equal'), random)).toBeCloseTo(expected, 6);
    });
  });

  describe('decorrelated', () => {
    it.each([
      // previous, random, expected: uniform in [max(floor, base), 3 * previous], capped
      [0, 0, 1_000],
      [0, 0.5, 2_000],
      [0, 0.999, 2_998],
      [2_000, 0, 1_000],
      [2_000, 0.5, 3_500],
      [2_000, 0.999, 5_995],
      [9_000, 0, 1_000],
      [9_000, 0.5, 10_000],
      [9_000, 0.999, 10_000],
    ])('should wait after a previous delay of %f ms with random %f for %f ms', (previous, random, expected) => {
      expect(computeDelay(7, withStrategy('decorrelated'), random, previous)).toBeCloseTo(expected, 6);
    });
  });

  describe('none', () => {
    it.each([
      [0, 1_500],
      [2, 4_500],
      [3, 8_500],
      [4, 10_000],
    ])('should wait %i retries for %f ms whatever the random sample', (retry, expected) => {
      for (const random of [0, 0.5, 0.999]) {
        expect(computeDelay(retry, withStrategy('none'), random)).toBe(expected);
      }
    });
  });

  it.each(strategies)('should give a finite delay within the bounds for retry 1e6 with the %s strategy', (strategy) => {
    for (const baseDelayMs of [0, 1, 1_000]) {
      for (const random of [0, 0.5, 0.999]) {
        const delay = computeDelay(1e6, { ...defaults, strategy, baseDelayMs }, random, 10_000);
        expect(Number.isFinite(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(defaults.minDelayMs);
        expect(delay).toBeLessThanOrEqual(defaults.maxDelayMs);
      }
    }
  });

  it('should keep a zero base at the floor for any retry instead of turning into NaN', () => {
    for (const retry of [0, 10, 1_023, 1_024, 1e6]) {
      expect(computeDelay(retry, { strategy: 'full-jitter', baseDelayMs: 0, minDelayMs: 500, maxDelayMs: 10_000 }, 0.5)).toBe(500);
    }
  });

  it('should never be negative, NaN or outside [minDelayMs, maxDelayMs] for any strategy, retry, random sample and previous delay', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...strategies),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.oneof(fc.nat({ max: 64 }), fc.nat({ max: 5_000 }), fc.constant(1e6)),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e9, noNaN: true })),
        (strategy, baseDelayMs, minDelayMs, maxDelayMs, retry, random, previous) => {
          const delay = computeDelay(retry, { strategy, baseDelayMs, minDelayMs, maxDelayMs }, random, previous);
          expect(Number.isNaN(delay)).toBe(false);
          expect(Number.isFinite(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(maxDelayMs);
          if (minDelayMs <= maxDelayMs) expect(delay).toBeGreaterThanOrEqual(minDelayMs);
          else expect(delay).toBe(maxDelayMs);
        },
      ),
    );
  });

  it('should spread a herd of clients at the cap over one cap, with well under 2 % in any 100 ms', () => {
    // 10 000 clients have been retrying at the cap for a while, each with its
    // own phase. The server comes back at t = 0; a client returns at its first
    // attempt at or after 0. Count the returns per 100 ms bucket.
    const clients = 10_000;
    const capMs = 10_000;
    const warmUpMs = 5 * capMs;
    const options: BackoffOptions = { strategy: 'full-jitter', ...defaults, maxDelayMs: capMs };
    const random = seededRandom(20_240_601);

    const peakShare = (nextDelay: () => number): number => {
      const buckets = new Map<number, number>();
      for (let client = 0; client < clients; client++) {
        let t = -warmUpMs - random() * capMs;
        // Each step is at least 0.8 cap, so this loop is bounded.
        for (let step = 0; t < 0 && step < 100; step++) t += nextDelay();
        expect(t).toBeGreaterThanOrEqual(0);
        const bucket = Math.floor(t / 100);
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      }
      return Math.max(...buckets.values()) / clients;
    };

    const plateau = peakShare(() => computeDelay(50, options, random()));
    expect(plateau).toBeLessThan(0.02);
    // For contrast, the plain full jitter at the cap the design rejected
    // (uniform in [0, cap]) piles clients up near the start.
    const plainFullJitter = peakShare(() => uniformDelay(0, capMs, random()));
    expect(plainFullJitter).toBeGreaterThan(plateau);
  });
});

describe('uniformDelay', () => {
  it.each([
    [1_000, 5_000, 0, 1_000],
    [1_000, 5_000, 0.5, 3_000],
    [1_000, 5_000, 0.999, 4_996],
    [0, 1_000, 0.25, 250],
  ])('should map [%f, %f] with random %f to %f', (min, max, random, expected) => {
    expect(uniformDelay(min, max, random)).toBeCloseTo(expected, 6);
  });

  it('should stay within [min, max] for any random sample', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, b, random) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const delay = uniformDelay(min, max, random);
          expect(delay).toBeGreaterThanOrEqual(min);
          expect(delay).toBeLessThanOrEqual(max);
        },
      ),
    );
  });
});
