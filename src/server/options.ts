/**
 * The companion's options: their public shapes, their defaults, and the one
 * place they are validated.
 *
 * @module
 */

import type { RawData } from 'ws';
import { systemClock, type Clock } from '../core/clock.js';
import { optionRangeError, optionTypeError, unknownOptionError } from '../core/errors.js';
import type { CloseRecord } from './record.js';

/**
 * Answers the client's application-level heartbeat. The defaults match the
 * client's (`heartbeat.message` `'ping'`, `heartbeat.isPong` `data === 'pong'`).
 */
export interface HeartbeatAnswerOptions {
  /**
   * The client's ping: the exact text message, or a test over every inbound
   * message (`data` is what `ws` delivers, `isBinary` tells text from binary).
   * @defaultValue `'ping'` (a text message, not a binary one)
   */
  readonly ping?: string | ((data: RawData, isBinary: boolean) => boolean);
  /**
   * What to answer: a text message, or a function of the ping that returns one.
   * @defaultValue `'pong'`
   */
  readonly pong?: string | ((data: RawData) => string | Buffer);
}

/** Protocol-level pings from the server, and the end of clients that stop answering. */
export interface KeepaliveOptions {
  /**
   * How often every client gets a protocol ping, in ms. Browsers answer
   * them on their own; the pings also keep idle proxies (nginx, ALB: 60 s)
   * from cutting the connection.
   * @defaultValue `25000`
   */
  readonly intervalMs?: number;
  /**
   * How long a client has to answer a ping, in ms (any inbound frame counts),
   * before it is `terminate()`d. A dead client goes within `intervalMs + timeoutMs`.
   * @defaultValue `10000`
   */
  readonly timeoutMs?: number;
}

/** Options of {@link ServerCompanion}. */
export interface ServerCompanionOptions {
  /**
   * Answer the client heartbeat (`true`: the client's defaults, `'ping'` ->
   * `'pong'`). Answered pings never reach the application's `message` listeners.
   * @defaultValue `true`
   */
  readonly heartbeat?: boolean | HeartbeatAnswerOptions;
  /**
   * Protocol pings and dead-client termination; `false` sends none.
   * @defaultValue `true` (25 s interval, 10 s timeout)
   */
  readonly keepalive?: boolean | KeepaliveOptions;
  /**
   * Receives one line per closed connection, with the structured record
   * (also emitted as the `disconnect` event). Credentials in the request URL
   * are masked. `false` logs nothing.
   * @defaultValue `false`
   * @example `logger: (line) => console.log(line)`
   */
  readonly logger?: false | ((line: string, record: CloseRecord) => void);
  /**
   * Time and timers, for tests. The companion owns at most two timers (the
   * keepalive sweep and the shutdown schedule), both stopped by `close()`.
   * @defaultValue the system clock
   */
  readonly clock?: Clock;
}

/** The companion's options after validation. */
export interface NormalizedCompanionOptions {
  readonly isPing: ((data: RawData, isBinary: boolean) => boolean) | null;
  readonly pong: (data: RawData) => string | Buffer;
  readonly keepalive: { readonly intervalMs: number; readonly timeoutMs: number } | null;
  readonly logger: ((line: string, record: CloseRecord) => void) | null;
  readonly clock: Clock;
}

/** The companion's defaults, for documentation and for spreading into your own. */
export const companionDefaults = {
  heartbeat: { ping: 'ping', pong: 'pong' },
  keepalive: { intervalMs: 25_000, timeoutMs: 10_000 },
} as const;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function only(group: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key)) throw unknownOptionError(group, key, known);
}

function groupValue(name: string, value: unknown): Record<string, unknown> | false {
  if (value === undefined || value === true) return {};
  if (value === false) return false;
  if (!isRecord(value)) throw optionTypeError(name, 'a boolean or an object', value);
  return value;
}

function positiveMs(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw optionTypeError(name, 'a number of milliseconds', value);
  if (!Number.isFinite(value) || value < 1) throw optionRangeError(name, 'a finite number of milliseconds of at least 1', value);
  return value;
}

/** A text message equal to `text`: the test `ws` data needs, since text arrives as a Buffer. */
function textEquals(text: string): (data: RawData, isBinary: boolean) => boolean {
  const expected = Buffer.from(text);
  return (data, isBinary) => !isBinary && Buffer.isBuffer(data) && data.equals(expected);
}

/**
 * Validates the companion's options once and fills in the defaults.
 *
 * @throws TypeError or RangeError naming the option, what was expected and what was given
 */
export function normalizeCompanionOptions(options: ServerCompanionOptions = {}): NormalizedCompanionOptions {
  if (!isRecord(options)) throw optionTypeError('options', 'an object', options);
  only('', options, ['heartbeat', 'keepalive', 'logger', 'clock']);
  const heartbeat = groupValue('heartbeat', options.heartbeat);
  if (heartbeat !== false) only('heartbeat', heartbeat, ['ping', 'pong']);
  const ping = heartbeat === false ? undefined : (heartbeat.ping ?? companionDefaults.heartbeat.ping);
  if (ping !== undefined && typeof ping !== 'string' && typeof ping !== 'function') throw optionTypeError('heartbeat.ping', 'a string or a function', ping);
  const pong = heartbeat === false ? undefined : (heartbeat.pong ?? companionDefaults.heartbeat.pong);
  if (pong !== undefined && typeof pong !== 'string' && typeof pong !== 'function') throw optionTypeError('heartbeat.pong', 'a string or a function', pong);

  const answer = pong as string | ((data: RawData) => string | Buffer) | undefined;
  const keepalive = groupValue('keepalive', options.keepalive);
  if (keepalive !== false) only('keepalive', keepalive, ['intervalMs', 'timeoutMs']);

  const logger = options.logger ?? false;
  if (logger !== false && typeof logger !== 'function') throw optionTypeError('logger', 'a function or false', logger);
  const clock = options.clock ?? systemClock;
  if (!isRecord(clock) || typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw optionTypeError('clock', 'an object with now(), random(), setTimeout() and clearTimeout()', clock);
  }
  return {
    isPing: ping === undefined ? null : typeof ping === 'string' ? textEquals(ping) : (ping as (data: RawData, isBinary: boolean) => boolean),
    pong: typeof answer === 'function' ? answer : () => answer ?? '',
    keepalive:
      keepalive === false
        ? null
        : {
            intervalMs: positiveMs('keepalive.intervalMs', keepalive.intervalMs, companionDefaults.keepalive.intervalMs),
            timeoutMs: positiveMs('keepalive.timeoutMs', keepalive.timeoutMs, companionDefaults.keepalive.timeoutMs),
          },
    logger: logger === false ? null : (logger as (line: string, record: CloseRecord) => void),
    clock: clock as unknown as Clock,
  };
}
