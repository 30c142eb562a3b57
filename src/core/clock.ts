/**
 * Time and randomness, injected so that every delay, deadline and jitter is
 * deterministic under test.
 *
 * @module
 */

/** An opaque handle returned by {@link Clock.setTimeout}: a number in browsers, an object in Node. */
export type TimerHandle = object | number;

/**
 * The source of time, timers and randomness used by a socket.
 *
 * Pass a custom clock through the `clock` option to control time in tests,
 * or to route timers through a scheduler of your own.
 */
export interface Clock {
  /** Milliseconds since an arbitrary epoch; only differences are used. */
  now(): number;
  /** A number in [0, 1). */
  random(): number;
  /** Runs `callback` once after `delayMs`; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer started by {@link Clock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The platform clock: `Date.now`, `Math.random` and the global timers.
 *
 * Globals are looked up at call time, so fake timers installed after this
 * module loads (vitest, sinon) still apply.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};

/**
 * One timer with a single owner: starting it again replaces the previous
 * run, and `stop()` always leaves nothing pending.
 */
export class Timer {
  readonly #clock: Clock;
  #handle: TimerHandle | undefined;

  /** @param clock - where the timer is scheduled */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /**
   * Schedules `callback` after `delayMs`, cancelling any pending run first.
   * The handle is kept after the run (no wrapper closure per timer): a later
   * `stop()` clears a spent handle, which clocks ignore.
   */
  start(delayMs: number, callback: () => void): void {
    this.stop();
    this.#handle = this.#clock.setTimeout(callback, Math.max(0, delayMs));
  }

  /** Cancels the pending run, if any. */
  stop(): void {
    if (this.#handle === undefined) return;
    this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}
