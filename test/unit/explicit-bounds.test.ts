/**
 * Explicit beats default: the reconnect bounds an application sets outrank
 * the numbers of the default policy table. A default rule may raise the
 * floor; it never raises the cap above the application's `maxDelayMs`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closeClasses, type CloseClass } from '../../src/core/close-codes.js';
import { decide, defaultPolicy } from '../../src/core/policy.js';
import { MachineDriver, only } from '../support/machine.js';
import { makeSummary } from './summary.js';

/** One close code of each class. */
const codeOf: Readonly<Record<CloseClass, number>> = {
  normal: 1000,
  'going-away': 1001,
  'protocol-error': 1002,
  'unsupported-data': 1003,
  'no-status': 1005,
  abnormal: 1006,
  'invalid-payload': 1007,
  'policy-violation': 1008,
  'message-too-big': 1009,
  'mandatory-extension': 1010,
  'server-error': 1011,
  'service-restart': 1012,
  'try-again-later': 1013,
  'bad-gateway': 1014,
  'tls-handshake': 1015,
  reserved: 1004,
  registered: 3000,
  application: 4000,
  invalid: 999,
};

/** The floor the default table gives a class (0 where it gives none). */
const defaultFloor = (closeClass: CloseClass): number => {
  const rule = defaultPolicy[closeClass];
  return typeof rule === 'object' && rule.action === 'reconnect' ? (rule.minDelayMs ?? 0) : 0;
};

/** The wait the machine chose after a close of `code`, or `null` when it stopped. */
const delayAfter = (driver: MachineDriver, code: number, openForMs: number | null): number | null => {
  if (openForMs !== null) {
    driver.toOpen();
    driver.advance(openForMs);
  } else if (driver.state.status !== 'connecting') {
    driver.connect();
  }
  const report = only(driver.end(code, { wasClean: code !== 1006 }).effects, 'emit-close').report;
  driver.closeDispatched(false);
  if (driver.state.status === 'closed') {
    driver.connect();
    return null;
  }
  driver.waitElapsed();
  return report.delayMs;
};

describe('the default classes', () => {
  it('should have a close code in the table above for every class', () => {
    expect(Object.keys(codeOf).sort()).toEqual([...closeClasses].sort());
  });
});

