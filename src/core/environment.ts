/**
 * Signals from the page and the network: online/offline, visibility, the
 * back/forward cache and page freezing. The browser source listens to the
 * page while any socket subscribes to it, once for all of them; where a
 * global does not exist (Node, workers) it does nothing.
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
  /**
   * The origin of the page (or of the page's worker) the socket lives in,
   * or `null` where there is none. A loopback origin talking to a loopback
   * URL reconnects on the fast local schedule (see the README's local
   * loop). Absent: `null`.
   */
  origin?(): string | null;
}

type Notify = (signal: EnvironmentSignal) => void;

/** The sockets listening to the page; the page listeners exist while this is not empty. */
/** One entry per subscription (a socket's costs no closure): the same function subscribed twice is two entries. */
interface Subscription {
  readonly notify: Notify;
}

const subscribers = new Set<Subscription>();
let stopListening: (() => void) | null = null;

/**
 * Installs one listener per page event, shared by every socket: a page with
 * many sockets holds seven listeners, not seven per socket.
 */
function listenToPage(): () => void {
  const global = globalThis as typeof globalThis & Partial<Window>;
  const doc = typeof document === 'undefined' ? undefined : document;
  const target = typeof global.addEventListener === 'function' ? (global as unknown as EventTarget) : undefined;
  // A socket that subscribes while a signal is delivered does not receive that signal.
  const notify = (signal: EnvironmentSignal): void => [...subscribers].forEach((subscriber) => subscribers.has(subscriber) && subscriber.notify(signal));
  const persisted = (signal: EnvironmentSignal) => (event: Event) => (event as PageTransitionEvent).persisted && notify(signal);
  const listens: [target: EventTarget | undefined, type: string, listener: (event: Event) => void][] = [
    [target, 'online', () => notify('online')],
    [target, 'offline', () => notify('offline')],
    // A worker's global is an EventTarget too, but only a page has a back/forward cache.
    [doc && target, 'pagehide', persisted('pagehide')],
    [doc && target, 'pageshow', persisted('pageshow')],
    [doc, 'visibilitychange', () => notify(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible')],
    [doc, 'freeze', () => notify('freeze')],
    [doc, 'resume', () => notify('resume')],
  ];
  for (const [on, type, listener] of listens) on?.addEventListener(type, listener);
  return () => {
    for (const [on, type, listener] of listens) on?.removeEventListener(type, listener);
  };
}

/**
 * The environment of a browser page or worker, from `globalThis`: `online`
 * and `offline` on the global, `visibilitychange`, `freeze` and `resume` on
 * `document`, `pagehide` and `pageshow` (persisted only) on the global where
 * a `document` exists (a worker listens to `online` and `offline` only).
 */
/** Ends the subscription it is bound to; the page listeners go with the last one. */
function unsubscribe(this: Subscription): void {
  if (!subscribers.delete(this) || subscribers.size > 0) return;
  stopListening?.();
  stopListening = null;
}

export const browserEnvironment: Environment = {
  subscribe(notify) {
    const subscription: Subscription = { notify };
    subscribers.add(subscription);
    stopListening ??= listenToPage();
    return unsubscribe.bind(subscription);
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
  origin() {
    // A page's or a worker's own origin. Node and Bun have no `location`; Deno has one only when
    // started with `--location`, which asks to be treated as a page of that origin.
    return (globalThis as { location?: { origin?: string } }).location?.origin ?? null;
  },
};

/** An environment with no signals: the network is assumed up and there is no page. */
export const staticEnvironment: Environment = {
  subscribe: () => () => undefined,
  isOnline: () => null,
  isVisible: () => null,
};
