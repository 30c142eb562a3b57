/**
 * The options of a socket: their public shapes, their defaults, and the one
 * place they are validated and normalized.
 *
 * @module
 */

import type { BackoffOptions, BackoffStrategy } from './backoff.js';
import type { OverflowPolicy, SendBufferLimits, SendData } from './buffer.js';
import { systemClock, type Clock } from './clock.js';
import { browserEnvironment, staticEnvironment, type Environment } from './environment.js';
import { closeClasses, type CloseClass } from './close-codes.js';
import { optionPath, optionRangeError, optionTypeError, unknownOptionError } from './errors.js';
import type { HeartbeatConfig } from './heartbeat.js';
import { isDevelopment } from './mode.js';
import type { PolicyOptions, PolicyRule } from './policy.js';
import type { DiagnoseFunction } from '../diagnosis/types.js';
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
  /** `given`: the fields the application set itself (absent when it set none), which outrank library defaults. */
  readonly reconnect: (BackoffOptions & { readonly maxRetries: number; readonly maxElapsedMs: number; readonly stableAfterMs: number; readonly given?: ReconnectOptions }) | false;
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
 * A check of its own: returns the option normalized, or throws an error
 * naming it.
 */
type Check = (value: unknown, name: string) => unknown;

/**
 * How one option is checked: by a {@link Check} of its own, as one of a list
 * of values (literals, not the exported `as const` objects, which then
 * tree-shake away), as a number, or by a type test. A rule never sees `undefined`:
 * a missing option takes its default first, and stays `undefined` when it
 * has none. Rules are data, not made by calls, so that they tree-shake.
 */
type Rule = Check | readonly string[] | NumberRule | TypeRule;

/** A number at least `min` (default 0): finite milliseconds, or an `integer` (a count); also `Infinity` when allowed. */
interface NumberRule {
  readonly min?: number;
  readonly integer?: boolean;
  readonly allowInfinity?: boolean;
}

/** Any value that passes `test`; anything else is a TypeError expecting `expected` (`false` in production builds). */
interface TypeRule {
  readonly test: (value: unknown) => boolean;
  readonly expected: string | false;
}

/**
 * The rules of a group of options, by name, in the documented order: the
 * order they are checked in, listed in errors, and returned in.
 */
type Rules = Readonly<Record<string, Rule>>;

const milliseconds: Rule = {};
const positiveMilliseconds: Rule = { min: 1 };
const countOrInfinity: Rule = { integer: true, allowInfinity: true };
const aFunction: Rule = { test: isFunction, expected: isDevelopment && 'a function' };

/** The top-level options; each group's own rules follow. */
const optionRules: Rules = {
  WebSocket: { test: isFunction, expected: isDevelopment && 'a WebSocket class' },
  reconnect: checkReconnect,
  connectTimeoutMs: checkConnectTimeout,
  heartbeat: checkHeartbeat,
  buffer: checkBuffer,
  policy: checkPolicy,
  environment: checkEnvironment,
  historySize: { integer: true },
  clock: { test: isClock, expected: isDevelopment && 'an object with now(), random(), setTimeout() and clearTimeout()' },
  diagnose: aFunction,
  logger: { test: (value) => isFunction(value) || hasMethods<Logger>(value, ['info', 'warn', 'error']), expected: isDevelopment && 'a function or an object with info(), warn() and error()' },
  debug: { test: (value) => typeof value === 'boolean', expected: isDevelopment && 'a boolean' },
};

const reconnectRules: Rules = {
  strategy: ['spread', 'full-jitter', 'equal', 'decorrelated', 'none'] satisfies BackoffStrategy[],
  baseDelayMs: milliseconds,
  minDelayMs: milliseconds,
  maxDelayMs: milliseconds,
  maxRetries: countOrInfinity,
  maxElapsedMs: { allowInfinity: true },
  stableAfterMs: milliseconds,
};

const heartbeatRules: Rules = {
  mode: ['active', 'passive'],
  intervalMs: positiveMilliseconds,
  timeoutMs: positiveMilliseconds,
  message: { test: isHeartbeatMessage, expected: isDevelopment && 'a string, ArrayBuffer, typed array, Blob or a function returning one' },
  isPong: aFunction,
};

const bufferRules: Rules = {
  maxMessages: countOrInfinity,
  maxBytes: countOrInfinity,
  overflow: ['drop-oldest', 'drop-newest', 'throw'] satisfies OverflowPolicy[],
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
/** A group turned on with `true`, by name: every default, one frozen object that every socket shares. */
const defaultGroups: Record<string, object> = {};

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
  // A group defaults to its on/off switch, which its rule then expands.
  const fallback = { ...defaults, reconnect: true, heartbeat: false, buffer: true, policy: noPolicy, environment: true, clock: systemClock, debug: false };
  const normalized = checkFields('', options, optionRules, fallback);
  // Groups left at their defaults are shared objects already, so equal options compare equal field by field.
  const same = lastNormalized !== undefined && Object.entries(lastNormalized).every(([key, value]) => normalized[key] === value);
  return same && lastNormalized ? lastNormalized : (lastNormalized = Object.freeze(normalized as unknown as NormalizedOptions));
}

/**
 * Checks the fields of `value` named in `rules`, in that order, and returns
 * them normalized. A missing (`undefined`) field takes its value in
 * `fallback`, and stays `undefined` when it has none there. Unless `exact`
 * is `false`, a key not in `rules` is rejected first: a misspelt option
 * would otherwise be ignored silently.
 */
