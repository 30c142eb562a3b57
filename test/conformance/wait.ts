/**
 * Waiting in the conformance checks. Every wait is bounded generously (the
 * machine is shared and slow), and every listener only records: a listener
 * that threw would surface as an uncaught exception, not as the check's
 * failure, so assertions happen after the awaited event, never inside it.
 */

/** The bound on any single wait: far above what a loopback round trip needs. */
export const waitBoundMs = 10_000;

/** The next `type` event on `target`, or a rejection naming what never came. */
export function nextEvent<E extends Event = Event>(target: EventTarget, type: string, filter?: (event: E) => boolean): Promise<E> {
  return new Promise((resolve, reject) => {
    const listener = (event: Event): void => {
      if (filter && !filter(event as E)) return;
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(event as E);
    };
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`no '${type}' event within ${waitBoundMs} ms`));
    }, waitBoundMs);
    target.addEventListener(type, listener);
  });
}

/** Resolves once `condition()` holds, polling; rejects after {@link waitBoundMs} naming `what`. */
export async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + waitBoundMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${waitBoundMs} ms waiting until ${what}`);
    await delay(5);
  }
}

/** A plain sleep: only to prove that something does NOT happen. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** One recorded event with what the target looked like when it arrived. */
export interface Seen {
  readonly type: string;
  readonly event: Event;
  /** `readyState` of the target at dispatch. */
  readonly readyState: number;
  /** `this` inside the listener. */
  readonly self: unknown;
}

/** A live log of events on a target, in dispatch order. */
export interface Recorder {
  readonly seen: Seen[];
  types(): string[];
  count(type: string): number;
  first(type: string): Event | undefined;
  stop(): void;
}

/** Records every event of `types` dispatched on `target` from now on. */
export function record(target: EventTarget & { readonly readyState: number }, types: readonly string[]): Recorder {
  const seen: Seen[] = [];
  const listener = function (this: unknown, event: Event): void {
    seen.push({ type: event.type, event, readyState: target.readyState, self: this });
  };
  for (const type of types) target.addEventListener(type, listener);
  return {
    seen,
    types: () => seen.map((entry) => entry.type),
    count: (type) => seen.filter((entry) => entry.type === type).length,
    first: (type) => seen.find((entry) => entry.type === type)?.event,
    stop: () => {
      for (const type of types) target.removeEventListener(type, listener);
    },
  };
}
