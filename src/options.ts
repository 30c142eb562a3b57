/**
 * The options of a socket: their public shapes, their defaults, and the one
 * place they are validated and normalized.
 *
 * @module
 */

import { BackoffStrategy, type BackoffOptions } from './backoff.js';
import { OverflowPolicy, type SendBufferLimits, type SendData } from './buffer.js';
import { systemClock, type Clock } from './clock.js';
import { browserEnvironment, staticEnvironment, type Environment } from './environment.js';
import { CloseClass } from './close-codes.js';
import { optionError, unknownOptionError } from './errors.js';
import type { HeartbeatConfig } from './heartbeat.js';
import type { PolicyOptions, PolicyRule } from './policy.js';

/**
 * The parts of a WebSocket instance the library uses. The platform's socket,
 * the `ws` package's and test doubles all fit.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The sub-protocol the server selected. */
  readonly protocol: string;
  /** The extensions the server selected. */
  readonly extensions: string;
  /** Bytes queued but not yet sent. */
  readonly bufferedAmount: number;
  /** How binary messages arrive (`'blob'`, `'arraybuffer'`, or an implementation's own). */
  binaryType: string;
  /** Receives the `open` event. */
  onopen: ((event: never) => void) | null;
  /** Receives each message event (`data`, and `origin` where the implementation has it). */
  onmessage: ((event: never) => void) | null;
  /** Receives the `error` event. */
  onerror: ((event: never) => void) | null;
  /** Receives the close event (`code`, `reason`, `wasClean`). */
  onclose: ((event: never) => void) | null;
  /** Sends a message. */
  send(data: SendData): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: the platform's, the `ws` package's, or a test double. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** A value, or a function (possibly async) called before every attempt to produce it. */
export type Provider<T> = T | (() => T | Promise<T>);

/** How and when to reconnect. */
export interface ReconnectOptions {
  /**
   * The shape of the backoff schedule.
   * @defaultValue `'full-jitter'`
   */
  readonly strategy?: BackoffStrategy;
  /**
   * The growth base in ms: retry `n` waits up to `baseDelayMs * 2^n` above the floor.
   * @defaultValue `1000`
   */
  readonly baseDelayMs?: number;
  /**
   * The floor in ms under the jitter of the backoff schedule. At most
   * `maxDelayMs`. The policy may choose shorter waits on purpose: the first
   * retry after an open connection drops without a close frame is uniform
   * in [0, 1 s], and signal-triggered retries (network back) wait 0-500 ms.
   * @defaultValue `500`, or `maxDelayMs` when that is smaller
   */
  readonly minDelayMs?: number;
  /**
   * The cap in ms of the backoff schedule (finite). With the default
   * strategy, once the schedule reaches it, waits are uniform in [0.8, 1]
   * times this. Policy decisions may exceed it on purpose: 1012 waits 1-5 s,
   * 1013 at least 5 s.
   * @defaultValue `10000`
   */
  readonly maxDelayMs?: number;
  /**
   * How many retries in a row before giving up (`giveup` event): a
   * non-negative integer or `Infinity`. `0` never reconnects; `Infinity`
   * never gives up.
   * @defaultValue `Infinity`
   */
  readonly maxRetries?: number;
  /**
   * How long in ms to keep retrying since the connection was last stable
   * (or since the first attempt, or `reconnect()`). `Infinity` never gives up.
   * @defaultValue `Infinity`
   */
  readonly maxElapsedMs?: number;
  /**
   * How long in ms a connection must stay open before the retry counter
   * resets, so a server that accepts and closes at once cannot cause a
   * tight loop.
   * @defaultValue `10000`
   */
  readonly stableAfterMs?: number;
}

/** The heartbeat: an application-level ping that detects half-open connections. */
export interface HeartbeatOptions {
  /**
   * `'active'` pings after `intervalMs` of inbound silence; `'passive'`
   * sends nothing and expects the server's own pings.
   * @defaultValue `'active'`
   */
  readonly mode?: 'active' | 'passive';
  /**
   * Inbound silence in ms before a ping goes out. Keep it well below the
   * shortest idle timeout on the path (nginx and ALB: 60 s).
   * @defaultValue `25000`
   */
  readonly intervalMs?: number;
  /**
   * How long in ms to wait for any inbound message after a ping before the
   * connection is declared dead (close 1006, reason `heartbeat timeout`).
   * @defaultValue `10000`
   */
  readonly timeoutMs?: number;
  /**
   * The ping message, or a function that makes one.
   * @defaultValue `'ping'`
   */
  readonly message?: SendData | (() => SendData);
  /**
   * Recognizes the server's answer; pongs are not delivered to `message` listeners.
   * @defaultValue `data => data === 'pong'`
   */
  readonly isPong?: (data: unknown) => boolean;
}

