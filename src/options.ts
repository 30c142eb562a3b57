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
import { optionPath, optionRangeError, optionTypeError, unknownOptionError } from './errors.js';
import type { HeartbeatConfig } from './heartbeat.js';
import { isDevelopment } from './mode.js';
import type { PolicyOptions, PolicyRule } from './policy.js';
import type { DiagnoseFunction } from './diagnosis/types.js';
import type { LogFunction, Logger } from './close-log.js';

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
   * The shape of the backoff schedule. The default, `'spread'`, spreads a
   * fleet that lost the server together evenly over one `maxDelayMs` from
   * the first wait on; `'full-jitter'` grows from `baseDelayMs` instead.
   * @defaultValue `'spread'`
   */
  readonly strategy?: BackoffStrategy;
  /**
   * The growth base in ms: retry `n` waits up to `baseDelayMs * 2^n` above
   * the floor. Used by `'full-jitter'`, `'equal'`, `'decorrelated'` and
   * `'none'`; the default `'spread'` does not grow.
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
   * strategy, the first wait the schedule chooses is spread over
   * [minDelayMs, maxDelayMs] and later waits are uniform in [0.8, 1] times
   * this, so a fleet comes back spread over about one cap. Policy floors
   * may exceed it on purpose: 1013 waits at least 5 s.
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
  /**
   * Diagnoses the close history after every close and every open (an open
   * after failed handshakes says the server is back): pass the exported
   * `diagnose` function, or your own with its signature. The result is
   * `ws.diagnosis`, and a `diagnosis` event fires when it changes. Taken as
   * a function rather than `true` so that an application that never asks
   * for a diagnosis does not ship it.
   * @defaultValue none: `ws.diagnosis` stays `null`
   * @example
   * ```ts
   * import { ResilientWebSocket, diagnose } from 'resilient-websocket';
   * const ws = new ResilientWebSocket(url, [], { diagnose });
   * ```
   */
  readonly diagnose?: DiagnoseFunction;
  /**
   * Writes one line per close (code, reason, wasClean, class, initiator,
   * phase, open duration, silence, decision and delay, the URL redacted, and
   * the diagnosis when it changed) with a structured entry: a function
   * `(line, entry)`, or an object whose `info`, `warn` or `error` method is
   * called as `(line, entry)`. No URL credential and no message is logged.
   * @defaultValue none; `debug: true` logs to the console
   */
  readonly logger?: Logger | LogFunction;
  /**
   * `true` logs every close to the console (the same as `logger: console`);
   * a `logger` takes precedence.
   * @defaultValue `false`
   */
  readonly debug?: boolean;
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
  readonly diagnose: DiagnoseFunction | undefined;
  readonly logger: Logger | LogFunction | undefined;
  readonly debug: boolean;
}

/** The defaults, for documentation and for spreading into your own. */
export const defaults = {
  reconnect: { strategy: 'spread', baseDelayMs: 1_000, minDelayMs: 500, maxDelayMs: 10_000, maxRetries: Infinity, maxElapsedMs: Infinity, stableAfterMs: 10_000 },
  connectTimeoutMs: 10_000,
  heartbeat: { mode: 'active', intervalMs: 25_000, timeoutMs: 10_000, message: 'ping' },
  buffer: { maxMessages: 1_000, maxBytes: 1_048_576, overflow: 'drop-oldest' },
  historySize: 20,
} as const;

const isPong = (data: unknown): boolean => data === 'pong';

/**
 * How one option is checked. A rule never sees `undefined`: a missing option
 * takes its default first, and stays `undefined` when it has none.
 */
type Rule =
  /** A finite number of milliseconds, at least `min` (default 0), or also `Infinity`. */
  | { readonly kind: 'duration'; readonly min?: number; readonly allowInfinity?: boolean }
  /** A non-negative integer, or also `Infinity`. */
  | { readonly kind: 'count'; readonly allowInfinity?: boolean }
  /** One of the values of an enum object, or of a list. */
  | { readonly kind: 'enum'; readonly values: Readonly<Record<string, string>> | readonly string[] }
  /** Any value that passes `test`; anything else is a TypeError expecting `expected` (`false` in production builds). */
  | { readonly kind: 'type'; readonly test: (value: unknown) => boolean; readonly expected: string | false }
  /** A check of its own: returns the normalized value, or throws. */
  | ((value: unknown, name: string) => unknown);

/**
 * The rules of a group of options, by name, in the documented order: the
 * order they are checked in, listed in errors, and returned in.
 */
type Rules = Readonly<Record<string, Rule>>;

