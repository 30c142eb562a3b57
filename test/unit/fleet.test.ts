import { describe, expect, it } from 'vitest';
import { runFleet, type FleetEvent } from '../../bench/herd/fleet.js';
import { herdFigures, peakShare } from '../../bench/herd/stats.js';

// 2,000 real ResilientWebSocket instances with default options on a simulated clock (seeded).
// The limits: at most 2 % of the fleet per sliding 100 ms, 99 % back within 10 s, every client back.
// In a fleet this small a 100 ms window holds about 25 arrivals, so its peak carries sampling noise
// of about +0.8 points (the bench's 20,000 measure 1.4 %, this fleet about 2 %). The rate itself is
// checked with a margin over 500 ms windows (5 times the samples); the raw 100 ms peak gets the noise bound.
const clients = 2_000;

describe('a fleet of default sockets after an outage', () => {
  it.each<[FleetEvent, number]>([
    ['crash', 1_000],
    ['crash', 5_000],
    ['crash', 30_000],
    ['deploy-1001', 500],
    ['deploy-1001', 2_000],
    ['deploy-1012', 2_000],
    ['deploy-1012', 10_000],
  ])('should come back evenly after a %s with the server back after %i ms', async (event, outageMs) => {
    const result = await runFleet({ event, outageMs, clients, seed: 11 });
    const figures = herdFigures(result.backMs, clients);
    expect(figures.neverBack).toBe(0);
    expect(peakShare(result.backMs, clients, 500)).toBeLessThanOrEqual(0.016);
    expect(figures.peak).toBeLessThanOrEqual(0.025);
    expect(figures.p99Ms).toBeLessThanOrEqual(9_700);
    // Spread, not merely slow: half the fleet is back in about half the window.
    expect(figures.p50Ms).toBeGreaterThan(3_000);
    expect(figures.p50Ms).toBeLessThan(6_000);
    expect(result.timersLeft).toBe(0);
  });

  it('should bring a lone client whose own network blipped back after a median under 1 s', async () => {
    const result = await runFleet({ event: 'blip', outageMs: 0, clients, seed: 12 });
    const figures = herdFigures(result.backMs, clients);
    expect(figures.neverBack).toBe(0);
    expect(figures.p50Ms).toBeLessThanOrEqual(800);
    expect(figures.p99Ms).toBeLessThanOrEqual(1_100);
  });

  it('should have stampeded with the previous default schedule, so this test can tell', async () => {
    const result = await runFleet({ event: 'crash', outageMs: 2_000, clients, seed: 11, options: { reconnect: { strategy: 'full-jitter' } } });
    expect(peakShare(result.backMs, clients, 500)).toBeGreaterThan(0.04);
  });
});
