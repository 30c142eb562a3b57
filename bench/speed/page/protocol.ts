/**
 * What the driver and the page exchange (JSON through `Runtime.evaluate`).
 *
 * @module
 */

import type { ResilientWebSocketOptions } from '../../../src/index.js';

/** Which socket a measurement uses. */
export type SocketSpec =
  /** The browser's own `WebSocket`. */
  | { readonly kind: 'native' }
  /** `ResilientWebSocket` from the script-tag bundle; no options object at all when `options` is absent. */
  | { readonly kind: 'ours'; readonly options?: ResilientWebSocketOptions };

/** Timer activity in the page since load (or the last reset). */
export interface TimerCounts {
  /** `setTimeout` and `setInterval` calls. */
  armed: number;
  /** `clearTimeout` and `clearInterval` calls. */
  cleared: number;
  /** Timer callbacks run (each is one wake-up). */
  fired: number;
}

/** Common to every measurement. */
export interface RunSpec {
  readonly socket: SocketSpec;
  /** The echo endpoint. */
  readonly url: string;
  /** Give up (reject) after this long. */
  readonly timeoutMs: number;
}

/** Sends `count` messages at once, then waits for all echoes. */
export interface StreamSpec extends RunSpec {
  readonly count: number;
  /** Text of this many characters, or an ArrayBuffer of this many bytes. */
  readonly size: number;
  readonly binary: boolean;
}

/** A stream's outcome. */
export interface StreamResult {
  /** First send to last echo. */
  readonly ms: number;
  /** Timer calls the socket made during the stream. */
  readonly timers: TimerCounts;
}

/** One message at a time, `count` times. */
export interface RoundTripSpec extends RunSpec {
  readonly count: number;
}

/** Round-trip latency percentiles, in microseconds. */
export interface RoundTripResult {
  readonly p50Us: number;
  readonly p99Us: number;
}

/** Opens and closes `count` sockets one after the other, `gapMs` apart. */
export interface OpenSpec extends RunSpec {
  readonly count: number;
  readonly gapMs: number;
}

/** Opens `count` sockets and keeps them. */
export interface HoldSpec extends RunSpec {
  readonly count: number;
}

/** What the page says about itself. */
export interface PageInfo {
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly visibilityState: string;
  /** The smallest non-zero step of `performance.now()` seen, in microseconds. */
  readonly clockResolutionUs: number;
  readonly libraryLoaded: boolean;
}