const milliseconds: Rule = { kind: 'duration' };
const positiveMilliseconds: Rule = { kind: 'duration', min: 1 };
const countOrInfinity: Rule = { kind: 'count', allowInfinity: true };
const aFunction: Rule = { kind: 'type', test: isFunction, expected: isDevelopment && 'a function' };

/** The top-level options; each group's own rules follow. */
const optionRules: Rules = {
  WebSocket: { kind: 'type', test: isFunction, expected: isDevelopment && 'a WebSocket class' },
  reconnect: normalizeReconnect,
  connectTimeoutMs: normalizeConnectTimeout,
  heartbeat: normalizeHeartbeat,
  buffer: normalizeBuffer,
  policy: normalizePolicy,
  environment: normalizeEnvironment,
  historySize: { kind: 'count' },
  clock: { kind: 'type', test: isClock, expected: isDevelopment && 'an object with now(), random(), setTimeout() and clearTimeout()' },
  diagnose: aFunction,
  logger: { kind: 'type', test: (value) => isFunction(value) || hasMethods<Logger>(value, ['info', 'warn', 'error']), expected: isDevelopment && 'a function or an object with info(), warn() and error()' },
  debug: { kind: 'type', test: (value) => typeof value === 'boolean', expected: isDevelopment && 'a boolean' },
};

const reconnectRules: Rules = {
  strategy: { kind: 'enum', values: BackoffStrategy },
  baseDelayMs: milliseconds,
  minDelayMs: milliseconds,
  maxDelayMs: milliseconds,
  maxRetries: countOrInfinity,
  maxElapsedMs: { kind: 'duration', allowInfinity: true },
  stableAfterMs: milliseconds,
};

const heartbeatRules: Rules = {
  mode: { kind: 'enum', values: ['active', 'passive'] },
  intervalMs: positiveMilliseconds,
  timeoutMs: positiveMilliseconds,
  message: { kind: 'type', test: isHeartbeatMessage, expected: isDevelopment && 'a string, ArrayBuffer, typed array, Blob or a function returning one' },
  isPong: aFunction,
};

const bufferRules: Rules = {
  maxMessages: countOrInfinity,
  maxBytes: countOrInfinity,
  overflow: { kind: 'enum', values: OverflowPolicy },
};

const policyRules: Rules = {
  decide: aFunction,
  codes: checkPolicyCodes,
  ranges: checkPolicyRanges,
  classes: checkPolicyClasses,
};

/** The optional fields of a `{action: 'reconnect', ...}` policy rule. */
const reconnectActionRules: Rules = {
  delayMs: milliseconds,
  minDelayMs: milliseconds,
  maxDelayMs: milliseconds,
  maxRetries: countOrInfinity,
};

let normalizedDefaults: NormalizedOptions | undefined;
/** The last result of normalizeOptions: sockets whose options come out the same share it. */
let lastNormalized: NormalizedOptions | undefined;
/** The policy of a socket that sets none: shared, frozen. */
const noPolicy: PolicyOptions = Object.freeze({});
let defaultReconnect: NormalizedOptions['reconnect'] | undefined;
let defaultBuffer: NormalizedOptions['buffer'] | undefined;
let defaultHeartbeat: NormalizedOptions['heartbeat'] | undefined;

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
  // Sockets without options share one normalized set, frozen so that sharing stays safe.
  if (typeof options !== 'object' || options === null) return (normalizedDefaults ??= Object.freeze(normalizeOptions({})));
  if (Array.isArray(options)) throw optionTypeError('options', isDevelopment && 'an object', options);
  onlyKnown('', options, optionRules);
  // A group defaults to its on/off switch, which its rule then expands.
  const fallback = { ...defaults, reconnect: true, heartbeat: false, buffer: true, policy: noPolicy, environment: true, clock: systemClock, debug: false };
  const normalized = checkFields('', options, optionRules, fallback);
  // Groups left at their defaults are shared objects already, so equal options compare equal field by field.
  const same = lastNormalized !== undefined && Object.entries(lastNormalized).every(([key, value]) => normalized[key] === value);
  return same && lastNormalized ? lastNormalized : (lastNormalized = Object.freeze(normalized as unknown as NormalizedOptions));
}

/** `value`, or `fallback` when it is missing: unlike `??`, a `null` stays and is rejected. */
function or<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Rejects keys that are not options: a misspelt one would otherwise be ignored silently. */
function onlyKnown(group: string, value: object, rules: Rules): void {
  const keys = Object.keys(rules);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw unknownOptionError(group, key, keys);
  }
}

