/**
 * The store contract: an observable, framework-agnostic view of a socket
 * that any UI adapts in a few lines (React's `useSyncExternalStore`, Vue
 * refs, Svelte stores, Solid signals, Angular signals, Lit controllers).
 *
 * `getSnapshot()` returns an immutable {@link SocketSnapshot} that keeps
 * its identity until one of its fields changes; messages never change it.
 * Messages reach a UI through their own opt-in channel
 * ({@link SocketStore.subscribeMessage}), so a view that shows only the
 * connection state does no work per message.
 *
 * One snapshot per task: the socket passes through several states inside
 * one task (a drop goes `open` -> `closed` -> `waiting` before any other
 * code runs), so the store publishes the state the task ends in, from a
 * microtask, and subscribers (synchronous ones included) never see a state
 * that the same task undoes. `closed` in a snapshot means closed for good.
 * The socket's own `readyState` inside its event listeners is untouched.
 *
 * Built only on the socket's public surface (its events and properties),
 * so it tree-shakes apart from the class.
 *
 * @module
 */

import type { ResilientWebSocket } from './resilient-websocket.js';
import type { CloseReport } from './report.js';
import type { Status } from './state-machine.js';

/** What a UI shows about a connection: immutable, replaced only when a field changes. */
export interface SocketSnapshot {
  /** The socket's {@link Status}: `connecting`, `open`, `waiting`, `closing` or `closed`. */
  readonly state: Status;
  /** The native-style ready state derived from `state` (0 CONNECTING, 1 OPEN, 2 CLOSING, 3 CLOSED). */
  readonly readyState: 0 | 1 | 2 | 3;
  /** Retries since the last stable connection (0 while the first connection holds). */
  readonly attempt: number;
  /** The report of the last close (`explainClose(lastClose)` says why), or `null` before any. */
  readonly lastClose: CloseReport | null;
}

/** An observable view of one {@link ResilientWebSocket}. */
export interface SocketStore {
  /** The socket the store observes. */
  readonly socket: ResilientWebSocket;
  /**
   * Calls `onChange` (with no argument) after each change of the snapshot,
   * never for a message: at most once per task, from a microtask, with the
   * state the task ended in.
   *
   * @returns the unsubscribe function; calling it twice is harmless
   */
  subscribe(onChange: () => void): () => void;
  /**
   * The current snapshot: the same object until a field changes. While the
   * store has subscribers, it is the snapshot last published to them (a
   * change made in the current task shows from its microtask on).
   */
  getSnapshot(): SocketSnapshot;
  /**
   * Calls `listener` with every `message` event (heartbeat pongs excluded):
   * the opt-in message channel.
   *
   * @returns the unsubscribe function
   */
  subscribeMessage(listener: (event: MessageEvent) => void): () => void;
}

/** The events after which the snapshot may have changed. */
const snapshotEvents = ['statechange', 'open', 'close', 'reconnecting', 'giveup'] as const;

/**
 * The snapshot of a socket that is being opened for the first time: the
 * same object for every store in that state, so a view rendered before the
 * socket existed (on the server, or before an effect ran) keeps its identity.
 */
export const connectingSnapshot: SocketSnapshot = /* @__PURE__ */ Object.freeze({ state: 'connecting', readyState: 0, attempt: 0, lastClose: null });

/** The snapshot of a connection that is held closed (no URL, or disabled) and never opened. */
export const closedSnapshot: SocketSnapshot = /* @__PURE__ */ Object.freeze({ state: 'closed', readyState: 3, attempt: 0, lastClose: null });

/** Whether two snapshots have equal fields (`readyState` follows from `state`). */
function sameFields(a: SocketSnapshot, b: SocketSnapshot): boolean {
  return a.state === b.state && a.attempt === b.attempt && a.lastClose === b.lastClose;
}

/**
 * Makes the {@link SocketStore} of `socket`. The store adds listeners to
 * the socket only while it has subscribers, and never closes the socket:
 * its owner does.
 *
 * @example
 * ```ts
 * const store = createSocketStore(new ResilientWebSocket(url));
 * const stop = store.subscribe(() => render(store.getSnapshot()));
 * ```
 */
export function createSocketStore(socket: ResilientWebSocket): SocketStore {
  let snapshot = connectingSnapshot;
  const listeners = new Set<() => void>();

  /** Reads the socket: a new snapshot if a field changed. */
  const read = (): SocketSnapshot => {
    const next: SocketSnapshot = { state: socket.state, readyState: socket.readyState, attempt: socket.attempt, lastClose: socket.lastClose };
    if (!sameFields(snapshot, next)) snapshot = Object.freeze(next);
    return snapshot;
  };

  /** Publishes the state the task ended in, if it changed: the first of a task's microtasks does, the others find no change. */
  const publish = (): void => {
    // The left operand is the snapshot before read() replaces it.
    if (snapshot !== read()) for (const listener of [...listeners]) listener();
  };
  const notify = (): void => queueMicrotask(publish);

  // With no subscriber nothing listens to the socket: read it now.
  const getSnapshot = (): SocketSnapshot => (listeners.size > 0 ? snapshot : read());

  return {
    socket,
    getSnapshot,
    subscribe(onChange) {
      // A wrapper of our own per subscription, so the same function subscribed twice is counted twice.
      const listener = (): void => onChange();
      if (listeners.size === 0) {
        read();
        for (const type of snapshotEvents) socket.addEventListener(type, notify);
      }
      listeners.add(listener);
      return () => {
        if (!listeners.delete(listener) || listeners.size > 0) return;
        for (const type of snapshotEvents) socket.removeEventListener(type, notify);
      };
    },
    subscribeMessage(listener) {
      const onMessage = (event: MessageEvent): void => listener(event);
      socket.addEventListener('message', onMessage);
      return () => socket.removeEventListener('message', onMessage);
    },
  };
}
