/**
 * When a tab leaves and comes back, as far as the tabs are concerned: it
 * leaves on `pagehide` (closing, navigating, or entering the back/forward
 * cache) and on `freeze`, and comes back on `pageshow` from the cache and
 * on `resume`. A frozen or cached tab must hold no lock and no lock request:
 * it could not run the callback, and every other tab would wait.
 *
 * `beforeunload` says only that the tab may leave (the navigation can
 * still be cancelled, or be a download that leaves the page in place), so
 * it hands nothing over by itself; see {@link isUnloadClose}.
 *
 * @module
 */

/** A change of the tab's presence: it leaves, comes back, or may be about to leave (`beforeunload`). */
export type PresenceSignal = 'leave' | 'return' | 'may-leave';

/** Where a tab learns that it leaves or comes back; pass your own through the `tabs.lifecycle` option. */
export interface PageLifecycle {
  /** Starts listening; returns the cleanup that removes every listener. */
  subscribe(notify: (signal: PresenceSignal) => void): () => void;
}

/** The page's own events: `pagehide` / `pageshow` / `beforeunload` on the global, `freeze` / `resume` on `document`. Nothing where they do not exist. */
export const pageLifecycle: PageLifecycle = {
  subscribe(notify) {
    const global = typeof addEventListener === 'function' ? (globalThis as unknown as EventTarget) : undefined;
    const doc = typeof document === 'undefined' ? undefined : document;
    const leave = (): void => notify('leave');
    const back = (event: Event): void => {
      if (event.type === 'resume' || (event as PageTransitionEvent).persisted) notify('return');
    };
    const listens: [EventTarget | undefined, string, (event: Event) => void][] = [
      [global, 'pagehide', leave],
      [global, 'pageshow', back],
      [global, 'beforeunload', () => notify('may-leave')],
      [doc, 'freeze', leave],
      [doc, 'resume', back],
    ];
    for (const [target, type, listener] of listens) target?.addEventListener(type, listener);
    return () => {
      for (const [target, type, listener] of listens) target?.removeEventListener(type, listener);
    };
  },
};

/** How soon after `beforeunload` a going-away close is taken for the navigation's (measured in Firefox: 5-20 ms). */
const unloadCloseWindowMs = 1_000;

/**
 * Whether the leading tab's socket closed because its page is navigating
 * away: a 1001 (going away) close within a second of `beforeunload`.
 * Firefox closes a page's sockets with 1001 as the navigation starts, and
 * fires `pagehide` only when the next page's response arrives, which a
 * slow server can make seconds later; Chromium and WebKit keep the socket
 * until `pagehide`. Such a tab lets another one lead at once instead of
 * reconnecting a socket its navigation would close again.
 *
 * @param mayLeaveAt - when the tab last saw `beforeunload` (its clock), or `-Infinity`
 */
export function isUnloadClose(code: number, mayLeaveAt: number, now: number): boolean {
  return code === 1001 && now - mayLeaveAt <= unloadCloseWindowMs;
}
