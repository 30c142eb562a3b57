/**
 * `resilient-websocket/vue`: the socket as a composable with refs. Scopes
 * that ask for the same connection share one socket; reconnect, heartbeat
 * and policy are the core's.
 *
 * @packageDocumentation
 */

import { computed, getCurrentScope, hasInjectionContext, inject, onScopeDispose, shallowRef, ssrContextKey, toValue, watch } from 'vue';
import type { ComputedRef, MaybeRefOrGetter, ShallowRef } from 'vue';
import {
  ResilientWebSocket,
  closedSnapshot,
  connectingSnapshot,
  leaseSocket,
  socketKey,
  type CloseReport,
  type ResilientWebSocketOptions,
  type SendData,
  type SocketLease,
  type Status,
} from 'resilient-websocket';
// Bundled in: the socket's own option errors, so the wording and the short production messages are the same.
import { optionTypeError } from '../core/errors.js';
import { isDevelopment } from '../core/mode.js';

/** Options of {@link useResilientWebSocket}: the socket's own options plus the composable's. */
export interface UseResilientWebSocketOptions<T = unknown> extends ResilientWebSocketOptions {
  /** The sub-protocols, as the socket's second argument. */
  readonly protocols?: string | string[];
  /** Scopes with the same URL, protocols, options and `key` share one socket; a different `key` gets its own. */
  readonly key?: string;
  /**
   * Whether this call shares its socket with the others that ask for the
   * same connection (the default), or has a socket of its own (`false`).
   * @defaultValue `true`
   */
  readonly share?: boolean;
  /** Connect at once (as `@vueuse/core`'s `immediate`); with `false`, nothing connects until `open()`. @defaultValue `true` */
  readonly immediate?: boolean;
  /**
   * Follow URL changes (as `@vueuse/core`'s `autoConnect`): a new URL
   * replaces the connection. With `false`, a new URL is used at the next
   * `open()`. @defaultValue `true`
   */
  readonly autoConnect?: boolean;
  /**
   * Maps each `message` event to the value of `data`; `data` changes (and
   * its readers render) only when the value does (`Object.is`).
   * @defaultValue `event.data`
   */
  readonly selectMessage?: (event: MessageEvent, previous: T | undefined) => T;
}

/** What {@link useResilientWebSocket} returns: read-only refs and stable functions. */
export interface UseResilientWebSocketReturn<T = unknown> {
  /** The socket's status: `connecting`, `open`, `waiting`, `closing` or `closed`. */
  readonly state: ComputedRef<Status>;
  /** The native-style ready state (0-3). */
  readonly readyState: ComputedRef<0 | 1 | 2 | 3>;
  /** Retries since the last stable connection. */
  readonly attempt: ComputedRef<number>;
  /** The report of the last close (`explainClose(report)` says why), or `null`. */
  readonly lastClose: ComputedRef<CloseReport | null>;
  /** The last message, mapped by `selectMessage` (by default its `data`), or `undefined`. */
  readonly data: Readonly<ShallowRef<T | undefined>>;
  /** The shared socket, or `null` while not connected (no URL, before `open()`, on the server). */
  readonly socket: Readonly<ShallowRef<ResilientWebSocket | null>>;
  /** `socket.send(data)`: `true` if sent now, `false` if queued or if there is no socket. */
  send(data: SendData): boolean;
  /** Connects if not connected, or reconnects a closed socket (as `@vueuse/core`'s `open`). */
  open(): void;
  /** `socket.close(code, reason)`: closes the shared socket until `open()` or `reconnect()`. */
  close(code?: number, reason?: string): void;
  /** `socket.reconnect()`: a new connection now. */
  reconnect(): void;
}

/** Counts the calls with `share: false`, each of which gets a key of its own. */
let calls = 0;

