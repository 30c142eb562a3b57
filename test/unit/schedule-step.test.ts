import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MachineDriver, only } from '../support/machine.js';

/** The wait the machine chose for the drop `transition` reported. */
const delayOf = (driver: MachineDriver, code: number, openForMs: number | null): number => {
  if (openForMs !== null) {
    driver.toOpen();
    driver.advance(openForMs);
  } else if (driver.state.status !== 'connecting') {
    driver.connect();
  }
  const report = only(driver.end(code).effects, 'emit-close').report;
  driver.closeDispatched(false);
  driver.waitElapsed();
  return report.delayMs ?? Number.NaN;
};

describe('the schedule step', () => {
  it('should take the fast first retry after a stable connection drops without a close frame, then spread, then step near the cap', () => {
    const driver = new MachineDriver({}, { seed: 3 });
    expect(delayOf(driver, 1006, 60_000)).toBeLessThanOrEqual(1_000);
    expect(driver.machine.retry.scheduleStep).toBe(0);
    const spread = delayOf(driver, 1006, null);
    expect(spread).toBeGreaterThanOrEqual(500);
    expect(driver.machine.retry.scheduleStep).toBe(1);
    for (let i = 0; i < 5; i++) {
      const step = delayOf(driver, 1006, null);
      expect(step).toBeGreaterThanOrEqual(8_000);
      expect(step).toBeLessThanOrEqual(10_000);
    }
    expect(driver.machine.retry.scheduleStep).toBe(6);
  });

  it('should spread from the first wait after a server 1001 or 1012, and step near the cap after that', () => {
    for (const code of [1001, 1012]) {
      // With random 0 the spread gives its floor, a plateau step gives 0.8 cap: tell the two apart.
      const driver = new MachineDriver({}, { seed: 1 });
      driver.random = () => 0;
      expect(delayOf(driver, code, 60_000)).toBe(code === 1012 ? 1_000 : 500);
      expect(delayOf(driver, 1006, null)).toBe(8_000);
    }
  });

  it('should count only the waits the schedule chose and reset with the retry counter after a stable connection', () => {
    const closes = fc.record({
      code: fc.constantFrom(1000, 1001, 1006, 1011, 1012, 1013, 4000),
      // null: a failed handshake; a number: how long the connection stayed open.
      openForMs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 30_000 })),
    });
    fc.assert(
      fc.property(fc.array(closes, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1_000 }), (sequence, seed) => {
        const driver = new MachineDriver({}, { seed });
        let steps = 0;
        let attempts = 0;
        for (const { code, openForMs } of sequence) {
          const stable = openForMs !== null && openForMs >= 10_000;
          if (stable) steps = attempts = 0;
          const fast = code === 1006 && openForMs !== null && attempts === 0;
          const delayMs = delayOf(driver, code, openForMs);
          if (!fast) steps++;
          attempts++;
          expect(driver.machine.retry.scheduleStep).toBe(steps);
          expect(driver.machine.retry.attempt).toBe(attempts);
          expect(delayMs).toBeGreaterThanOrEqual(0);
          // The cap, except where a policy raises it (1013: up to 60 s).
          expect(delayMs).toBeLessThanOrEqual(code === 1013 ? 60_000 : 10_000);
        }
      }),
    );
  });
});
