/**
 * The option checks name their allowed values as literals rather than
 * reading the exported `as const` objects, so that those objects tree-shake
 * away where an application does not import them. These tests hold the
 * literals to the objects: every value accepted, nothing else, and the
 * development message listing them in the objects' order.
 */

import { describe, expect, it } from 'vitest';
import { BackoffStrategy } from '../../src/core/backoff.js';
import { OverflowPolicy } from '../../src/core/buffer.js';
import { CloseClass } from '../../src/core/close-codes.js';
import { normalizeOptions, type ResilientWebSocketOptions } from '../../src/core/options.js';

/** The message normalizeOptions throws for `options`; fails when it does not throw. */
function messageFor(options: unknown): string {
  try {
    normalizeOptions(options as ResilientWebSocketOptions);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw, but nothing was thrown');
}

/** `one of 'a', 'b'`, as the development messages list allowed values. */
const listed = (values: readonly string[]): string => `one of ${values.map((value) => `'${value}'`).join(', ')}`;

describe('the values the option checks allow', () => {
  it('should accept every BackoffStrategy as reconnect.strategy, and list them all in order when rejecting another', () => {
    for (const strategy of Object.values(BackoffStrategy)) {
      expect(normalizeOptions({ reconnect: { strategy } }).reconnect).toMatchObject({ strategy });
    }
    expect(messageFor({ reconnect: { strategy: 'linear' } })).toBe(`Expected \`reconnect.strategy\` to be ${listed(Object.values(BackoffStrategy))}, got "linear"`);
  });

  it('should accept every OverflowPolicy as buffer.overflow, and list them all in order when rejecting another', () => {
    for (const overflow of Object.values(OverflowPolicy)) {
      expect(normalizeOptions({ buffer: { overflow } }).buffer).toMatchObject({ overflow });
    }
    expect(messageFor({ buffer: { overflow: 'explode' } })).toBe(`Expected \`buffer.overflow\` to be ${listed(Object.values(OverflowPolicy))}, got "explode"`);
  });

  it('should accept every CloseClass as a policy.classes key, and list them all in order when rejecting another', () => {
    for (const closeClass of Object.values(CloseClass)) {
      const policy = { classes: { [closeClass]: 'stop' } };
      expect(normalizeOptions({ policy }).policy).toBe(policy);
    }
    expect(messageFor({ policy: { classes: { toString: 'stop' } } })).toBe(
      `Expected \`policy.classes\` to be keyed by close classes (${listed(Object.values(CloseClass))}), got "toString"`,
    );
  });
});
