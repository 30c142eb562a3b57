/**
 * Stand-in for src/core/policy.ts in the "without the close-code policy"
 * variant: every close is retried on the backoff schedule.
 *
 * @module
 */

import type { Decision, PolicyRule } from '../../../src/core/policy.js';
import type { CloseClass } from '../../../src/core/close-codes.js';

export type { Decision, PolicyContext, PolicyFunction, PolicyOptions, PolicyRange, PolicyRule } from '../../../src/core/policy.js';

/** No rule per class. */
export const defaultPolicy: Partial<Record<CloseClass, PolicyRule>> = {};

/** No presets. */
export const presets = {};

/** Always reconnect. */
export function decide(): Decision {
  return { action: 'reconnect' };
}