function checkFields(group: string, value: object, rules: Rules, fallback: object = {}, exact = true): Record<string, unknown> {
  const given = value as Record<string, unknown>;
  const names = Object.keys(rules);
  if (exact) {
    for (const key of Object.keys(given)) {
      if (!names.includes(key)) throw unknownOptionError(group, key, names);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(rules)) {
    // Unlike `??`, a `null` stays and is rejected.
    const field = given[key] === undefined ? (fallback as Record<string, unknown>)[key] : given[key];
    result[key] = field === undefined ? undefined : check(rule, field, optionPath(group, key));
  }
  return result;
}

/** Checks the option `name` by its rule and returns it normalized. */
function check(rule: Rule, value: unknown, name: string): unknown {
  if (typeof rule === 'function') return rule(value, name);
  if (Array.isArray(rule)) {
    const values = rule as readonly string[];
    if (!values.includes(value as string)) throw optionTypeError(name, isDevelopment && listOf(values), value);
  } else if ('test' in rule) {
    if (!rule.test(value)) throw optionTypeError(name, rule.expected, value);
  } else {
    const { min = 0, integer, allowInfinity } = rule as NumberRule;
    const orInfinity = allowInfinity ? ' or Infinity' : '';
    if (typeof value !== 'number' || Number.isNaN(value)) throw optionTypeError(name, isDevelopment && (integer ? 'a number' : 'a number of milliseconds'), value);
    if (value < min || (!(allowInfinity && value === Infinity) && !(integer ? Number.isInteger(value) : Number.isFinite(value)))) {
      throw optionRangeError(name, isDevelopment && (integer ? `a non-negative integer${orInfinity}` : `a finite number of milliseconds ≥ ${min}${orInfinity}`), value);
    }
  }
  return value;
}

/**
 * A group (`reconnect`, `heartbeat`, `buffer`): `false` turns it off, `true`
 * takes every default (shared), an object some.
 */
function group(value: unknown, name: string, rules: Rules, fallback: object): Record<string, unknown> | false {
  if (value === false) return false;
  if (value === true) return (defaultGroups[name] ??= Object.freeze(checkFields(name, {}, rules, fallback))) as Record<string, unknown>;
  if (!isRecord(value)) throw optionTypeError(name, isDevelopment && 'a boolean or an object', value);
  return checkFields(name, value, rules, fallback);
}

function checkConnectTimeout(value: unknown, name: string): unknown {
  if (value === false) return false;
  if (typeof value !== 'number') throw optionTypeError(name, isDevelopment && 'a number of milliseconds or false', value);
  return check(positiveMilliseconds, value, name);
}

/** `T` with its properties writable, for a result still being completed. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function checkReconnect(value: unknown, name: string): NormalizedOptions['reconnect'] {
  const reconnect = group(value, name, reconnectRules, defaults.reconnect) as Writable<Exclude<NormalizedOptions['reconnect'], false>> | false;
  // The defaults, shared and frozen, need no more checks.
  if (reconnect === false || value === true) return reconnect;
  // A cap below the default floor lowers the floor instead of being rejected
  // (`value` is an object here: group() turned `false` off and rejected the rest).
  if ((value as ReconnectOptions).minDelayMs === undefined) reconnect.minDelayMs = Math.min(reconnect.minDelayMs, reconnect.maxDelayMs);
  if (reconnect.minDelayMs > reconnect.maxDelayMs) {
    throw optionRangeError(`${name}.minDelayMs`, isDevelopment && `at most \`${name}.maxDelayMs\` (${reconnect.maxDelayMs})`, reconnect.minDelayMs);
  }
  // A copy: the application's object may change after the socket was made.
  reconnect.given = { ...(value as ReconnectOptions) };
  return reconnect;
}

function checkHeartbeat(value: unknown, name: string): NormalizedOptions['heartbeat'] {
  return group(value, name, heartbeatRules, { ...defaults.heartbeat, isPong }) as NormalizedOptions['heartbeat'];
}

function checkBuffer(value: unknown, name: string): NormalizedOptions['buffer'] {
  return group(value, name, bufferRules, defaults.buffer) as NormalizedOptions['buffer'];
}

function checkPolicy(value: unknown, name: string): PolicyOptions {
  if (!isRecord(value)) throw optionTypeError(name, isDevelopment && 'an object', value);
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
  // forEach, not for...of: a hole in the array is skipped, not read as undefined.
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
  for (const [closeClass, rule] of Object.entries(classes)) {
    if (!closeClasses.includes(closeClass as CloseClass)) throw optionTypeError(name, isDevelopment && `keyed by close classes (${listOf(closeClasses)})`, closeClass);
    checkRule(`${name}.${closeClass}`, rule);
  }
}

function checkRule(name: string, rule: unknown): asserts rule is PolicyRule {
  if (rule === 'reconnect' || rule === 'stop' || typeof rule === 'function') return;
  if (typeof rule !== 'object' || rule === null) throw optionTypeError(name, isDevelopment && "'reconnect', 'stop', a function, or {action: 'reconnect' | 'stop', ...}", rule);
  const r = rule as Record<string, unknown>;
  if (r.action === 'stop') {
    if (r.reason !== undefined && typeof r.reason !== 'string') throw optionTypeError(`${name}.reason`, isDevelopment && 'a string', r.reason);
    return;
  }
  if (r.action !== 'reconnect') throw optionTypeError(`${name}.action`, isDevelopment && "'reconnect' or 'stop'", r.action);
  checkFields(name, r, reconnectActionRules, {}, false);
}

function checkEnvironment(value: unknown, name: string): Environment {
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

function listOf(values: readonly string[]): string {
  return `one of ${values.map((v) => `'${v}'`).join(', ')}`;
}
