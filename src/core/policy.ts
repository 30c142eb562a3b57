/**
 * What to do about a close: the default per-code policy of the library,
 * user overrides, and shipped presets. Decisions are data.
 *
 * @module
 */

import { CloseClass } from './close-codes.js';
import { uniformDelay, type BackoffOptions } from './backoff.js';
import type { CloseSummary } from './report.js';

/**
 * What to do after a close: reconnect (optionally shaping the delay) or stop.
 *
 * `delayMs` replaces the backoff delay for this retry and is not a step of
 * the schedule (after the fast first retry, the schedule's next wait is its
 * first step, the even spread); `minDelayMs` and `maxDelayMs` clamp the
 * backoff schedule for this retry instead.
 */
export type Decision =
  | {
      readonly action: 'reconnect';
      readonly delayMs?: number;
      readonly minDelayMs?: number;
      readonly maxDelayMs?: number;
    }
  | { readonly action: 'stop'; readonly reason: string };

/** What a policy knows besides the report. */
export interface PolicyContext {
  /** Retries already made since the last stable connection. */
  readonly attempt: number;
  /** How many closes in a row, this one included, had this code since the last stable connection. */
  readonly streak: number;
  /** Milliseconds since the connection was last stable (or first attempted). */
  readonly elapsedMs: number;
  /** The socket's random source, for jittered delays. */
  readonly random: () => number;
}

/** A policy function: return a decision, or `undefined` to fall through to the next rule. */
export type PolicyFunction = (report: CloseSummary, context: PolicyContext) => Decision | undefined;

/**
 * One rule of a policy: a keyword, a decision with an optional retry limit,
 * or a function.
 *
 * `{action: 'reconnect', maxRetries: 2}` reconnects while the same code has
 * come back at most twice in a row, then stops.
 */
export type PolicyRule =
  | 'reconnect'
  | 'stop'
  | { readonly action: 'reconnect'; readonly delayMs?: number; readonly minDelayMs?: number; readonly maxDelayMs?: number; readonly maxRetries?: number }
  | { readonly action: 'stop'; readonly reason?: string }
  | PolicyFunction;

/** An inclusive range of close codes with its rule. */
export interface PolicyRange {
  /** The first code of the range. */
  readonly from: number;
  /** The last code of the range (inclusive). */
  readonly to: number;
  /** What to do for codes in the range. */
  readonly rule: PolicyRule;
}

/**
 * Overrides of the default policy. Consulted in this order, the first that
 * answers wins: `decide`, `codes`, `ranges` (first match), `classes`, then
 * the default table.
 *
 * @example
 * ```ts
 * const policy: PolicyOptions = {
 *   codes: { 4001: 'stop', 4002: { action: 'reconnect', minDelayMs: 30_000 } },
 *   ranges: [{ from: 4500, to: 4999, rule: 'stop' }],
 *   decide: (report) => (report.reason === 'banned' ? { action: 'stop', reason: 'banned' } : undefined),
 * };
 * ```
 */
export interface PolicyOptions {
  /** A function asked first; `undefined` falls through to the other rules. */
  readonly decide?: PolicyFunction;
  /** Rules for single codes. */
  readonly codes?: Readonly<Record<number, PolicyRule>>;
  /** Rules for code ranges; the first range that contains the code wins. */
  readonly ranges?: readonly PolicyRange[];
  /** Rules for classes of codes. */
  readonly classes?: Partial<Readonly<Record<CloseClass, PolicyRule>>>;
}

const slowRetryMs = 5_000;

/**
 * The first retry after losing an open connection without a close frame:
 * uniform in [0, 1 s], outside the schedule (a lone client's blip is back
 * fast). If it fails, the schedule's first step spreads the fleet.
 */
const abnormal: PolicyFunction = (report, context) =>
  report.phase === 'open' && context.attempt === 0
    ? { action: 'reconnect', delayMs: uniformDelay(0, 1_000, context.random()) }
    : { action: 'reconnect' };


