/**
 * A simulated {@link Clock} for whole fleets: timers in a binary heap
 * (ordered by due time, then by creation), so that a few hundred thousand
 * pending timers cost O(log n) each, and a seeded random source.
 *
 * @module
 */
import type { Clock, TimerHandle } from '../../src/core/clock.js';
import { seededRandom } from '../../test/support/random.js';

interface Entry {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * How many rounds of microtasks run between two instants: the library
 * defers an event by one microtask at most, a few more rounds are margin.
 * (A macrotask turn per instant would cost a system call each.)
 */
const microtaskDepth = 8;

const before = (a: Entry, b: Entry): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A clock whose time moves only when {@link HeapClock.runUntil} says so. */
export class HeapClock implements Clock {
  readonly #heap: Entry[] = [];
  readonly #random: () => number;
  #now = 0;
  #seq = 0;
  #live = 0;

  /** @param seed - the seed of the random source */
  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  now(): number {
    return this.#now;
  }

  random(): number {
    return this.#random();
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const entry: Entry = { at: this.#now + delay, seq: this.#seq++, callback, cancelled: false };
    this.#push(entry);
    this.#live++;
    return entry;
  }

  clearTimeout(handle: TimerHandle): void {
    const entry = handle as Entry;
    if (typeof entry !== 'object' || entry.cancelled) return;
    entry.cancelled = true;
    this.#live--;
  }

  /** Timers scheduled and neither run nor cleared. */
  pending(): number {
    return this.#live;
  }

  /**
   * Runs every timer due up to `until` in order, each at its own due time,
   * letting queued microtasks run between two instants; then sets the time
   * to `until`. `stop` is asked after each instant and ends the run early.
   */
  async runUntil(until: number, stop: () => boolean = () => false): Promise<void> {
    for (;;) {
      const next = this.#heap[0];
      if (next === undefined || next.at > until) break;
      this.#pop();
      if (next.cancelled) continue;
      this.#live--;
      next.cancelled = true;
      this.#now = next.at;
      next.callback();
      const following = this.#heap[0];
      if (following === undefined || following.at > this.#now) {
        // The library defers some events to microtasks: let them run before time moves on.
        for (let depth = 0; depth < microtaskDepth; depth++) await Promise.resolve();
        if (stop()) return;
      }
    }
    this.#now = Math.max(this.#now, until);
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!before(entry, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = entry;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