describe('an application cap over the default rules', () => {
  it('should wait a 1013 its floor (5 s), not up to a minute, with reconnect.maxDelayMs 4 s', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const driver = new MachineDriver({ reconnect: { maxDelayMs: 4_000 } }, { seed });
      expect(delayAfter(driver, 1013, 60_000)).toBe(5_000);
      // And on every retry after it.
      for (let i = 0; i < 5; i++) expect(delayAfter(driver, 1013, null)).toBe(5_000);
    }
  });

  it('should keep the 60 s cap of a 1013 where the application set no cap', () => {
    const driver = new MachineDriver({}, { seed: 1 });
    driver.random = () => 0.99;
    expect(delayAfter(driver, 1013, 60_000)).toBeGreaterThan(10_000);
  });

  it('should keep the cap of a rule of the application over its own reconnect.maxDelayMs', () => {
    const driver = new MachineDriver({ reconnect: { maxDelayMs: 4_000 }, policy: { codes: { 1013: { action: 'reconnect', minDelayMs: 5_000, maxDelayMs: 60_000 } } } }, { seed: 1 });
    driver.random = () => 0.99;
    expect(delayAfter(driver, 1013, 60_000)).toBeGreaterThan(30_000);
  });

  it('should keep the fast first retry within an application cap below 1 s', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      const driver = new MachineDriver({ reconnect: { maxDelayMs: 300 } }, { seed });
      expect(delayAfter(driver, 1006, 60_000)).toBeLessThanOrEqual(300);
    }
  });

  it('should never wait more than max(cap, default floor) nor less than the default floor, for every class, cap and floor', () => {
    const close = fc.record({
      closeClass: fc.constantFrom(...closeClasses),
      // null: a failed handshake; a number: how long the connection stayed open.
      openForMs: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 30_000 })),
    });
    const bounds = fc
      .record({ maxDelayMs: fc.integer({ min: 0, max: 120_000 }), floor: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }) })
      .map(({ maxDelayMs, floor }) => (floor === undefined ? { maxDelayMs } : { maxDelayMs, minDelayMs: Math.floor(floor * maxDelayMs) }));
    const strategy = fc.option(fc.constantFrom('spread', 'full-jitter', 'equal', 'decorrelated', 'none'), { nil: undefined });
    fc.assert(
      fc.property(bounds, strategy, fc.array(close, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 10_000 }), fc.boolean(), (reconnect, strategy, closes, seed, local) => {
        const driver = new MachineDriver({ reconnect: { ...reconnect, ...(strategy && { strategy }) } }, { seed, origin: local ? 'http://localhost:3000' : null });
        for (const { closeClass, openForMs } of closes) {
          const delayMs = delayAfter(driver, codeOf[closeClass], openForMs);
          if (delayMs === null) continue; // the class stops, or its retries ran out
          const floor = defaultFloor(closeClass);
          expect(delayMs).toBeGreaterThanOrEqual(Math.max(floor, reconnect.minDelayMs ?? 0) - 1e-9);
          expect(delayMs).toBeLessThanOrEqual(Math.max(reconnect.maxDelayMs, floor));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('should never wait less than the default floor where the application set only a floor', () => {
    fc.assert(
      fc.property(fc.constantFrom(...closeClasses), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), (closeClass, minDelayMs, seed) => {
        const driver = new MachineDriver({ reconnect: { minDelayMs } }, { seed });
        const delayMs = delayAfter(driver, codeOf[closeClass], 60_000);
        if (delayMs !== null) expect(delayMs).toBeGreaterThanOrEqual(defaultFloor(closeClass));
      }),
    );
  });
});

describe('decide with the bounds the application gave', () => {
  const context = { attempt: 0, streak: 1, elapsedMs: 0, random: () => 0.5 };

  it('should drop the cap of a default rule for an application cap, and keep its floor', () => {
    expect(decide(makeSummary(1013), context, {}, { maxDelayMs: 4_000 })).toEqual({ action: 'reconnect', minDelayMs: 5_000 });
    expect(decide(makeSummary(1013), context, {}, { minDelayMs: 100 })).toEqual({ action: 'reconnect', minDelayMs: 5_000, maxDelayMs: 60_000 });
    expect(decide(makeSummary(1011), context, {}, { maxDelayMs: 1_000 })).toEqual({ action: 'reconnect', minDelayMs: 2_000 });
  });

  it("should leave the fast first retry to the schedule when it falls outside the application's floor and cap", () => {
    expect(decide(makeSummary(1006), context, {}, { maxDelayMs: 600 })).toEqual({ action: 'reconnect', delayMs: 500 });
    expect(decide(makeSummary(1006), context, {}, { maxDelayMs: 400 })).toEqual({ action: 'reconnect' });
    expect(decide(makeSummary(1006), context, {}, { minDelayMs: 600 })).toEqual({ action: 'reconnect' });
  });

  it("should keep the numbers of the application's own rules, whatever its reconnect bounds", () => {
    const rule = { action: 'reconnect', delayMs: 30_000, maxDelayMs: 60_000 } as const;
    const given = { minDelayMs: 0, maxDelayMs: 4_000 };
    expect(decide(makeSummary(1013), context, { codes: { 1013: rule } }, given)).toEqual(rule);
    expect(decide(makeSummary(1013), context, { ranges: [{ from: 1013, to: 1013, rule }] }, given)).toEqual(rule);
    expect(decide(makeSummary(1013), context, { classes: { 'try-again-later': rule } }, given)).toEqual(rule);
    expect(decide(makeSummary(1013), context, { decide: () => rule }, given)).toEqual(rule);
  });

  it('should still stop where the default table stops', () => {
    expect(decide(makeSummary(1003), context, {}, { maxDelayMs: 4_000 })).toMatchObject({ action: 'stop' });
  });
});
