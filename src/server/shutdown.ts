/**
 * The graceful shutdown's options, result and batch schedule. Pure.
 *
 * @module
 */

import { optionRangeError, optionTypeError, unknownOptionError } from '../core/errors.js';

/** How {@link ServerCompanion.shutdown} ends the connections. */
export interface ShutdownOptions {
  /**
   * The close code: `1012` (service restart: a deploy, the client comes back
   * after a spread delay) or `1001` (going away); any code `ws` may send
   * (1000, 1001, 1012, 1013, 3000-4999) is accepted.
   * @defaultValue `1001`
   */
  readonly code?: number;
  /**
   * The close reason, at most 123 UTF-8 bytes.
   * @defaultValue `''`
   */
  readonly reason?: string;
  /**
   * How long to wait for the closing handshakes after the last client was
   * asked to close, in ms; clients still open then are `terminate()`d.
   * @defaultValue `5000`
   */
  readonly drainMs?: number;
  /**
   * Close the clients in batches spread evenly over this many ms instead of
   * all at once (`0`): one batch every {@link shutdownBatchStepMs} ms.
   * @defaultValue `0`
   */
  readonly spreadMs?: number;
}

/** What a shutdown did. */
export interface ShutdownResult {
  /** Clients open when the shutdown began. */
  readonly clients: number;
  /** Clients whose connection ended with a completed closing handshake. */
  readonly closed: number;
  /** Clients still open when the drain ended, terminated without a close frame. */
  readonly terminated: number;
  /** From the call to the last connection gone, in ms. */
  readonly durationMs: number;
}

/** The step between two batches of a spread shutdown, in ms. */
export const shutdownBatchStepMs = 100;

/** The shutdown's options after validation. */
export type NormalizedShutdown = Required<ShutdownOptions>;

const sendableCodes = (code: number): boolean => Number.isInteger(code) && ((code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999));

/**
 * Validates the shutdown's options.
 *
 * @throws TypeError or RangeError naming the option, what was expected and what was given
 */
export function normalizeShutdown(options: ShutdownOptions = {}): NormalizedShutdown {
  if (typeof options !== 'object' || options === null) throw optionTypeError('shutdown options', 'an object', options);
  const known = ['code', 'reason', 'drainMs', 'spreadMs'];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw unknownOptionError('shutdown', key, known);
  const { code = 1001, reason = '', drainMs = 5_000, spreadMs = 0 } = options;
  if (typeof code !== 'number' || !sendableCodes(code)) throw optionRangeError('shutdown.code', 'a close code a server may send (1000-1003, 1007-1014, 3000-4999), e.g. 1012 or 1001', code);
  if (typeof reason !== 'string') throw optionTypeError('shutdown.reason', 'a string', reason);
  if (Buffer.byteLength(reason) > 123) throw optionRangeError('shutdown.reason', 'at most 123 UTF-8 bytes', reason);
  for (const [name, value] of [['drainMs', drainMs], ['spreadMs', spreadMs]] as const) {
    if (typeof value !== 'number') throw optionTypeError(`shutdown.${name}`, 'a number of milliseconds', value);
    if (!Number.isFinite(value) || value < 0) throw optionRangeError(`shutdown.${name}`, 'a finite number of milliseconds of at least 0', value);
  }
  return { code, reason, drainMs, spreadMs };
}

/**
 * The batch sizes of a shutdown of `clients` spread over `spreadMs`: one
 * batch every {@link shutdownBatchStepMs} ms, as even as the division allows.
 * `spreadMs` 0 (or under one step) is a single batch.
 */
export function planBatches(clients: number, spreadMs: number): number[] {
  const batches = Math.max(1, Math.min(clients, Math.floor(spreadMs / shutdownBatchStepMs) + 1));
  return Array.from({ length: batches }, (_, i) => Math.floor(((i + 1) * clients) / batches) - Math.floor((i * clients) / batches));
}
