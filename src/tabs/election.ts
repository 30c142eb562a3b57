/**
 * Leader election over the Web Locks API: a tab stands by requesting the
 * group's lock, and leads while it holds it. The browser releases a lock
 * held by a tab that closes, crashes or is discarded, and grants it to the
 * next tab in line, in request order. A thin shell over an injectable lock
 * manager, so tests use a fake one.
 *
 * @module
 */

/** The part of `navigator.locks` (`LockManager`) the election uses. */
export interface LockManagerLike {
  request(name: string, options: { readonly signal?: AbortSignal }, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

/** A tab's place in the election. */
export interface Candidacy {
  /** Leaves the election: a waiting request is aborted, a held lock released. Calling it twice is harmless. */
  end(): void;
}

/**
 * Requests the lock `name` and calls `elected` once it is granted; the lock
 * is held until {@link Candidacy.end}. A request granted after `end()`
 * (the abort raced the grant) is released at once.
 */
export function stand(locks: LockManagerLike, name: string, elected: () => void): Candidacy {
  const controller = new AbortController();
  let release: (() => void) | undefined;
  let ended = false;
  locks
    .request(name, { signal: controller.signal }, () => {
      if (ended) return Promise.resolve();
      return new Promise<void>((resolve) => {
        release = resolve;
        elected();
      });
    })
    // An aborted request rejects with an AbortError: that is how a candidacy ends while waiting.
    .catch(() => undefined);
  return {
    end() {
      if (ended) return;
      ended = true;
      controller.abort();
      release?.();
    },
  };
}
