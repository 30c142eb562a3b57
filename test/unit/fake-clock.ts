/**
 * A hand-written fake {@link Clock} for unit tests: time only moves when a
 * test says so, timers run in due order, and randomness is seeded.
 */

import type { Clock, TimerHandle } from '../../src/core/clock.js';
import { seededRandom } from '../support/random.js';

export { seededRandom };

interface ScheduledTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** The most timers one `advance()` or `jump()` may run: a runaway loop fails instead of hanging. */
const maxTimersPerStep = 100_000;


export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: ScheduledTimer[] = [];
  readonly #random: () => number;
  /** How many times `setTimeout` was called since construction. */
  setTimeoutCalls = 0;
  /** How many timer callbacks have run since construction: the wake-ups. */
  fired = 0;

  /**
   * @param start - the initial value of `now()`
   * @param random - the random source (seeded by default)
   */
  constructor(start = 0, random: () => number = seededRandom(1)) {
    this.#now = start;
    this.#random = random;
  }

  now(): number {
    return this.#now;
  }

  random(): number {
    return this.#random();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    this.setTimeoutCalls++;
    // Like the platform: a negative or NaN delay means "as soon as possible".
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: ScheduledTimer = { id: this.#nextId++, at: this.#now + delay, callback };
    // Insert after every timer due at the same time or earlier: FIFO among equals.
    let index = this.#timers.length;
    while (index > 0 && (this.#timers[index - 1]?.at ?? -Infinity) > timer.at) index--;
    this.#timers.splice(index, 0, timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** How many timers are scheduled and not yet run or cleared. */
  pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, running each timer that falls due at its
   * own due time (timers scheduled by callbacks run too if they fall due).
   */
  advance(ms: number): void {
    const target = this.#now + ms;
    this.#runDue(target, (timer) => timer.at);
    this.#now = target;
  }

  /**
   * Moves time forward by `ms` at once, then runs the timers that fell due
   * late, all seeing the new time: a throttled background tab or a laptop
   * waking from sleep.
   */
  jump(ms: number): void {
    this.#now += ms;
    const now = this.#now;
    this.#runDue(now, () => now);
  }

  /**
   * Moves time forward by `ms` without running any timer: a frozen page
   * whose timers are held back until something else happens first.
   */
  skip(ms: number): void {
    this.#now += ms;
  }

  #runDue(until: number, timeOf: (timer: ScheduledTimer) => number): void {
    for (let ran = 0; ; ran++) {
      const next = this.#timers[0];
      if (next === undefined || next.at > until) return;
      if (ran >= maxTimersPerStep) throw new Error(`FakeClock: more than ${maxTimersPerStep} timers in one step`);
      this.#timers.shift();
      this.#now = Math.max(this.#now, timeOf(next));
      this.fired++;
      next.callback();
    }
  }
}
