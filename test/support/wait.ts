/**
 * Awaiting things in real-time tests: the next event on an EventTarget, or
 * a condition that becomes true. Every wait is bounded by a generous
 * timeout (the machine is shared and noisy) and fails with a message that
 * says what never happened.
 */

import type { ResilientWebSocket, ResilientWebSocketEventMap } from '../../src/index.js';

/** The default bound for a single wait: far above anything these tests expect (well under 1 s). */
export const defaultTimeoutMs = 10_000;

export interface WaitOptions<E> {
  /** Give up after this many ms. @defaultValue {@link defaultTimeoutMs} */
  readonly timeoutMs?: number;
  /** Only an event that passes this counts. */
  readonly filter?: (event: E) => boolean;
}

/** The next `type` event of a {@link ResilientWebSocket}, typed from its event map. */
export function nextEvent<K extends keyof ResilientWebSocketEventMap>(
  target: ResilientWebSocket,
  type: K,
  options?: WaitOptions<ResilientWebSocketEventMap[K]>,
): Promise<ResilientWebSocketEventMap[K]>;
/** The next `type` event of any EventTarget. */
export function nextEvent<E extends Event = Event>(target: EventTarget, type: string, options?: WaitOptions<E>): Promise<E>;
export function nextEvent(target: EventTarget, type: string, options: WaitOptions<Event> = {}): Promise<Event> {
  const { timeoutMs = defaultTimeoutMs, filter } = options;
  return new Promise((resolve, reject) => {
    const listener = (event: Event): void => {
      if (filter && !filter(event)) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(event);
    };
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`No '${type}' event within ${timeoutMs} ms`));
    }, timeoutMs);
    target.addEventListener(type, listener);
  });
}

/** The same as {@link nextEvent}, for tests that read better as "wait for". */
export const waitFor = nextEvent;

/**
 * Resolves once `condition()` is true, checking every few ms; rejects after
 * `timeoutMs` with `what` in the message. For state that has no event of its
 * own (a server-side counter, a message log).
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = defaultTimeoutMs): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await delay(5);
  }
}

/**
 * A plain sleep. Only for proving that something does NOT happen (no
 * reconnect after close()): there is no event to await for an absence.
 */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One recorded event, in the order it was dispatched. */
export interface Recorded {
  readonly type: string;
  readonly event: Event;
}

/**
 * Records every event of the given types from now on, in order. The array
 * is live; `stop()` removes the listeners.
 */
export function recordEvents(target: EventTarget, types: readonly string[]): Recorded[] & { stop(): void; of<E extends Event>(type: string): E[] } {
  const log: Recorded[] = [];
  const listeners = types.map((type) => {
    const listener = (event: Event): void => {
      log.push({ type, event });
    };
    target.addEventListener(type, listener);
    return [type, listener] as const;
  });
  return Object.assign(log, {
    stop(): void {
      for (const [type, listener] of listeners) target.removeEventListener(type, listener);
    },
    of<E extends Event>(type: string): E[] {
      return log.filter((entry) => entry.type === type).map((entry) => entry.event as E);
    },
  });
}
