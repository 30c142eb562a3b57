/**
 * The socket's life as a pure function: `transition(machine, event, context)`
 * returns the next machine and the effects to carry out. The class in
 * `resilient-websocket.ts` owns the sockets and timers and only runs what
 * this returns, so every decision here can be tested without a socket.
 *
 * @module
 */

import { computeDelay, uniformDelay } from './backoff.js';
import { isLocalLoop, localLoopMaxDelayMs } from './local-loop.js';
import { classifyClose } from './close-codes.js';
import type { EnvironmentSignal } from './environment.js';
import { isDevelopment } from './mode.js';
import type { NormalizedOptions } from './options.js';
import { decide, type Decision } from './policy.js';
import { explainClose, redactUrl, type CloseReport, type CloseSummary, type LibraryCause } from './report.js';

/** The socket's status; `readyState` is derived from it. */
export type Status = 'connecting' | 'open' | 'waiting' | 'closing' | 'closed';

/** Why a wait is suspended until a signal resumes it. */
export type PauseReason = 'offline' | 'pagehide' | 'frozen';

/** Why the socket is closed. */
export type ClosedCause = 'user' | 'giveup' | 'canceled' | 'disposed' | 'dropped';

/** What follows a drop once its `close` event has been dispatched. */
export type AfterDrop =
  | { readonly kind: 'wait'; readonly delayMs: number; readonly report: CloseReport }
  | { readonly kind: 'pause'; readonly pause: PauseReason; readonly report: CloseReport }
  | { readonly kind: 'giveup'; readonly reason: string; readonly report: CloseReport };

/** The state: a discriminated union on `status`. */
export type State =
  | { readonly status: 'connecting'; readonly socket: number }
  | { readonly status: 'open'; readonly socket: number }
  /** A retry is due at `until`; `report` is the close that led here (null after pagehide while connecting). */
  | { readonly status: 'waiting'; readonly paused: null; readonly until: number; readonly report: CloseReport | null }
  /** No retry is scheduled until the signal that ends `paused` arrives. */
  | { readonly status: 'waiting'; readonly paused: PauseReason; readonly pausedAt: number; readonly report: CloseReport | null }
  | { readonly status: 'closing'; readonly socket: number | null; readonly code: number | undefined; readonly reason: string }
  /** A drop whose close event is being dispatched: `next` follows unless a listener cancels it. */
  | { readonly status: 'closed'; readonly cause: 'dropped'; readonly next: AfterDrop }
  | { readonly status: 'closed'; readonly cause: Exclude<ClosedCause, 'dropped'> };

/** The retry bookkeeping that survives state changes. */
export interface Retry {
  /** Retries scheduled since the last stable connection. */
  readonly attempt: number;
  /** When the current run of retries began (for `maxElapsedMs`). */
  readonly since: number;
  /** The last close code and how many times in a row it came. */
  readonly streakCode: number | null;
  readonly streak: number;
  /** The delay chosen last time (for decorrelated jitter). */
  readonly previousDelayMs: number;
  /** Waits the backoff schedule chose since the last stable connection: a policy's own `delayMs` (the fast first retry) is not a step. */
  readonly scheduleStep: number;
  /** When the last attempt started (at most one signal-triggered attempt a second). */
  readonly lastAttemptAt: number;
}

/** The whole machine: the state, the retry bookkeeping, and the next socket id. */
export interface Machine {
  readonly state: State;
  readonly retry: Retry;
  readonly nextSocket: number;
}

/** What the class measured about a socket that ended. */
export interface EndedSocket {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** Set when the library ended it (and the close is reported as 1006). */
  readonly libraryCause?: LibraryCause;
  readonly openedAt: number | null;
  readonly lastInboundAt: number | null;
  readonly lastPongAt: number | null;
  readonly errorFirst: boolean;
  readonly url: string;
}