/** The queue for messages sent while not open. */
export interface BufferOptions {
  /**
   * The most messages held.
   * @defaultValue `1000`
   */
  readonly maxMessages?: number;
  /**
   * The most bytes held (strings counted as UTF-8).
   * @defaultValue `1048576` (1 MiB)
   */
  readonly maxBytes?: number;
  /**
   * What to do when a message does not fit; a `drop` event fires whatever the choice.
   * @defaultValue `'drop-oldest'`
   */
  readonly overflow?: OverflowPolicy;
}

/** The options of a {@link ResilientWebSocket}. Every group takes `false`, `true` or an object. */
export interface ResilientWebSocketOptions {
  /**
   * The WebSocket implementation. Defaults to the platform's, captured when
   * the module loaded. Required in Node before 22: pass the `ws` package's class.
   */
  readonly WebSocket?: WebSocketConstructor;
  /**
   * Reconnect with backoff (`true`), not at all (`false`: heartbeat,
   * timeouts and truthful close events still apply), or as configured.
   * @defaultValue `true`
   */
  readonly reconnect?: boolean | ReconnectOptions;
  /**
   * Abandon an attempt that has not opened after this many ms, URL and
   * protocols providers included (at least 1; reported as 1006, reason
   * `connect timeout`, then retried); `false` waits for the platform.
   * @defaultValue `10000`
   */
  readonly connectTimeoutMs?: number | false;
  /**
   * The heartbeat. Off by default, because the server must answer pings.
   * @defaultValue `false`
   */
  readonly heartbeat?: boolean | HeartbeatOptions;
  /**
   * Queue `send()` while not open (`true` or limits), or throw
   * `InvalidStateError` like the native socket (`false`).
   * @defaultValue `true`
   */
  readonly buffer?: boolean | BufferOptions;
  /** Overrides of the default close-code policy. */
  readonly policy?: PolicyOptions;
  /**
   * Where network and page signals come from: the browser's globals
   * (`true`), none (`false`), or your own source (an object with
   * `subscribe()`, `isOnline()` and `isVisible()`).
   * @defaultValue `true`
   */
  readonly environment?: boolean | Environment;
  /**
   * How many close reports `history` keeps: a non-negative integer (`0` keeps none).
   * @defaultValue `20`
   */
  readonly historySize?: number;
  /** Time, timers and randomness; for tests. @defaultValue the system clock */
  readonly clock?: Clock;
}

/** Options after validation, with every default filled in. */
export interface NormalizedOptions {
  readonly WebSocket: WebSocketConstructor | undefined;
  readonly reconnect: (BackoffOptions & { readonly maxRetries: number; readonly maxElapsedMs: number; readonly stableAfterMs: number }) | false;
  readonly connectTimeoutMs: number | false;
  readonly heartbeat: HeartbeatConfig | false;
  readonly buffer: SendBufferLimits | false;
  readonly policy: PolicyOptions;
  readonly environment: Environment;
  readonly historySize: number;
  readonly clock: Clock;
}

/** The defaults, for documentation and for spreading into your own. */
export const defaults = {
  reconnect: { strategy: 'full-jitter', baseDelayMs: 1_000, minDelayMs: 500, maxDelayMs: 10_000, maxRetries: Infinity, maxElapsedMs: Infinity, stableAfterMs: 10_000 },
  connectTimeoutMs: 10_000,
  heartbeat: { mode: 'active', intervalMs: 25_000, timeoutMs: 10_000, message: 'ping' },
  buffer: { maxMessages: 1_000, maxBytes: 1_048_576, overflow: 'drop-oldest' },
  historySize: 20,
} as const;

const isPong = (data: unknown): boolean => data === 'pong';

