import { describe, expect, it, vi } from 'vitest';
import { decide, presets, type Decision, type PolicyContext, type PolicyOptions } from '../../src/core/policy.js';
import type { Phase } from '../../src/core/close-codes.js';
import { makeSummary } from './summary.js';

const context = (overrides: Partial<PolicyContext> = {}): PolicyContext => ({
  attempt: 0,
  streak: 1,
  elapsedMs: 0,
  random: () => 0.5,
  ...overrides,
});

const decideFor = (code: number, ctx: Partial<PolicyContext> = {}, options?: PolicyOptions, phase: Phase = 'open'): Decision =>
  decide(makeSummary(code, { phase }), context(ctx), options);

const reconnect: Decision = { action: 'reconnect' };
const stop = { action: 'stop', reason: expect.any(String) as unknown as string };

describe('decide with the default policy', () => {
  it.each([
    [1000, reconnect],
    [1001, reconnect],
    [1002, { action: 'reconnect', minDelayMs: 5_000 }],
    [1003, stop],
    [1004, reconnect],
    [1005, reconnect],
    [1007, { action: 'reconnect', minDelayMs: 5_000 }],
    [1008, { action: 'reconnect', minDelayMs: 5_000 }],
    [1009, stop],
    [1010, stop],
    [1011, { action: 'reconnect', minDelayMs: 2_000 }],
    [1013, { action: 'reconnect', minDelayMs: 5_000, maxDelayMs: 60_000 }],
    [1014, { action: 'reconnect', minDelayMs: 1_000 }],
    [1015, stop],
    [1016, reconnect],
    [2000, reconnect],
    [3000, reconnect],
    [3500, reconnect],
    [4000, reconnect],
    [4999, reconnect],
  ] as const)('should answer close %i with %o in either phase', (code, expected) => {
    expect(decideFor(code, {}, undefined, 'open')).toEqual(expected);
    expect(decideFor(code, {}, undefined, 'handshake')).toEqual(expected);
  });

  it.each([1003, 1009, 1010, 1015])('should stop on %i with a reason naming the code', (code) => {
    const decision = decideFor(code);
    expect(decision.action).toBe('stop');
    if (decision.action === 'stop') expect(decision.reason).toContain(String(code));
  });

  describe('1006', () => {
    it('should retry fast, uniform in [0, 1 s], on the first retry after losing an open connection', () => {
      expect(decideFor(1006, { attempt: 0, random: () => 0 })).toEqual({ action: 'reconnect', delayMs: 0 });
      expect(decideFor(1006, { attempt: 0, random: () => 0.5 })).toEqual({ action: 'reconnect', delayMs: 500 });
      const late = decideFor(1006, { attempt: 0, random: () => 0.999 });
      expect(late.action).toBe('reconnect');
      if (late.action === 'reconnect') {
        expect(late.delayMs).toBeGreaterThanOrEqual(0);
        expect(late.delayMs).toBeLessThanOrEqual(1_000);
      }
    });

    it('should use plain backoff after the first retry', () => {
      expect(decideFor(1006, { attempt: 1 })).toEqual(reconnect);
    });

    it('should use plain backoff, never the fast path, for a handshake failure', () => {
      expect(decideFor(1006, { attempt: 0 }, undefined, 'handshake')).toEqual(reconnect);
    });
  });

  describe('1012', () => {
    it('should leave the wait to the schedule (its even spread), never sooner than 1 s', () => {
      for (const attempt of [0, 1, 5]) expect(decideFor(1012, { attempt })).toEqual({ action: 'reconnect', minDelayMs: 1_000 });
    });
  });

  it('should leave a server 1001 (deploy, shutdown) to the schedule, which spreads the fleet', () => {
    expect(decideFor(1001, { attempt: 0 })).toEqual(reconnect);
  });

  it.each([1002, 1007])('should give %i three slow retries, then stop once the streak exceeds 3', (code) => {
    for (const streak of [1, 2, 3]) expect(decideFor(code, { streak })).toEqual({ action: 'reconnect', minDelayMs: 5_000 });
    expect(decideFor(code, { streak: 4 })).toEqual(stop);
    expect(decideFor(code, { streak: 10 })).toEqual(stop);
  });

  it('should give 1008 two slow retries, then stop once the streak exceeds 2', () => {
    for (const streak of [1, 2]) expect(decideFor(1008, { streak })).toEqual({ action: 'reconnect', minDelayMs: 5_000 });
    const decision = decideFor(1008, { streak: 3 });
    expect(decision).toEqual(stop);
    if (decision.action === 'stop') expect(decision.reason).toContain('1008');
  });

  it('should never call the random source for codes that need no jitter', () => {
    const random = vi.fn(() => 0.5);
    for (const code of [1000, 1001, 1002, 1003, 1011, 1012, 1013, 4000]) decideFor(code, { random });
    expect(random).not.toHaveBeenCalled();
  });
});

