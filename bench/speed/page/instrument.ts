/**
 * Page-side, loaded before any other script: wraps the page's timer
 * functions to count how many timers are armed, cleared and fired, so an
 * idle window shows every wake-up a library schedules. The benchmark's own
 * timeouts use the originals and are not counted.
 *
 * @module
 */

import type { TimerCounts } from './protocol.js';

/** The timer functions as the page had them, for the benchmark's own use. */
export interface OriginalTimers {
  readonly setTimeout: typeof globalThis.setTimeout;
  readonly clearTimeout: typeof globalThis.clearTimeout;
}

/** What this script leaves on `globalThis`. */
export interface TimerProbe {
  readonly counts: TimerCounts;
  readonly original: OriginalTimers;
}

type TimerFunction = (handler: TimerHandler, timeout?: number, ...args: unknown[]) => number;

const counts: TimerCounts = { armed: 0, cleared: 0, fired: 0 };
const original: OriginalTimers = { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) };

/** A timer function that counts its calls and its callbacks. */
function counting(schedule: TimerFunction): TimerFunction {
  return (handler, timeout, ...args) => {
    counts.armed += 1;
    if (typeof handler !== 'function') return schedule(handler, timeout, ...args);
    return schedule(
      (...callbackArgs: unknown[]) => {
        counts.fired += 1;
        (handler as (...a: unknown[]) => void)(...callbackArgs);
      },
      timeout,
      ...args,
    );
  };
}

/** A timer-cancelling function that counts its calls. */
function countingClear(clear: (id: number | undefined) => void): (id: number | undefined) => void {
  return (id) => {
    counts.cleared += 1;
    clear(id);
  };
}

const page = globalThis as unknown as Record<string, unknown>;
page.setTimeout = counting(globalThis.setTimeout.bind(globalThis) as TimerFunction);
page.setInterval = counting(globalThis.setInterval.bind(globalThis) as TimerFunction);
page.clearTimeout = countingClear(globalThis.clearTimeout.bind(globalThis));
page.clearInterval = countingClear(globalThis.clearInterval.bind(globalThis));
page.__timerProbe = { counts, original } satisfies TimerProbe;
