/**
 * Signals from the page and the network: online/offline, visibility, the
 * back/forward cache and page freezing. Each source installs its listeners
 * while a socket lives and removes them on close; where a global does not
 * exist (Node, workers) it does nothing.
 *
 * @module
 */

/** A change in the environment a socket reacts to. */
export type EnvironmentSignal =
  | 'online'
  | 'offline'
  | 'visible'
  | 'hidden'
  /** The page entered the back/forward cache. */
  | 'pagehide'
  /** The page came back from the back/forward cache. */
  | 'pageshow'
  | 'freeze'
  | 'resume';

/**
 * Where a socket learns about the network and the page. Pass your own
 * through the `environment` option (React Native's NetInfo, a test double).
 */
export interface Environment {
  /** Starts listening; returns the cleanup that removes every listener. */
  subscribe(notify: (signal: EnvironmentSignal) => void): () => void;
  /** Whether the network is up, or `null` where it cannot tell. */
  isOnline(): boolean | null;
  /** Whether the page is visible, or `null` where there is no page. */
  isVisible(): boolean | null;
}

type Listen = [target: EventTarget | undefined, type: string, listener: (event: Event) => void];

/**
 * The environment of a browser page or worker, from `globalThis`: `online`
 * and `offline` on the global, `visibilitychange`, `freeze` and `resume` on
 * `document`, `pagehide` and `pageshow` (persisted only) on the global.
 */
export const browserEnvironment: Environment = {
  subscribe(notify) {
    const global = globalThis as typeof globalThis & Partial<Window>;
    const doc = typeof document === 'undefined' ? undefined : document;
    const target = typeof global.addEventListener === 'function' ? (global as unknown as EventTarget) : undefined;
    const listens: Listen[] = [
      [target, 'online', () => notify('online')],
      [target, 'offline', () => notify('offline')],
      [target, 'pagehide', (event) => (event as PageTransitionEvent).persisted && notify('pagehide')],
      [target, 'pageshow', (event) => (event as PageTransitionEvent).persisted && notify('pageshow')],
      [doc, 'visibilitychange', () => notify(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible')],
      [doc, 'freeze', () => notify('freeze')],
      [doc, 'resume', () => notify('resume')],
    ];
    for (const [on, type, listener] of listens) on?.addEventListener(type, listener);
    return () => {
      for (const [on, type, listener] of listens) on?.removeEventListener(type, listener);
    };
  },
  isOnline() {
    const nav = typeof navigator === 'undefined' ? undefined : (navigator as Partial<Navigator>);
    return typeof nav?.onLine === 'boolean' ? nav.onLine : null;
  },
  isVisible() {
    return typeof document === 'undefined' || typeof document.visibilityState !== 'string'
      ? null
      : document.visibilityState !== 'hidden';
  },
};

/** An environment with no signals: the network is assumed up and there is no page. */
export const staticEnvironment: Environment = {
  subscribe: () => () => undefined,
  isOnline: () => null,
  isVisible: () => null,
};