describe('decide with overrides', () => {
  it('should let the decide function win over every other rule', () => {
    const options: PolicyOptions = {
      decide: () => ({ action: 'stop', reason: 'banned' }),
      codes: { 4001: 'reconnect' },
      ranges: [{ from: 4000, to: 4999, rule: 'reconnect' }],
      classes: { application: 'reconnect' },
    };
    expect(decideFor(4001, {}, options)).toEqual({ action: 'stop', reason: 'banned' });
  });

  it('should pass the report and context to the decide function', () => {
    const decideFn = vi.fn(() => undefined);
    const summary = makeSummary(4001, { reason: 'kicked' });
    const ctx = context({ attempt: 3, streak: 2 });
    decide(summary, ctx, { decide: decideFn });
    expect(decideFn).toHaveBeenCalledWith(summary, ctx);
  });

  it('should call the decide function as a method of the policy options, before reading any other rule', () => {
    const read: string[] = [];
    const options = {
      decide(this: PolicyOptions) {
        read.push(this === options ? 'decide on the options' : 'decide detached');
        return { action: 'stop', reason: 'mine' } as const;
      },
      get codes() {
        read.push('codes');
        return {};
      },
    } satisfies PolicyOptions;
    expect(decideFor(4001, {}, options)).toEqual({ action: 'stop', reason: 'mine' });
    expect(read).toEqual(['decide on the options']);
  });

  it('should fall through to the other rules when the decide function returns undefined', () => {
    const options: PolicyOptions = { decide: () => undefined, codes: { 4001: 'stop' } };
    expect(decideFor(4001, {}, options)).toEqual(stop);
    expect(decideFor(1000, {}, { decide: () => undefined })).toEqual(reconnect);
  });

  it('should let codes beat ranges, ranges beat classes, and classes beat the default', () => {
    const options: PolicyOptions = {
      codes: { 4001: { action: 'reconnect', delayMs: 1 } },
      ranges: [{ from: 4000, to: 4099, rule: { action: 'reconnect', delayMs: 2 } }],
      classes: { application: { action: 'reconnect', delayMs: 3 } },
    };
    expect(decideFor(4001, {}, options)).toEqual({ action: 'reconnect', delayMs: 1 });
    expect(decideFor(4002, {}, options)).toEqual({ action: 'reconnect', delayMs: 2 });
    expect(decideFor(4100, {}, options)).toEqual({ action: 'reconnect', delayMs: 3 });
    expect(decideFor(3000, {}, options)).toEqual(reconnect);
  });

  it('should let a class rule replace the default for that class', () => {
    expect(decideFor(1003, {}, { classes: { 'unsupported-data': 'reconnect' } })).toEqual(reconnect);
    expect(decideFor(1000, {}, { classes: { normal: 'stop' } })).toEqual(stop);
  });

  it('should use the first range that contains the code', () => {
    const options: PolicyOptions = {
      ranges: [
        { from: 4000, to: 4999, rule: 'stop' },
        { from: 4000, to: 4099, rule: 'reconnect' },
      ],
    };
    expect(decideFor(4050, {}, options)).toEqual(stop);
  });

  it('should include both ends of a range', () => {
    const options: PolicyOptions = { ranges: [{ from: 4100, to: 4199, rule: 'stop' }] };
    expect(decideFor(4099, {}, options)).toEqual(reconnect);
    expect(decideFor(4100, {}, options)).toEqual(stop);
    expect(decideFor(4199, {}, options)).toEqual(stop);
    expect(decideFor(4200, {}, options)).toEqual(reconnect);
  });

  it("should turn the 'reconnect' and 'stop' keywords into decisions", () => {
    expect(decideFor(1003, {}, { codes: { 1003: 'reconnect' } })).toEqual(reconnect);
    const stopped = decideFor(1000, {}, { codes: { 1000: 'stop' } });
    expect(stopped).toEqual(stop);
    if (stopped.action === 'stop') expect(stopped.reason).toContain('1000');
  });

  it('should keep the reason of a stop rule, or give one naming the code', () => {
    expect(decideFor(4001, {}, { codes: { 4001: { action: 'stop', reason: 'banned' } } })).toEqual({ action: 'stop', reason: 'banned' });
    const unnamed = decideFor(4001, {}, { codes: { 4001: { action: 'stop' } } });
    expect(unnamed).toEqual(stop);
    if (unnamed.action === 'stop') expect(unnamed.reason).toContain('4001');
  });

  it('should pass the delay fields of a reconnect rule through, without maxRetries', () => {
    const options: PolicyOptions = { codes: { 4001: { action: 'reconnect', delayMs: 42, minDelayMs: 10, maxDelayMs: 99, maxRetries: 5 } } };
    expect(decideFor(4001, { streak: 1 }, options)).toEqual({ action: 'reconnect', delayMs: 42, minDelayMs: 10, maxDelayMs: 99 });
  });

  it('should stop once the streak exceeds maxRetries', () => {
    const options: PolicyOptions = { codes: { 4001: { action: 'reconnect', maxRetries: 2 } } };
    expect(decideFor(4001, { streak: 2 }, options)).toEqual(reconnect);
    const decision = decideFor(4001, { streak: 3 }, options);
    expect(decision).toEqual(stop);
    if (decision.action === 'stop') expect(decision.reason).toContain('4001');
  });

  it('should never reconnect with maxRetries 0', () => {
    expect(decideFor(4001, { streak: 1 }, { codes: { 4001: { action: 'reconnect', maxRetries: 0 } } })).toEqual(stop);
  });

  it('should ask a function rule, and fall through to the next rule when it returns undefined', () => {
    const rule = vi.fn((_report: unknown, ctx: PolicyContext): Decision | undefined =>
      ctx.attempt > 1 ? { action: 'stop', reason: 'enough' } : undefined,
    );
    const options: PolicyOptions = { codes: { 4001: rule }, ranges: [{ from: 4000, to: 4999, rule: { action: 'reconnect', delayMs: 7 } }] };
    expect(decideFor(4001, { attempt: 2 }, options)).toEqual({ action: 'stop', reason: 'enough' });
    expect(decideFor(4001, { attempt: 0 }, options)).toEqual({ action: 'reconnect', delayMs: 7 });
    expect(rule).toHaveBeenCalledTimes(2);
  });
});