let normalizedDefaults: NormalizedOptions | undefined;
let defaultReconnect: NormalizedOptions['reconnect'] | undefined;
let defaultBuffer: NormalizedOptions['buffer'] | undefined;

/**
 * Validates `options` once and fills in every default. Only a missing
 * (`undefined`) option takes its default; `null` is rejected like any other
 * value of the wrong type.
 *
 * @throws TypeError (wrong type, unknown keyword) or RangeError (a number out
 * of range), each with `code: 'ERR_INVALID_OPTION'` and a message naming the
 * option, what was expected and what was given
 */
export function normalizeOptions(options: ResilientWebSocketOptions | undefined): NormalizedOptions {
  // The native constructor ignores a third argument, and so do we unless it is an object:
  // code written for the native socket (the web-platform tests among it) may pass one.
  // Sockets without options share one normalized set (it is never mutated).
  if (typeof options !== 'object' || options === null) return (normalizedDefaults ??= normalizeOptions({}));
  if (Array.isArray(options)) throw optionError('type', 'options', 'an object', options);
  const o = options;
  onlyKnown('', o, ['WebSocket', 'reconnect', 'connectTimeoutMs', 'heartbeat', 'buffer', 'policy', 'environment', 'historySize', 'clock']);
  if (o.WebSocket !== undefined && typeof o.WebSocket !== 'function') {
    throw optionError('type', 'WebSocket', 'a WebSocket class', o.WebSocket);
  }
  return {
    WebSocket: o.WebSocket,
    reconnect: normalizeReconnect(o.reconnect),
    connectTimeoutMs: normalizeConnectTimeout(o.connectTimeoutMs),
    heartbeat: normalizeHeartbeat(o.heartbeat),
    buffer: normalizeBuffer(o.buffer),
    policy: normalizePolicy(o.policy),
    environment: normalizeEnvironment(o.environment),
    historySize: count('historySize', or(o.historySize, defaults.historySize)),
    clock: normalizeClock(o.clock),
  };
}

/** `value`, or `fallback` when it is missing: unlike `??`, a `null` stays and is rejected. */
function or<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function normalizeConnectTimeout(value: ResilientWebSocketOptions['connectTimeoutMs']): number | false {
  if (value === false) return false;
  if (typeof value !== 'number' && value !== undefined) throw optionError('type', 'connectTimeoutMs', 'a number of milliseconds or false', value);
  return duration('connectTimeoutMs', or(value, defaults.connectTimeoutMs), 1);
}

function group<T extends object>(name: string, value: boolean | T | undefined, onByDefault: boolean, keys: readonly (keyof T & string)[]): T | false {
  if (value === undefined) return onByDefault ? ({} as T) : false;
  if (value === true) return {} as T;
  if (value === false) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw optionError('type', name, 'a boolean or an object', value);
  }
  onlyKnown(name, value, keys);
  return value;
}

/** Rejects keys that are not options: a misspelt one would otherwise be ignored silently. */
function onlyKnown(group: string, value: object, keys: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw unknownOptionError(group, key, keys);
  }
}

function normalizeReconnect(value: ResilientWebSocketOptions['reconnect']): NormalizedOptions['reconnect'] {
  if (value === undefined || value === true) return (defaultReconnect ??= reconnectGroup({}));
  return reconnectGroup(value);
}

function reconnectGroup(value: ResilientWebSocketOptions['reconnect']): NormalizedOptions['reconnect'] {
  const r = group<ReconnectOptions>('reconnect', value, true, ['strategy', 'baseDelayMs', 'minDelayMs', 'maxDelayMs', 'maxRetries', 'maxElapsedMs', 'stableAfterMs']);
  if (r === false) return false;
  const d = defaults.reconnect;
  const strategy = or(r.strategy, d.strategy);
  if (!Object.values(BackoffStrategy).includes(strategy)) {
    throw optionError('type', 'reconnect.strategy', oneOf(Object.values(BackoffStrategy)), strategy);
  }
  const maxDelayMs = duration('reconnect.maxDelayMs', or(r.maxDelayMs, d.maxDelayMs));
  const minDelayMs = duration('reconnect.minDelayMs', or(r.minDelayMs, Math.min(d.minDelayMs, maxDelayMs)));
  if (minDelayMs > maxDelayMs) {
    throw optionError('range', 'reconnect.minDelayMs', `at most \`reconnect.maxDelayMs\` (${maxDelayMs})`, minDelayMs);
  }
  return {
    strategy,
    baseDelayMs: duration('reconnect.baseDelayMs', or(r.baseDelayMs, d.baseDelayMs)),
    minDelayMs,
    maxDelayMs,
    maxRetries: count('reconnect.maxRetries', or(r.maxRetries, d.maxRetries), true),
    maxElapsedMs: duration('reconnect.maxElapsedMs', or(r.maxElapsedMs, d.maxElapsedMs), 0, true),
    stableAfterMs: duration('reconnect.stableAfterMs', or(r.stableAfterMs, d.stableAfterMs)),
  };
}

