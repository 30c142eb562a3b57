/**
 * What the protocol recipes share: the heartbeat timing they default to,
 * its check, and lib0's variable-length unsigned integer (the framing of
 * y-protocols and Hocuspocus). Bundled into each recipe; nothing here
 * depends on a protocol package.
 *
 * @module
 */

import type { HeartbeatOptions } from 'resilient-websocket';
import { isDevelopment } from '../core/mode.js';

/** The heartbeat timing of a recipe. */
export interface RecipeTiming {
  /**
   * Inbound silence in ms before a ping goes out.
   * @defaultValue `5000`
   */
  readonly intervalMs?: number;
  /**
   * How long in ms to wait for the answer (any inbound message) before the
   * connection is declared dead (close 1006, reason `heartbeat timeout`).
   * @defaultValue `5000`
   */
  readonly timeoutMs?: number;
}

/**
 * The recipes' default timing: a silent half-open connection is noticed
 * within 10 s (the protocol clients' own watchdogs take 30 s or more), at
 * the cost of one small request per 5 s of silence.
 */
export const recipeTiming = { intervalMs: 5_000, timeoutMs: 5_000 } as const;

/**
 * Active heartbeat options whose `message` the protocol's server answers.
 * `isPong` never claims a message: every inbound message already counts as
 * liveness (see src/core/heartbeat.ts), and the answer belongs to the
 * protocol client, which must see it. (A recipe whose answer the client
 * never asked for, Phoenix's reply to a ref it did not make, replaces
 * `isPong` with one that claims it.)
 */
export function protocolHeartbeat(name: string, message: NonNullable<HeartbeatOptions['message']>, timing: RecipeTiming | undefined): HeartbeatOptions {
  if (timing !== undefined && (typeof timing !== 'object' || timing === null)) {
    throw new TypeError(isDevelopment ? `Expected the timing of ${name}() to be an object like { intervalMs, timeoutMs } or undefined, got ${typeof timing}` : `${name}: timing`);
  }
  return { ...recipeTiming, ...timing, mode: 'active', message, isPong: neverPong };
}

const neverPong = (): boolean => false;

/**
 * A y-protocols sync step 1 behind y-websocket's message type:
 * `[messageSync (0), syncStep1 (0), varUint8Array(stateVector)]`. The
 * answer is a sync step 2 holding only what that state vector lacks.
 */
export function syncStep1Bytes(stateVector: Uint8Array): number[] {
  return [0, 0, ...varUint(stateVector.byteLength), ...stateVector];
}

/** Checks the state-vector argument of a recipe. */
export function checkStateVector(name: string, stateVector: unknown): void {
  if (typeof stateVector !== 'function') {
    throw new TypeError(
      isDevelopment ? `Expected the stateVector argument of ${name}() to be a function returning the document's state vector, such as () => Y.encodeStateVector(doc), got ${typeof stateVector}` : `${name}: stateVector`,
    );
  }
}

/** The bytes of `value` as lib0's varUint: 7 bits a byte, low bits first, the high bit set on all but the last. */
export function varUint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  // Bounded: a safe integer has at most 8 groups of 7 bits.
  while (rest > 0x7f) {
    bytes.push(0x80 | (rest & 0x7f));
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}
