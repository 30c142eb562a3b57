/**
 * Errors thrown by the library, each with a stable string `code`.
 *
 * @module
 */

import { isDevelopment } from './mode.js';

/** The string codes carried by {@link ResilientWebSocketError}. */
export const ErrorCode = {
  /** An option had the wrong type or range. */
  InvalidOption: 'ERR_INVALID_OPTION',
  /** No WebSocket implementation was passed and none exists globally. */
  NoImplementation: 'ERR_NO_WEBSOCKET_IMPLEMENTATION',
  /** The runtime has no `EventTarget` (nor `Event`), which the class extends: install them on `globalThis` before importing. */
  NoEventTarget: 'ERR_NO_EVENT_TARGET',
  /** The send buffer was full and its overflow policy is `throw`. */
  BufferOverflow: 'ERR_BUFFER_OVERFLOW',
  /** A URL or protocols provider threw, rejected or returned a bad value. */
  ProviderFailed: 'ERR_PROVIDER_FAILED',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The code of every option error, as a literal: reading {@link ErrorCode} would keep the object in every bundle. */
const invalidOption: ErrorCode = 'ERR_INVALID_OPTION';

const brand = Symbol.for('resilient-websocket.error');

/**
 * The base class of every error the library creates itself.
 *
 * Errors that mirror the native socket (bad `close()` arguments, a bad URL)
 * are `DOMException`s instead, exactly as a browser throws them.
 */
export class ResilientWebSocketError extends Error {
  /** A stable, machine-readable code. */
  readonly code: ErrorCode;

  /**
   * @param code - one of {@link ErrorCode}
   * @param message - a sentence naming what was expected and what was given
   * @param options - `cause`: the underlying error, if any
   */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResilientWebSocketError';
    this.code = code;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * Whether `value` is a {@link ResilientWebSocketError}, also when it comes
 * from another realm or another copy of the library (`instanceof` is not).
 */
export function isResilientWebSocketError(value: unknown): value is ResilientWebSocketError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/**
 * A `TypeError` for an option of the wrong type; it also carries `code`.
 * `expected` is `false` in production builds, where the message names the
 * option and the value given, and refers to the code.
 */
export function optionTypeError(option: string, expected: string | false, given: unknown): TypeError {
  return withCode(new TypeError(optionMessage(option, expected, given)));
}

/** A `RangeError` for an option of the right type but out of range; it also carries `code`. */
export function optionRangeError(option: string, expected: string | false, given: unknown): RangeError {
  return withCode(new RangeError(optionMessage(option, expected, given)));
}

function optionMessage(option: string, expected: string | false, given: unknown): string {
  const got = describe(given);
  return isDevelopment ? `Expected \`${option}\` to be ${expected || ''}, got ${got}` : `Invalid \`${option}\`, got ${got} (${invalidOption})`;
}

/**
 * A `TypeError` for an option name that does not exist (a typo such as
 * `heartbeat.interval` would otherwise be ignored without a word).
 */
export function unknownOptionError(group: string, key: string, known: readonly string[]): Error {
  if (!isDevelopment) return withCode(new TypeError(`Unknown option \`${optionPath(group, key)}\` (${invalidOption})`));
  const lower = key.toLowerCase();
  const guess = known.find((name) => {
    const candidate = name.toLowerCase();
    return candidate.startsWith(lower) || lower.startsWith(candidate) || editDistance(candidate, lower) <= 2;
  });
  const hint = guess === undefined ? '' : ` (did you mean \`${optionPath(group, guess)}\`?)`;
  const expected = `an object with only ${known.map((name) => `\`${name}\``).join(', ')}`;
  return withCode(new TypeError(`Expected \`${group === '' ? 'options' : group}\` to be ${expected}, got \`${optionPath(group, key)}\`${hint}`));
}

/** The full name of option `key` in `group`: `group.key`, or `key` at the top level (`group` `''`). */
export function optionPath(group: string, key: string): string {
  return group === '' ? key : `${group}.${key}`;
}

/** Levenshtein distance, for "did you mean" hints. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function withCode<E extends Error>(error: E): E {
  Object.defineProperty(error, 'code', { value: invalidOption, enumerable: true });
  return error;
}

/** A short, safe rendering of a user-supplied value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  // Numbers, booleans, bigints, symbols, null and undefined read as themselves.
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  if (typeof value === 'function') return 'a function';
  return Array.isArray(value) ? 'an array' : 'an object';
}