/**
 * Checks the fields of `value` named in `rules`, in that order, and returns
 * them normalized. A missing (`undefined`) field takes its value in
 * `fallback`, and stays `undefined` when it has none there.
 */
function checkFields(group: string, value: object, rules: Rules, fallback: object = {}): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(rules)) {
    const given = or((value as Record<string, unknown>)[key], (fallback as Record<string, unknown>)[key]);
    result[key] = given === undefined ? undefined : check(rule, given, optionPath(group, key));
  }
  return result;
}

/** Checks the option `name` by its rule and returns it normalized. */
function check(rule: Rule, value: unknown, name: string): unknown {
  if (typeof rule === 'function') return rule(value, name);
  switch (rule.kind) {
    case 'duration':
      return duration(name, value, rule.min, rule.allowInfinity);
    case 'count':
      return count(name, value, rule.allowInfinity);
    case 'enum': {
      const values = Object.values(rule.values);
      if (typeof value !== 'string' || !values.includes(value)) throw optionTypeError(name, isDevelopment && oneOf(values), value);
      return value;
    }
    case 'type':
      if (!rule.test(value)) throw optionTypeError(name, rule.expected, value);
      return value;
  }
}

/** A group (`reconnect`, `heartbeat`, `buffer`): `false` turns it off, `true` takes every default, an object some. */
function group(value: unknown, name: string, rules: Rules, fallback: object): Record<string, unknown> | false {
  if (value === false) return false;
  if (value === true) return checkFields(name, {}, rules, fallback);
  if (!isRecord(value)) throw optionTypeError(name, isDevelopment && 'a boolean or an object', value);
  onlyKnown(name, value, rules);
  return checkFields(name, value, rules, fallback);
}

function normalizeConnectTimeout(value: unknown, name: string): number | false {
  if (value === false) return false;
  if (typeof value !== 'number') throw optionTypeError(name, isDevelopment && 'a number of milliseconds or false', value);
  return duration(name, value, 1);
}