/** Everything that can happen to the machine. */
export type MachineEvent =
  /** `live`: what was measured on the live socket this replaces, for its close report. */
  | { readonly type: 'connect'; readonly live?: EndedSocket }
  | { readonly type: 'opened'; readonly socket: number }
  | { readonly type: 'ended'; readonly socket: number | null; readonly ended: EndedSocket }
  | { readonly type: 'close-dispatched'; readonly prevented: boolean }
  | { readonly type: 'wait-elapsed' }
  | { readonly type: 'close'; readonly code: number | undefined; readonly reason: string }
  | { readonly type: 'dispose' }
  /** `live`: what was measured on the live socket, for a signal that ends it (pagehide). */
  | { readonly type: 'signal'; readonly signal: EnvironmentSignal; readonly live?: EndedSocket };

/**
 * What the class must do, in order. The class runs every effect of a
 * transition before any listener sees an `emit-*`, so the order only
 * matters among effects of the same kind.
 */
export type Effect =
  | { readonly type: 'open-socket'; readonly socket: number }
  | { readonly type: 'close-socket'; readonly socket: number; readonly code: number | undefined; readonly reason: string }
  /**
   * Forget the live socket now. `close`: close it best-effort with this code;
   * `abandon`: it is presumed dead, so do not wait for a closing handshake
   * (the `ws` package's `terminate()`).
   */
  | { readonly type: 'detach-socket'; readonly close?: { readonly code: number; readonly reason: string }; readonly abandon?: boolean }
  | { readonly type: 'start-wait'; readonly delayMs: number }
  | { readonly type: 'cancel-wait' }
  | { readonly type: 'heartbeat'; readonly action: 'start' | 'stop' | 'probe' }
  | { readonly type: 'environment'; readonly listen: boolean }
  | { readonly type: 'flush' }
  | { readonly type: 'defer'; readonly event: MachineEvent }
  | { readonly type: 'emit-open' }
  /** The native socket failed: its `error` event goes out with the close, when `readyState` already reads CLOSED, as the native socket fires it. */
  | { readonly type: 'emit-error' }
  | { readonly type: 'emit-close'; readonly report: CloseReport; readonly thenDispatch: boolean }
  | { readonly type: 'emit-reconnecting'; readonly attempt: number; readonly delayMs: number; readonly report: CloseReport }
  | { readonly type: 'emit-giveup'; readonly reason: string; readonly report: CloseReport };

/** The inputs a transition reads besides the state and the event. */
export interface TransitionContext {
  readonly options: NormalizedOptions;
  readonly now: number;
  readonly random: () => number;
  readonly online: boolean | null;
  readonly visible: boolean | null;
  /** The page's origin (`Environment.origin`), for the local loop; absent or `null` where there is no page. */
  readonly origin?: string | null | undefined;
}

/** The result of {@link transition}. */
export interface Transition {
  readonly machine: Machine;
  readonly effects: readonly Effect[];
  /** A few words on why, for `statechange` (`'open'`, `'close()'`...). */
  readonly cause: string;
}

/** The machine of a socket that has not started yet. */
export function initialMachine(now: number): Machine {
  return {
    state: { status: 'closed', cause: 'user' },
    retry: { attempt: 0, since: now, streakCode: null, streak: 0, previousDelayMs: 0, scheduleStep: 0, lastAttemptAt: -Infinity },
    nextSocket: 1,
  };
}

/** Maps a status to the native `readyState` number. */
export function readyStateOf(state: State): 0 | 1 | 2 | 3 {
  switch (state.status) {
    case 'connecting':
    case 'waiting':
      return 0;
    case 'open':
      return 1;
    case 'closing':
      return 2;
    case 'closed':
      return 3;
  }
}

const unchanged = (machine: Machine): Transition => ({ machine, effects: [], cause: '' });
/** How long to spread signal-triggered attempts (network back, page visible). */
const signalJitterMs = 500;
/** At most one signal-triggered attempt per this many ms. */
const signalSpacingMs = 1_000;
/** The library's own close code when it abandons a socket. */
export const libraryCloseCode = 4000;