/** The library's default rule for each class; see the table in the README. */
export const defaultPolicy: Readonly<Record<CloseClass, PolicyRule>> = {
  normal: 'reconnect',
  'no-status': 'reconnect',
  'going-away': 'reconnect',
  abnormal,
  'protocol-error': { action: 'reconnect', maxRetries: 3, minDelayMs: slowRetryMs },
  'invalid-payload': { action: 'reconnect', maxRetries: 3, minDelayMs: slowRetryMs },
  'policy-violation': { action: 'reconnect', maxRetries: 2, minDelayMs: slowRetryMs },
  'unsupported-data': 'stop',
  'message-too-big': 'stop',
  'mandatory-extension': 'stop',
  'tls-handshake': 'stop',
  'server-error': { action: 'reconnect', minDelayMs: 2_000 },
  // A restart takes the whole fleet at once: the schedule's even spread, never sooner than 1 s.
  'service-restart': { action: 'reconnect', minDelayMs: 1_000 },
  'try-again-later': { action: 'reconnect', minDelayMs: 5_000, maxDelayMs: 60_000 },
  'bad-gateway': { action: 'reconnect', minDelayMs: 1_000 },
  reserved: 'reconnect',
  registered: 'reconnect',
  application: 'reconnect',
  invalid: 'reconnect',
};

/**
 * Decides what to do about a close: the first rule of `options` that
 * answers, else the default table. Pure apart from `context.random`.
 *
 * Explicit beats default: the reconnect bounds the application set itself
 * (`given`) outrank the numbers of the default table. A default rule may
 * raise the floor (1013 waits at least 5 s), never the cap above
 * `given.maxDelayMs`; its own delay (the fast first retry) is left to the
 * schedule when it falls outside `given`'s floor and cap. A rule of
 * `options` is the application's own word and keeps its numbers.
 *
 * @param given - the `reconnect` options the application set (not the
 *   library's defaults); none by default
 * @example
 * ```ts
 * // With a cap of 4 s, a 1013 waits its 5 s floor, not up to a minute.
 * decide(report, context, {}, { maxDelayMs: 4_000 }); // { action: 'reconnect', minDelayMs: 5000 }
 * ```
 */
export function decide(report: CloseSummary, context: PolicyContext, options: PolicyOptions = {}, given: Partial<BackoffOptions> = {}): Decision {
  // Called as a method, as it always was: a `decide` that reads `this` finds the policy options.
  const fromFunction = options.decide?.(report, context);
  if (fromFunction !== undefined) return fromFunction;
  const rules = [
    options.codes?.[report.code],
    options.ranges?.find((range) => report.code >= range.from && report.code <= range.to)?.rule,
    options.classes?.[report.class],
  ];
  for (const rule of rules) {
    const decision = rule === undefined ? undefined : applyRule(rule, report, context);
    if (decision !== undefined) return decision;
  }
  // Every default rule answers. A stop has neither field below: its copy is the decision.
  const shaped = { ...applyRule(defaultPolicy[report.class], report, context) } as Partial<Record<'delayMs' | 'maxDelayMs', number>>;
  const { minDelayMs = 0, maxDelayMs = Infinity } = given;
  if (maxDelayMs < Infinity) delete shaped.maxDelayMs;
  // No own delay (NaN) compares false: deleting what is not there changes nothing.
  if (!(Number(shaped.delayMs) >= minDelayMs && Number(shaped.delayMs) <= maxDelayMs)) delete shaped.delayMs;
  return shaped as Decision;
}

function applyRule(rule: PolicyRule, report: CloseSummary, context: PolicyContext): Decision | undefined {
  if (typeof rule === 'function') return rule(report, context);
  if (rule === 'reconnect') return { action: 'reconnect' };
  const subject = `close code ${report.code} (${report.class})`;
  if (rule === 'stop' || rule.action === 'stop') return { action: 'stop', reason: (rule === 'stop' ? undefined : rule.reason) ?? `${subject} is terminal` };
  const { maxRetries, ...shape } = rule;
  return maxRetries !== undefined && context.streak > maxRetries ? { action: 'stop', reason: `${subject} came back after ${maxRetries} retries` } : shape;
}

/**
 * Ready-made policies for common server conventions; spread one into the
 * `policy` option and add your own rules beside it.
 */
export const presets = {
  /**
   * Centrifugo's convention: 3000-3499 and 4000-4499 reconnect,
   * 3500-3999 and 4500-4999 are terminal.
   */
  centrifugo: {
    ranges: [
      { from: 3000, to: 3499, rule: 'reconnect' },
      { from: 3500, to: 3999, rule: 'stop' },
      { from: 4000, to: 4499, rule: 'reconnect' },
      { from: 4500, to: 4999, rule: 'stop' },
    ],
  },
  /**
   * graphql-ws's terminal codes (internal server or client error, bad
   * request or response, unauthorized, subprotocol not acceptable,
   * subscriber already exists, too many initialisation requests).
   */
  graphqlWs: {
    codes: { 4500: 'stop', 4005: 'stop', 4400: 'stop', 4004: 'stop', 4401: 'stop', 4406: 'stop', 4409: 'stop', 4429: 'stop' },
  },
} as const satisfies Record<string, PolicyOptions>;