/** `T` with its properties writable, for a result still being completed. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function normalizeReconnect(value: unknown, name: string): NormalizedOptions['reconnect'] {
  if (value === true) return (defaultReconnect ??= Object.freeze(normalizeReconnect({}, name)));
  const reconnect = group(value, name, reconnectRules, defaults.reconnect) as Writable<Exclude<NormalizedOptions['reconnect'], false>> | false;
  if (reconnect === false) return false;
  // A cap below the default floor lowers the floor instead of being rejected
  // (`value` is an object here: group() turned `false` off and rejected the rest).
  if ((value as ReconnectOptions).minDelayMs === undefined) reconnect.minDelayMs = Math.min(reconnect.minDelayMs, reconnect.maxDelayMs);
  if (reconnect.minDelayMs > reconnect.maxDelayMs) {
    throw optionRangeError(`${name}.minDelayMs`, isDevelopment && `at most \`${name}.maxDelayMs\` (${reconnect.maxDelayMs})`, reconnect.minDelayMs);
  }
  return reconnect;
}

function normalizeHeartbeat(value: unknown, name: string): NormalizedOptions['heartbeat'] {
  if (value === true) return (defaultHeartbeat ??= Object.freeze(normalizeHeartbeat({}, name)));
  return group(value, name, heartbeatRules, { ...defaults.heartbeat, isPong }) as NormalizedOptions['heartbeat'];
}

function normalizeBuffer(value: unknown, name: string): NormalizedOptions['buffer'] {
  if (value === true) return (defaultBuffer ??= Object.freeze(normalizeBuffer({}, name)));
  return group(value, name, bufferRules, defaults.buffer) as NormalizedOptions['buffer'];
}

function normalizePolicy(value: unknown, name: string): PolicyOptions {
  if (!isRecord(value)) throw optionTypeError(name, isDevelopment && 'an object', value);
  onlyKnown(name, value, policyRules);
  checkFields(name, value, policyRules);
  return value;
}

function checkPolicyCodes(codes: unknown, name: string): void {
  if (!isRecord(codes)) throw optionTypeError(name, isDevelopment && 'an object keyed by close code', codes);
  for (const [key, rule] of Object.entries(codes)) {
    const code = Number(key);
    const expected = isDevelopment && 'keyed by close codes from 1000 to 4999';
    if (!Number.isInteger(code)) throw optionTypeError(name, expected, key);
    if (code < 1000 || code > 4999) throw optionRangeError(name, expected, code);
    checkRule(`${name}[${key}]`, rule);
  }
}

function checkPolicyRanges(ranges: unknown, name: string): void {
  if (!Array.isArray(ranges)) throw optionTypeError(name, isDevelopment && 'an array of {from, to, rule}', ranges);
  ranges.forEach((range: unknown, i) => {
    const path = `${name}[${i}]`;
    if (typeof range !== 'object' || range === null) throw optionTypeError(path, isDevelopment && 'an object {from, to, rule}', range);
    const { from, to, rule } = range as Record<string, unknown>;
    closeCode(`${path}.from`, from);
    closeCode(`${path}.to`, to);
    if ((to as number) < (from as number)) throw optionRangeError(`${path}.to`, isDevelopment && `at least \`${path}.from\` (${String(from)})`, to);
    checkRule(`${path}.rule`, rule);
  });
}

function checkPolicyClasses(classes: unknown, name: string): void {
  if (!isRecord(classes)) throw optionTypeError(name, isDevelopment && 'an object keyed by close class', classes);
  const known: readonly string[] = Object.values(CloseClass);
  for (const [closeClass, rule] of Object.entries(classes)) {
    if (!known.includes(closeClass)) throw optionTypeError(name, isDevelopment && `keyed by close classes (${oneOf(known)})`, closeClass);
    checkRule(`${name}.${closeClass}`, rule);
  }
}

function checkRule(name: string, rule: unknown): asserts rule is PolicyRule {
  if (rule === 'reconnect' || rule === 'stop' || typeof rule === 'function') return;
  const expected = isDevelopment && "'reconnect', 'stop', a function, or {action: 'reconnect' | 'stop', ...}";
  if (typeof rule !== 'object' || rule === null) throw optionTypeError(name, expected, rule);
  const r = rule as Record<string, unknown>;
  if (r.action === 'stop') {
    if (r.reason !== undefined && typeof r.reason !== 'string') throw optionTypeError(`${name}.reason`, isDevelopment && 'a string', r.reason);
    return;
  }
  if (r.action !== 'reconnect') throw optionTypeError(`${name}.action`, isDevelopment && "'reconnect' or 'stop'", r.action);
  checkFields(name, r, reconnectActionRules);
}

function normalizeEnvironment(value: unknown, name: string): Environment {
  if (value === true) return browserEnvironment;
  if (value === false) return staticEnvironment;
  if (!hasMethods<Environment>(value, ['subscribe', 'isOnline', 'isVisible'])) {
    throw optionTypeError(name, isDevelopment && 'a boolean or an object with subscribe(), isOnline() and isVisible()', value);
  }
  return value;
}

function isClock(value: unknown): value is Clock {
  return hasMethods<Clock>(value, ['now', 'random', 'setTimeout', 'clearTimeout']);
}

/** An object with each of `methods`. */
function hasMethods<T>(value: unknown, methods: readonly (keyof T & string)[]): value is T {
  return typeof value === 'object' && value !== null && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** A finite, non-negative number of milliseconds (or Infinity where allowed), at least `min`. */
function duration(name: string, value: unknown, min = 0, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw optionTypeError(name, isDevelopment && 'a number of milliseconds', value);
  if (value < min || (!allowInfinity && !Number.isFinite(value))) {
    throw optionRangeError(name, isDevelopment && `a finite number of milliseconds ≥ ${min}${allowInfinity ? ' or Infinity' : ''}`, value);
  }
  return value;
}

/** A non-negative integer (or Infinity where allowed). */
function count(name: string, value: unknown, allowInfinity = false): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw optionTypeError(name, isDevelopment && 'a number', value);
  if (value < 0 || (!Number.isInteger(value) && !(allowInfinity && value === Infinity))) {
    throw optionRangeError(name, isDevelopment && `a non-negative integer${allowInfinity ? ' or Infinity' : ''}`, value);
  }
  return value;
}

function closeCode(name: string, value: unknown): void {
  if (typeof value !== 'number') throw optionTypeError(name, isDevelopment && 'a close code (a number from 1000 to 4999)', value);
  if (!Number.isInteger(value) || value < 1000 || value > 4999) throw optionRangeError(name, isDevelopment && 'a close code from 1000 to 4999', value);
}

/** A plain object (not null, not an array). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFunction(value: unknown): boolean {
  return typeof value === 'function';
}

/** A message the heartbeat can send, or a function that makes one. */
function isHeartbeatMessage(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof Blob !== 'undefined' && value instanceof Blob) ||
    typeof value === 'function'
  );
}

function oneOf(values: readonly string[]): string {
  return `one of ${values.map((v) => `'${v}'`).join(', ')}`;
}