/** The next machine and the effects to run, for `event` in `machine`. Pure apart from `context.random`. */
export function transition(machine: Machine, event: MachineEvent, context: TransitionContext): Transition {
  const { state } = machine;
  const to = (next: State, effects: Effect[], cause: string, retry = machine.retry, nextSocket = machine.nextSocket): Transition => ({
    machine: { state: next, retry, nextSocket },
    effects,
    cause,
  });
  const connect = (effects: Effect[], cause: string, retry = machine.retry, after: Effect[] = []): Transition =>
    to({ status: 'connecting', socket: machine.nextSocket }, [...effects, { type: 'open-socket', socket: machine.nextSocket }, ...after], cause,
      { ...retry, lastAttemptAt: context.now }, machine.nextSocket + 1);

  /** reconnect() on a live connection: a client close for it, then a new attempt at once. */
  const replace = (code: number, reason: string, effects: Effect[]): Transition => {
    const live = event.type === 'connect' ? event.live : undefined;
    const ended: EndedSocket = { ...(live ?? userEnded(code, reason)), code, reason, wasClean: true };
    const report = finish(summarize(ended, 'client', machine.retry, context), { action: 'reconnect', delayMs: 0 }, 0);
    return connect(effects, 'reconnect()', machine.retry, [{ type: 'emit-close', report, thenDispatch: false }]);
  };

  switch (event.type) {
    case 'connect':
      switch (state.status) {
        case 'closed': {
          // After a drop the environment is still listened to; after a final close it is not.
          return connect(state.cause === 'dropped' ? [] : [{ type: 'environment', listen: true }], 'reconnect()', freshRetry(machine.retry, context.now));
        }
        case 'waiting':
          return connect([{ type: 'cancel-wait' }], 'reconnect()');
        case 'connecting':
          return connect([{ type: 'detach-socket', close: { code: libraryCloseCode, reason: 'reconnect()' }, abandon: true }], 'reconnect()');
        case 'closing':
          // The close() in flight still gets its close event, before the new attempt's.
          return replace(state.code ?? 1005, state.reason, [{ type: 'detach-socket' }]);
        case 'open':
          // The replaced connection gets its close event, so opens and closes stay paired.
          return replace(1000, 'reconnect()', [{ type: 'heartbeat', action: 'stop' }, { type: 'detach-socket', close: { code: 1000, reason: 'reconnect()' } }]);
      }
      break;

    case 'opened':
      if (state.status !== 'connecting' || state.socket !== event.socket) return unchanged(machine);
      return to({ status: 'open', socket: event.socket }, [{ type: 'heartbeat', action: 'start' }, { type: 'flush' }, { type: 'emit-open' }], 'open');

    case 'ended':
      // Only the current socket's end counts: a replaced socket's is stale.
      if (!('socket' in state) || state.socket !== event.socket) return unchanged(machine);
      if (state.status !== 'closing') return drop(machine, event.ended, context, to);
      return to({ status: 'closed', cause: 'user' }, [
        { type: 'detach-socket' },
        { type: 'environment', listen: false },
        ...errorFirst(event.ended),
        {
          type: 'emit-close',
          report: finish(summarize(event.ended, 'client', machine.retry, context), { action: 'stop', reason: 'closed by the application' }, null),
          thenDispatch: false,
        },
      ], 'close');

    case 'close-dispatched': {
      if (state.status !== 'closed' || state.cause !== 'dropped') return unchanged(machine);
      const next = state.next;
      if (event.prevented) return to({ status: 'closed', cause: 'canceled' }, [{ type: 'environment', listen: false }], 'close event canceled');
      switch (next.kind) {
        case 'pause':
          return to({ status: 'waiting', paused: next.pause, pausedAt: context.now, report: next.report }, [], next.pause);
        case 'giveup':
          return to({ status: 'closed', cause: 'giveup' }, [
            { type: 'environment', listen: false },
            { type: 'emit-giveup', reason: next.reason, report: next.report },
          ], 'giveup');
        case 'wait':
          return to({ status: 'waiting', paused: null, until: context.now + next.delayMs, report: next.report }, [
            { type: 'emit-reconnecting', attempt: machine.retry.attempt, delayMs: next.delayMs, report: next.report },
            { type: 'start-wait', delayMs: next.delayMs },
          ], 'backoff');
      }
      break;
    }

    case 'wait-elapsed':
      return state.status === 'waiting' && state.paused === null ? connect([], 'timer') : unchanged(machine);

    case 'close':
      switch (state.status) {
        case 'connecting':
        case 'open':
          return to({ status: 'closing', socket: state.socket, code: event.code, reason: event.reason }, [
            { type: 'heartbeat', action: 'stop' },
            { type: 'close-socket', socket: state.socket, code: event.code, reason: event.reason },
          ], 'close()');
        case 'waiting':
          return to({ status: 'closing', socket: null, code: event.code, reason: event.reason }, [
            { type: 'cancel-wait' },
            { type: 'defer', event: { type: 'ended', socket: null, ended: userEnded(event.code, event.reason) } },
          ], 'close()');
        case 'closed':
          return state.cause === 'dropped' ? to({ status: 'closed', cause: 'user' }, [{ type: 'environment', listen: false }], 'close()') : unchanged(machine);
        case 'closing':
          return unchanged(machine);
      }
      break;

    case 'dispose':
      if (state.status === 'closed' && state.cause === 'disposed') return unchanged(machine);
      return to({ status: 'closed', cause: 'disposed' }, [
        { type: 'cancel-wait' },
        { type: 'heartbeat', action: 'stop' },
        { type: 'detach-socket', close: { code: 1000, reason: 'disposed' } },
        { type: 'environment', listen: false },
      ], 'dispose()');

    case 'signal':
      return signal(machine, event, context, to, connect);
  }
  return unchanged(machine);
}