/**
 * Connects to `url` (a string, a ref, a getter or a computed) for the life
 * of the current effect scope (a component's setup, or `effectScope()`).
 * A new URL replaces the connection; `null` closes it. When the scope
 * stops (`app.unmount()`, `scope.stop()`), the socket is released and
 * nothing reopens it.
 *
 * @example
 * ```ts
 * const { state, data, lastClose, send } = useResilientWebSocket(() => `wss://example.com/rooms/${room.value}`);
 * ```
 */
export function useResilientWebSocket<T = unknown>(
  url: MaybeRefOrGetter<string | URL | null | undefined>,
  options: UseResilientWebSocketOptions<T> = {},
): UseResilientWebSocketReturn<T> {
  const { protocols, key: ownKey, share = true, immediate = true, autoConnect = true, selectMessage, ...socketOptions } = options;
  if (typeof immediate !== 'boolean') throw optionTypeError('immediate', isDevelopment && 'a boolean', immediate);
  if (typeof autoConnect !== 'boolean') throw optionTypeError('autoConnect', isDevelopment && 'a boolean', autoConnect);
  if (typeof share !== 'boolean') throw optionTypeError('share', isDevelopment && 'a boolean', share);
  if (selectMessage !== undefined && typeof selectMessage !== 'function') throw optionTypeError('selectMessage', isDevelopment && 'a function', selectMessage);
  // A socket of its own: a key no other call has.
  const userKey = share ? ownKey : `${ownKey ?? ''}\0${++calls}`;
  const select = selectMessage ?? ((event: MessageEvent): T => event.data as T);
  // Server rendering opens nothing (the page's own setup connects), and renders what the browser's first
  // render shows, so hydration matches: `connecting` for a URL it will connect to, else `closed`.
  const onServer = hasInjectionContext() && inject(ssrContextKey, null) !== null;
  const snapshot = shallowRef(onServer && immediate && toValue(url) != null ? connectingSnapshot : closedSnapshot);
  const data: ShallowRef<T | undefined> = shallowRef<T | undefined>(undefined);
  let last: T | undefined;
  const socket = shallowRef<ResilientWebSocket | null>(null);
  let wanted = immediate && !onServer;
  let stopHold = (): void => undefined;
  let heldKey: string | null = null;

  const hold = (href: string | URL | null | undefined): void => {
    stopHold();
    if (!wanted || href == null) return;
    heldKey = socketKey(href, protocols, socketOptions, userKey);
    const lease: SocketLease = leaseSocket(heldKey, () => new ResilientWebSocket(href, protocols, socketOptions));
    const { store } = lease;
    const update = (): void => {
      snapshot.value = store.getSnapshot();
    };
    const stopState = store.subscribe(update);
    const stopMessages = store.subscribeMessage((event) => {
      last = select(event, last);
      data.value = last;
    });
    socket.value = store.socket;
    update();
    stopHold = () => {
      stopHold = () => undefined;
      heldKey = null;
      stopState();
      stopMessages();
      lease.release();
      socket.value = null;
      snapshot.value = closedSnapshot;
    };
  };

  let first = true;
  const stopWatch = watch(
    () => toValue(url),
    (href) => {
      if (first || autoConnect) hold(href);
      first = false;
    },
    { immediate: true },
  );
  if (getCurrentScope()) {
    onScopeDispose(() => {
      wanted = false;
      stopWatch();
      stopHold();
    });
  }

  return {
    state: computed(() => snapshot.value.state),
    readyState: computed(() => snapshot.value.readyState),
    attempt: computed(() => snapshot.value.attempt),
    lastClose: computed(() => snapshot.value.lastClose),
    data,
    socket,
    send: (payload) => socket.value?.send(payload) ?? false,
    open() {
      if (onServer) return;
      wanted = true;
      const href = toValue(url);
      if (socket.value === null || (href != null && socketKey(href, protocols, socketOptions, userKey) !== heldKey)) hold(href);
      else if (socket.value.state === 'closed') socket.value.reconnect();
    },
    close: (code, reason) => socket.value?.close(code, reason),
    reconnect: () => socket.value?.reconnect(),
  };
}

export type { SocketSnapshot } from 'resilient-websocket';
