/**
 * Stand-in for src/core/environment.ts in the "without the page lifecycle"
 * variant: no page or network listener at all.
 *
 * @module
 */

import type { Environment } from '../../../src/core/environment.js';

export type { Environment, EnvironmentSignal } from '../../../src/core/environment.js';

/** No signals; online and visibility unknown. */
export const staticEnvironment: Environment = {
  subscribe: () => () => undefined,
  isOnline: () => null,
  isVisible: () => null,
};

/** The same: no page listeners. */
export const browserEnvironment: Environment = staticEnvironment;