function errorFirst(ended: EndedSocket): Effect[] {
  return ended.errorFirst ? [{ type: 'emit-error' }] : [];
}

/** The retry bookkeeping of a fresh start: after a stable connection, or a reconnect() from closed. */
function freshRetry(retry: Retry, now: number): Retry {
  return { ...retry, attempt: 0, since: now, streakCode: null, streak: 0, previousDelayMs: 0, scheduleStep: 0 };
}

/** The facts of a close the application asked for before any socket existed. */
export function userEnded(code: number | undefined, reason: string): EndedSocket {
  return { code: code ?? 1005, reason, wasClean: true, openedAt: null, lastInboundAt: null, lastPongAt: null, errorFirst: false, url: '' };
}

function drop(machine: Machine, ended: EndedSocket, context: TransitionContext, to: To): Transition {
  const { now, options } = context;
  const { libraryCause } = ended;
  const stable = ended.openedAt !== null && options.reconnect !== false && now - ended.openedAt >= options.reconnect.stableAfterMs;
  const base = stable ? freshRetry(machine.retry, now) : machine.retry;
  const retry = { ...base, streakCode: ended.code, streak: base.streakCode === ended.code ? base.streak + 1 : 1 };
  const summary = summarize(ended, libraryCause ? 'library' : undefined, retry, context);
  const closed = (next: AfterDrop, nextRetry = retry): Transition =>
    to({ status: 'closed', cause: 'dropped', next }, [
      { type: 'heartbeat', action: 'stop' },
      { type: 'detach-socket', ...(libraryCause ? { close: { code: libraryCloseCode, reason: ended.reason }, abandon: true } : {}) },
      ...errorFirst(ended),
      { type: 'emit-close', report: next.report, thenDispatch: true },
    ], libraryCause ?? 'close', nextRetry);

  const decision = decideDrop(summary, retry, context);
  if (decision.action === 'stop') return closed({ kind: 'giveup', reason: decision.reason, report: finish(summary, decision, null) });
  // Offline: wait for the network without spending a retry.
  // The retry this pause leads to is made (and counted) once the network is back, not before.
  if (context.online === false) return closed({ kind: 'pause', pause: 'offline', report: finish(summary, decision, null) }, { ...retry, attempt: retry.attempt + 1 });
  const configured = options.reconnect as Exclude<NormalizedOptions['reconnect'], false>;
  const { given = {} } = configured;
  // One developer's page on their own machine takes the local schedule, unless the application chose a schedule.
  const reconnect = (given.strategy ?? given.baseDelayMs ?? given.minDelayMs ?? given.maxDelayMs) === undefined && isLocalLoop(context.origin, ended.url) ? { ...configured, maxDelayMs: localLoopMaxDelayMs } : configured;
  // A policy function's numbers are not validated up front: ignore any that could not be a wait.
  const minDelayMs = Math.max(reconnect.minDelayMs, usable(decision.minDelayMs) ?? 0);
  const maxDelayMs = Math.max(minDelayMs, usable(decision.maxDelayMs) ?? reconnect.maxDelayMs);
  // The policy's own delay is its word (the fast first retry); only the schedule is bounded by the options.
  const ownDelayMs = usable(decision.delayMs);
  const delayMs = ownDelayMs ?? computeDelay(retry.scheduleStep, { ...reconnect, minDelayMs, maxDelayMs }, context.random(), retry.previousDelayMs);
  const scheduleStep = retry.scheduleStep + (ownDelayMs === undefined ? 1 : 0);
  return closed({ kind: 'wait', delayMs, report: finish(summary, decision, delayMs) }, { ...retry, attempt: retry.attempt + 1, previousDelayMs: delayMs, scheduleStep });
}

