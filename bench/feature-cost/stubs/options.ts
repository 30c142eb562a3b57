/**
 * Stand-in for src/core/options.ts in the "without option validation"
 * variant: the defaults merged in, nothing checked, nothing shared or
 * frozen. What a wrapper without validation does with its options.
 *
 * @module
 */

import { systemClock } from '../../../src/core/clock.js';
import { browserEnvironment, staticEnvironment } from '../../../src/core/environment.js';
import type { NormalizedOptions, ResilientWebSocketOptions } from '../../../src/core/options.js';

export type * from '../../../src/core/options.js';

export const defaults = {
  reconnect: { strategy: 'spread', baseDelayMs: 1_000, minDelayMs: 500, maxDelayMs: 10_000, maxRetries: Infinity, maxElapsedMs: Infinity, stableAfterMs: 10_000 },
  connectTimeoutMs: 10_000,
  heartbeat: { mode: 'active', intervalMs: 25_000, timeoutMs: 10_000, message: 'ping' },
  buffer: { maxMessages: 1_000, maxBytes: 1_048_576, overflow: 'drop-oldest' },
  historySize: 20,
} as const;

const isPong = (data: unknown): boolean => data === 'pong';

/** A group: `false` (or missing when off by default) is off, `true` the defaults, an object merged over them. */
function group(value: unknown, fallback: object, on: boolean): object | false {
  if (value === false || (value === undefined && !on)) return false;
  return { ...fallback, ...(typeof value === 'object' ? value : {}) };
}

/** The options with their defaults, unchecked. */
export function normalizeOptions(options?: ResilientWebSocketOptions): NormalizedOptions {
  const o: ResilientWebSocketOptions = typeof options === 'object' ? options : {};
  const environment = o.environment ?? true;
  return {
    WebSocket: o.WebSocket,
    reconnect: group(o.reconnect, defaults.reconnect, true),
    connectTimeoutMs: o.connectTimeoutMs ?? defaults.connectTimeoutMs,
    heartbeat: group(o.heartbeat, { ...defaults.heartbeat, isPong }, false),
    buffer: group(o.buffer, defaults.buffer, true),
    policy: o.policy ?? {},
    environment: environment === true ? browserEnvironment : environment === false ? staticEnvironment : environment,
    historySize: o.historySize ?? defaults.historySize,
    clock: o.clock ?? systemClock,
    diagnose: o.diagnose,
    logger: o.logger,
    debug: o.debug ?? false,
  } as NormalizedOptions;
}