describe('presets', () => {
  it.each([
    [3000, 'reconnect'],
    [3499, 'reconnect'],
    [3500, 'stop'],
    [3999, 'stop'],
    [4000, 'reconnect'],
    [4499, 'reconnect'],
    [4500, 'stop'],
    [4999, 'stop'],
  ] as const)('should make centrifugo %i %s', (code, action) => {
    expect(decideFor(code, {}, presets.centrifugo).action).toBe(action);
  });

  it('should leave the default policy in place outside the centrifugo ranges', () => {
    expect(decideFor(1003, {}, presets.centrifugo)).toEqual(stop);
    expect(decideFor(1011, {}, presets.centrifugo)).toEqual({ action: 'reconnect', minDelayMs: 2_000 });
  });

  it('should let a code rule spread beside the centrifugo preset win over its ranges', () => {
    expect(decideFor(4501, {}, { ...presets.centrifugo, codes: { 4501: 'reconnect' } })).toEqual(reconnect);
  });

  it.each([4500, 4005, 4400, 4004, 4401, 4406, 4409, 4429])('should make graphql-ws code %i terminal', (code) => {
    expect(decideFor(code, {}, presets.graphqlWs)).toEqual(stop);
  });

  it.each([4408, 4499])('should keep reconnecting on graphql-ws code %i', (code) => {
    expect(decideFor(code, {}, presets.graphqlWs)).toEqual(reconnect);
  });
});