/** `ms` if it is a finite, non-negative number of milliseconds, else `undefined`. */
function usable(ms: number | undefined): number | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

function decideDrop(summary: CloseSummary, retry: Retry, context: TransitionContext): Decision {
  const { options, now } = context;
  if (options.reconnect === false) return { action: 'stop', reason: 'reconnect is disabled' };
  const decision = decide(summary, { attempt: retry.attempt, streak: retry.streak, elapsedMs: now - retry.since, random: context.random }, options.policy, options.reconnect.given);
  if (decision.action === 'stop') return decision;
  if (retry.attempt >= options.reconnect.maxRetries) return { action: 'stop', reason: `gave up after ${retry.attempt} retries (reconnect.maxRetries)` };
  if (now - retry.since >= options.reconnect.maxElapsedMs) return { action: 'stop', reason: `gave up after ${now - retry.since} ms (reconnect.maxElapsedMs)` };
  return decision;
}

function summarize(ended: EndedSocket, requestedBy: 'client' | 'library' | undefined, retry: Retry, context: TransitionContext): CloseSummary {
  const { now } = context;
  return {
    code: ended.code,
    reason: ended.reason,
    wasClean: ended.wasClean,
    ...classifyClose({ ...ended, opened: ended.openedAt !== null, requestedBy }),
    libraryCause: ended.libraryCause ?? null,
    url: ended.url && redactUrl(ended.url),
    attempt: retry.attempt,
    at: now,
    openDurationMs: ended.openedAt === null ? null : now - ended.openedAt,
    sinceLastMessageMs: ended.lastInboundAt === null ? null : now - ended.lastInboundAt,
    sinceLastPongMs: ended.lastPongAt === null ? null : now - ended.lastPongAt,
    errorFirst: ended.errorFirst,
    online: context.online,
    visible: context.visible,
  };
}

function finish(summary: CloseSummary, decision: Decision, delayMs: number | null): CloseReport {
  // The sentences are 1 kB: production builds leave them to explainClose(report), which only the applications that call it bundle.
  return { ...summary, decision, delayMs, explanation: isDevelopment ? explainClose(summary) : '' };
}