function normalizeHeartbeat(value: ResilientWebSocketOptions['heartbeat']): NormalizedOptions['heartbeat'] {
  const h = group<HeartbeatOptions>('heartbeat', value, false, ['mode', 'intervalMs', 'timeoutMs', 'message', 'isPong']);
  if (h === false) return false;
  const d = defaults.heartbeat;
  const mode = or(h.mode, d.mode);
  if (mode !== 'active' && mode !== 'passive') throw optionError('type', 'heartbeat.mode', oneOf(['active', 'passive']), mode);
  const message = or(h.message, d.message);
  if (!isSendable(message) && typeof message !== 'function') {
    throw optionError('type', 'heartbeat.message', 'a string, ArrayBuffer, typed array, Blob or a function returning one', message);
  }
  if (h.isPong !== undefined && typeof h.isPong !== 'function') throw optionError('type', 'heartbeat.isPong', 'a function', h.isPong);
  return {
    mode,
    intervalMs: duration('heartbeat.intervalMs', or(h.intervalMs, d.intervalMs), 1),
    timeoutMs: duration('heartbeat.timeoutMs', or(h.timeoutMs, d.timeoutMs), 1),
    message,
    isPong: h.isPong ?? isPong,
  };
}

function normalizeBuffer(value: ResilientWebSocketOptions['buffer']): NormalizedOptions['buffer'] {
  if (value === undefined || value === true) return (defaultBuffer ??= bufferGroup({}));
  return bufferGroup(value);
}

function bufferGroup(value: ResilientWebSocketOptions['buffer']): NormalizedOptions['buffer'] {
  const b = group<BufferOptions>('buffer', value, true, ['maxMessages', 'maxBytes', 'overflow']);
  if (b === false) return false;
  const d = defaults.buffer;
  const overflow = or(b.overflow, d.overflow);
  if (!Object.values(OverflowPolicy).includes(overflow)) {
    throw optionError('type', 'buffer.overflow', oneOf(Object.values(OverflowPolicy)), overflow);
  }
  return {
    maxMessages: count('buffer.maxMessages', or(b.maxMessages, d.maxMessages), true),
    maxBytes: count('buffer.maxBytes', or(b.maxBytes, d.maxBytes), true),
    overflow,
  };
}

function normalizePolicy(value: PolicyOptions | undefined): PolicyOptions {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw optionError('type', 'policy', 'an object', value);
  onlyKnown('policy', value, ['decide', 'codes', 'ranges', 'classes']);
  if (value.decide !== undefined && typeof value.decide !== 'function') {
    throw optionError('type', 'policy.decide', 'a function', value.decide);
  }
  if (value.codes !== undefined) {
    if (!isRecord(value.codes)) throw optionError('type', 'policy.codes', 'an object keyed by close code', value.codes);
    for (const [key, rule] of Object.entries(value.codes)) {
      const code = Number(key);
      if (!Number.isInteger(code)) throw optionError('type', 'policy.codes', 'keyed by close codes from 1000 to 4999', key);
      if (code < 1000 || code > 4999) throw optionError('range', 'policy.codes', 'keyed by close codes from 1000 to 4999', code);
      checkRule(`policy.codes[${key}]`, rule);
    }
  }
  if (value.ranges !== undefined) {
    if (!Array.isArray(value.ranges)) throw optionError('type', 'policy.ranges', 'an array of {from, to, rule}', value.ranges);
    value.ranges.forEach((range: unknown, i) => {
      const name = `policy.ranges[${i}]`;
      if (typeof range !== 'object' || range === null) throw optionError('type', name, 'an object {from, to, rule}', range);
      const { from, to, rule } = range as Record<string, unknown>;
      closeCode(`${name}.from`, from);
      closeCode(`${name}.to`, to);
      if ((to as number) < (from as number)) throw optionError('range', `${name}.to`, `at least \`${name}.from\` (${String(from)})`, to);
      checkRule(`${name}.rule`, rule);
    });
  }
  if (value.classes !== undefined) {
    if (!isRecord(value.classes)) throw optionError('type', 'policy.classes', 'an object keyed by close class', value.classes);
    const classes: readonly string[] = Object.values(CloseClass);
    for (const [name, rule] of Object.entries(value.classes)) {
      if (!classes.includes(name)) throw optionError('type', 'policy.classes', `keyed by close classes (${oneOf(classes)})`, name);
      checkRule(`policy.classes.${name}`, rule);
    }
  }
  return value;
}

