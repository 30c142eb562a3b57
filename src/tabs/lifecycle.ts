/**
 * When a tab leaves and comes back, as far as the tabs are concerned: it
 * leaves on `pagehide` (closing, navigating, or entering the back/forward
 * cache) and on `freeze`, and comes back on `pageshow` from the cache and
 * on `resume`. A frozen or cached tab must hold no lock and no lock request:
 * it could not run the callback, and every other tab would wait.
 *
 * @module
 */

/** A change of the tab's presence. */
export type PresenceSignal = 'leave' | 'return';

/** Where a tab learns that it leaves or comes back; pass your own through the `tabs.lifecycle` option. */
export interface PageLifecycle {
  /** Starts listening; returns the cleanup that removes every listener. */
  subscribe(notify: (signal: PresenceSignal) => void): () => void;
}

/** The page's own events: `pagehide` / `pageshow` on the global, `freeze` / `resume` on `document`. Nothing where they do not exist. */
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
      [doc, 'freeze', leave],
      [doc, 'resume', back],
    ];
    for (const [target, type, listener] of listens) target?.addEventListener(type, listener);
    return () => {
      for (const [target, type, listener] of listens) target?.removeEventListener(type, listener);
    };
  },
};
