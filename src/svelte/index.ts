/**
 * `resilient-websocket/svelte`: the socket as Svelte stores (the store
 * contract, so `$store` works in Svelte 4 and 5 components), with no
 * runtime dependency on Svelte. Reconnect, heartbeat and policy are the
 * core's.
 *
 * @packageDocumentation
 */

import {
  ResilientWebSocket,
  closedSnapshot,
  connectingSnapshot,
  leaseSocket,
  socketKey,
  type ResilientWebSocketOptions,
  type SendData,
  type SocketLease,
  type SocketSnapshot,
} from 'resilient-websocket';
// Bundled in: the socket's own option errors, so the wording and the short production messages are the same.
import { optionTypeError } from '../core/errors.js';
import { isDevelopment } from '../core/mode.js';

/** Svelte's readable store contract (`svelte/store`'s `Readable`), spelled out so nothing imports Svelte. */
export interface Readable<T> {
  /** Calls `run` with the value now and after each change; returns the unsubscribe function. */
  subscribe(run: (value: T) => void, invalidate?: () => void): () => void;
}

/** Options of {@link resilientWebSocket}: the socket's own options plus the store's. */
export interface ResilientWebSocketStoreOptions<T = unknown> extends ResilientWebSocketOptions {
  /** The sub-protocols, as the socket's second argument. */
  readonly protocols?: string | string[];
  /** Stores with the same URL, protocols, options and `key` share one socket; a different `key` gets its own. */
  readonly key?: string;
  /**
   * Whether this store shares its socket with the other stores that ask
   * for the same connection (the default), or has a socket of its own
   * (`false`; its subscribers still share it). @defaultValue `true`
   */
  readonly share?: boolean;
  /**
   * Maps each `message` event to the value of the `messages` store, which
   * tells its subscribers only when the value changes (`Object.is`).
   * @defaultValue `event.data`
   */
  readonly selectMessage?: (event: MessageEvent, previous: T | undefined) => T;
}

/**
 * A readable store of the connection's {@link SocketSnapshot}, with a
 * `messages` store beside it. The first subscriber to either connects; the
 * last one to leave releases the socket.
 */
export interface ResilientWebSocketStore<T = unknown> extends Readable<SocketSnapshot> {
  /** The last message, mapped by `selectMessage` (by default its `data`), or `undefined`. */
  readonly messages: Readable<T | undefined>;
  /** The shared socket while the store has subscribers, else `null`. */
  readonly socket: ResilientWebSocket | null;
  /** `socket.send(data)`: `true` if sent now, `false` if queued or if nothing is subscribed. */
  send(data: SendData): boolean;
  /** `socket.reconnect()`: a new connection now (also after `close()` or a give-up). */
  reconnect(): void;
  /** `socket.close(code, reason)`: closes the shared socket until `reconnect()`. */
  close(code?: number, reason?: string): void;
}

/** A readable store whose subscribers share one lifetime hook. */
function readable<T>(initial: T, hold: () => () => void): { store: Readable<T>; get(): T; set(value: T): void } {
  let value = initial;
  const runs = new Set<{ run: (value: T) => void }>();
  let stop: (() => void) | null = null;
  return {
    get: () => value,
    set(next) {
      if (Object.is(next, value)) return;
      value = next;
      for (const subscriber of [...runs]) subscriber.run(value);
    },
    store: {
      subscribe(run) {
        const subscriber = { run };
        runs.add(subscriber);
        if (runs.size === 1) stop = hold();
        run(value);
        return () => {
          if (!runs.delete(subscriber) || runs.size > 0) return;
          stop?.();
          stop = null;
        };
      },
    },
  };
}

/** Counts the stores made with `share: false`, each of which gets a key of its own. */
let stores = 0;

/**
 * Makes the stores of a connection to `url`. Nothing connects until the
 * first subscription. On a server (no `window`, as in server rendering)
 * nothing connects at all: the store holds `connecting`, the state the
 * browser's first render shows, so hydration matches.
 *
 * @example
 * ```svelte
 * <script>
 *   import { explainClose } from 'resilient-websocket';
 *   import { resilientWebSocket } from 'resilient-websocket/svelte';
 *   const feed = resilientWebSocket('wss://example.com/feed', { heartbeat: true });
 *   const messages = feed.messages;
 * </script>
 * <p>{$feed.state}: {$feed.lastClose ? explainClose($feed.lastClose) : ''}</p>
 * ```
 */
export function resilientWebSocket<T = unknown>(url: string | URL, options: ResilientWebSocketStoreOptions<T> = {}): ResilientWebSocketStore<T> {
  const { protocols, key: userKey, share = true, selectMessage, ...socketOptions } = options;
  if (typeof share !== 'boolean') throw optionTypeError('share', isDevelopment && 'a boolean', share);
  if (selectMessage !== undefined && typeof selectMessage !== 'function') throw optionTypeError('selectMessage', isDevelopment && 'a function', selectMessage);
  const select = selectMessage ?? ((event: MessageEvent): T => event.data as T);
  // A socket of its own: a key no other store has.
  const key = socketKey(url, protocols, socketOptions, share ? userKey : `${userKey ?? ''}\0${++stores}`);
  let lease: SocketLease | null = null;
  let holders = 0;
  let stopListening = (): void => undefined;

  const hold = (): (() => void) => {
    holders += 1;
    // On a server (no `window`: server rendering) nothing connects; the store shows what the browser's first
    // render shows, so hydration matches.
    if (holders === 1 && typeof window === 'undefined') state.set(connectingSnapshot);
    else if (holders === 1) {
      lease = leaseSocket(key, () => new ResilientWebSocket(url, protocols, socketOptions));
      const { store } = lease;
      const stopState = store.subscribe(() => state.set(store.getSnapshot()));
      const stopMessages = store.subscribeMessage((event) => messages.set(select(event, messages.get())));
      state.set(store.getSnapshot());
      stopListening = () => {
        stopState();
        stopMessages();
      };
    }
    return () => {
      holders -= 1;
      if (holders > 0) return;
      stopListening();
      lease?.release();
      lease = null;
      state.set(closedSnapshot);
    };
  };

  const state = readable<SocketSnapshot>(closedSnapshot, hold);
  const messages = readable<T | undefined>(undefined, hold);

  const current = (): ResilientWebSocket | undefined => lease?.store.socket;
  return {
    subscribe: (run, invalidate) => state.store.subscribe(run, invalidate),
    messages: messages.store,
    get socket() {
      return current() ?? null;
    },
    send: (data) => current()?.send(data) ?? false,
    reconnect: () => current()?.reconnect(),
    close: (code, reason) => current()?.close(code, reason),
  };
}

export type { SocketSnapshot } from 'resilient-websocket';