function checkRule(name: string, rule: unknown): asserts rule is PolicyRule {
  if (rule === 'reconnect' || rule === 'stop' || typeof rule === 'function') return;
  const expected = "'reconnect', 'stop', a function, or {action: 'reconnect' | 'stop', ...}";
  if (typeof rule !== 'object' || rule === null) throw optionError('type', name, expected, rule);
  const r = rule as Record<string, unknown>;
  if (r.action === 'stop') {
    if (r.reason !== undefined && typeof r.reason !== 'string') throw optionError('type', `${name}.reason`, 'a string', r.reason);
    return;
  }
  if (r.action !== 'reconnect') throw optionError('type', `${name}.action`, "'reconnect' or 'stop'", r.action);
  for (const key of ['delayMs', 'minDelayMs', 'maxDelayMs'] as const) {
    if (r[key] !== undefined) duration(`${name}.${key}`, r[key]);
  }
  if (r.maxRetries !== undefined) count(`${name}.maxRetries`, r.maxRetries, true);
}

function normalizeEnvironment(value: ResilientWebSocketOptions['environment']): Environment {
  if (value === undefined || value === true) return browserEnvironment;
  if (value === false) return staticEnvironment;
  const methods = ['subscribe', 'isOnline', 'isVisible'] as const;
  if (typeof value !== 'object' || value === null || methods.some((m) => typeof value[m] !== 'function')) {
    throw optionError('type', 'environment', 'a boolean or an object with subscribe(), isOnline() and isVisible()', value);
  }
  return value;
}

function normalizeClock(value: Clock | undefined): Clock {
  if (value === undefined) return systemClock;
  const methods = ['now', 'random', 'setTimeout', 'clearTimeout'] as const;
  if (typeof value !== 'object' || value === null || methods.some((m) => typeof value[m] !== 'function')) {
    throw optionError('type', 'clock', 'an object with now(), random(), setTimeout() and clearTimeout()', value);
  }
  return value;
}

/** A finite, non-negative number of milliseconds (or Infinity where allowed), at least `min`. */
function duration(name: string, value: unknown, min = 0, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw optionError('type', name, 'a number of milliseconds', value);
  if (value < min || (!allowInfinity && !Number.isFinite(value))) {
    throw optionError('range', name, `a finite number of milliseconds ≥ ${min}${allowInfinity ? ' or Infinity' : ''}`, value);
  }
  return value;
}

/** A non-negative integer (or Infinity where allowed). */
function count(name: string, value: unknown, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw optionError('type', name, 'a number', value);
  if (value < 0 || (!Number.isInteger(value) && !(allowInfinity && value === Infinity))) {
    throw optionError('range', name, `a non-negative integer${allowInfinity ? ' or Infinity' : ''}`, value);
  }
  return value;
}

function closeCode(name: string, value: unknown): void {
  if (typeof value !== 'number') throw optionError('type', name, 'a close code (a number from 1000 to 4999)', value);
  if (!Number.isInteger(value) || value < 1000 || value > 4999) throw optionError('range', name, 'a close code from 1000 to 4999', value);
}

/** A plain object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSendable(value: unknown): value is SendData {
  return (
    typeof value === 'string' ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof Blob !== 'undefined' && value instanceof Blob)
  );
}

function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => `'${v}'`).join(', ')}`;
}