type To = (next: State, effects: Effect[], cause: string, retry?: Retry) => Transition;
type Connect = (effects: Effect[], cause: string, retry?: Retry) => Transition;

function signal(machine: Machine, event: Extract<MachineEvent, { type: 'signal' }>, context: TransitionContext, to: To, connect: Connect): Transition {
  const { state } = machine;
  const { signal } = event;
  if (state.status === 'open') {
    if (signal === 'online' || signal === 'visible' || signal === 'resume') return to(state, [{ type: 'heartbeat', action: 'probe' }], signal);
    if (signal === 'pagehide') {
      const reason = 'page entered the back/forward cache';
      const ended: EndedSocket = { ...(event.live ?? userEnded(1001, reason)), code: 1001, reason, wasClean: true, libraryCause: 'page-hidden' };
      const report = finish(summarize(ended, 'library', machine.retry, context), { action: 'reconnect' }, null);
      return to({ status: 'closed', cause: 'dropped', next: { kind: 'pause', pause: 'pagehide', report } }, [
        { type: 'heartbeat', action: 'stop' },
        { type: 'detach-socket', close: { code: 1000, reason } },
        { type: 'emit-close', report, thenDispatch: true },
      ], signal);
    }
    return to(state, [], signal);
  }
  if (state.status === 'connecting' && signal === 'pagehide') {
    return to({ status: 'waiting', paused: 'pagehide', pausedAt: context.now, report: null }, [{ type: 'detach-socket', close: { code: libraryCloseCode, reason: 'page hidden' }, abandon: true }], signal);
  }
  if (state.status !== 'waiting') return unchanged(machine);
  // A pause keeps its first cause: the bfcache freezes a page after pagehide, and a page
  // frozen while offline must not retry on resume. Only the signal that ends it counts.
  const pause = pausedBy[signal];
  if (pause || signal === 'hidden') {
    return pause && state.paused === null ? to({ status: 'waiting', paused: pause, pausedAt: context.now, report: state.report }, [{ type: 'cancel-wait' }], signal) : unchanged(machine);
  }
  let retry = machine.retry;
  if (state.paused !== null) {
    // Each pause ends only with its own signal; the paused time counts against no limit.
    if (endsPause[signal] !== state.paused) return unchanged(machine);
    // Back in the page but not on the network: the pause goes on, as an offline one.
    if (context.online === false) return to({ ...state, paused: 'offline' }, [], signal);
    retry = { ...retry, since: Math.min(context.now, retry.since + context.now - state.pausedAt) };
  } else if (context.online === false) {
    return unchanged(machine);
  }
  // Back from the back/forward cache: one user, one page, no herd to spread.
  if (signal === 'pageshow') return connect([{ type: 'cancel-wait' }], signal, retry);
  // Otherwise try soon, spread over a short window so a fleet does not return in lockstep.
  const earliest = retry.lastAttemptAt + signalSpacingMs - context.now;
  const delayMs = Math.max(earliest, uniformDelay(0, signalJitterMs, context.random()));
  if (state.paused === null && context.now + delayMs >= state.until) return unchanged(machine);
  const announce: Effect[] = state.report ? [{ type: 'emit-reconnecting', attempt: retry.attempt, delayMs, report: state.report }] : [];
  return to({ status: 'waiting', paused: null, until: context.now + delayMs, report: state.report }, [{ type: 'cancel-wait' }, { type: 'start-wait', delayMs }, ...announce], signal, retry);
}

/** The signals that start a pause, and its kind. */
const pausedBy: Partial<Record<EnvironmentSignal, PauseReason>> = { offline: 'offline', pagehide: 'pagehide', freeze: 'frozen' };

/** The signal that ends each kind of pause. */
const endsPause: Partial<Record<EnvironmentSignal, PauseReason>> = { online: 'offline', resume: 'frozen', pageshow: 'pagehide' };
