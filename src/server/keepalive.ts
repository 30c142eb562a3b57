/**
 * The schedule of the server-side heartbeat: a protocol ping to every
 * client each interval, and a check `timeoutMs` after each round that ends
 * the clients that have not answered it. One timer serves both duties.
 *
 * @module
 */

import { Timer, type Clock } from '../core/clock.js';

/** What the sweep asks its owner to do. */
export interface KeepaliveDuties {
  /** Ping every client that has no unanswered ping, noting `now` as its ping time. */
  ping(now: number): void;
  /** End every client whose unanswered ping went out at or before `pingedBy`. */
  expire(pingedBy: number): void;
}

/** Pings on an interval and expires unanswered pings after a timeout, on one timer. */
export class KeepaliveSweep {
  readonly #clock: Clock;
  readonly #timer: Timer;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #duties: KeepaliveDuties;
  #nextPingAt = 0;
  /** Due times of the pending checks, oldest first (one per ping round). */
  readonly #checks: number[] = [];

  constructor(clock: Clock, config: { readonly intervalMs: number; readonly timeoutMs: number }, duties: KeepaliveDuties) {
    this.#clock = clock;
    this.#timer = new Timer(clock);
    this.#intervalMs = config.intervalMs;
    this.#timeoutMs = config.timeoutMs;
    this.#duties = duties;
  }

  /** Starts: the first round goes out one interval from now. */
  start(): void {
    this.#checks.length = 0;
    this.#nextPingAt = this.#clock.now() + this.#intervalMs;
    this.#arm();
  }

  /** Stops; nothing stays pending. */
  stop(): void {
    this.#timer.stop();
    this.#checks.length = 0;
  }

  #arm(): void {
    const due = Math.min(this.#nextPingAt, this.#checks[0] ?? Infinity);
    this.#timer.start(due - this.#clock.now(), () => this.#fire());
  }

  #fire(): void {
    const now = this.#clock.now();
    // A check due at `t` expires pings sent by `t - timeoutMs`: the round it was armed for, and any older.
    while (this.#checks[0] !== undefined && this.#checks[0] <= now) this.#duties.expire((this.#checks.shift() ?? now) - this.#timeoutMs);
    if (now >= this.#nextPingAt) {
      this.#duties.ping(now);
      this.#checks.push(now + this.#timeoutMs);
      this.#nextPingAt = now + this.#intervalMs;
    }
    this.#arm();
  }
}
