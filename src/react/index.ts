/**
 * `resilient-websocket/react`: the socket as a React hook, on
 * `useSyncExternalStore`. Components that ask for the same connection
 * share one socket; reconnect, heartbeat and policy are the core's.
 *
 * @packageDocumentation
 */

import { useCallback, useId, useRef, useSyncExternalStore } from 'react';
import {
  ResilientWebSocket,
  closedSnapshot,
  findSharedSocket,
  leaseSocket,
  socketKey,
  type ResilientWebSocketOptions,
  type SendData,
  type SocketSnapshot,
} from 'resilient-websocket';
// Bundled in: the socket's own option errors, so the wording and the short production messages are the same.
import { optionTypeError } from '../core/errors.js';
import { isDevelopment } from '../core/mode.js';

/** Options of {@link useResilientWebSocket}: the socket's own options plus the hook's. */
export interface UseResilientWebSocketOptions<T = unknown> extends ResilientWebSocketOptions {
  /** The sub-protocols, as the socket's second argument. */
  readonly protocols?: string | string[];
  /** `false` holds the connection closed (no socket). @defaultValue `true` */
  readonly enabled?: boolean;
  /** Components with the same URL, protocols, options and `key` share one socket; a different `key` gets its own. */
  readonly key?: string;
  /**
   * Whether this component shares its socket with the others that ask for
   * the same connection (the default), or has a socket of its own
   * (`false`). @defaultValue `true`
   */
  readonly share?: boolean;
  /**
   * Maps each `message` event to the value of `lastMessage`. The component
   * re-renders only when the value changes (`Object.is`), so a selector
   * that returns the same value for messages it ignores costs no render.
   * @defaultValue `event.data`
   */
  readonly selectMessage?: (event: MessageEvent, previous: T | undefined) => T;
}

/** What {@link useResilientWebSocket} returns. */
export interface UseResilientWebSocketResult<T = unknown> extends SocketSnapshot {
  /** The shared socket, or `null` before the first effect, on the server, and while disabled. */
  readonly socket: ResilientWebSocket | null;
  /**
   * The latest message, mapped by `selectMessage` (by default its `data`),
   * or `undefined` before any. Messages re-render only a component that
   * reads `lastMessage`: one that shows the state alone renders for state
   * changes only.
   */
  readonly lastMessage: T | undefined;
  /** `socket.send(data)`: `true` if sent now, `false` if queued or if there is no socket. Stable identity. */
  readonly send: (data: SendData) => boolean;
  /** `socket.reconnect()`: a new connection now (also after `close()` or a give-up). Stable identity. */
  readonly reconnect: () => void;
  /** `socket.close(code, reason)`: closes the shared socket until `reconnect()`. Stable identity. */
  readonly close: (code?: number, reason?: string) => void;
}

/** The snapshot before the socket exists: on the server, in hydration, and in the first render. */
const pendingSnapshot: SocketSnapshot = /* @__PURE__ */ Object.freeze({ state: 'connecting', readyState: 0, attempt: 0, lastClose: null });

const data = (event: MessageEvent): unknown => event.data;

/**
 * Connects to `url` while the component is mounted, sharing the socket
 * with every component that asks for the same connection.
 *
 * Renders happen on state changes, and on messages only in a component
 * that reads `lastMessage` (and then only when `selectMessage`'s value
 * changes). `share: false` gives the component a socket of its own. Changing the URL, protocols, serializable options or
 * `key` replaces the connection; function-valued options are read when the
 * socket is created. A `null` URL or `enabled: false` holds it closed.
 *
 * @example
 * ```tsx
 * const { state, lastMessage, send } = useResilientWebSocket('wss://example.com/feed', { heartbeat: true });
 * ```
 */
export function useResilientWebSocket<T = unknown>(
  url: string | URL | null | undefined,
  options: UseResilientWebSocketOptions<T> = {},
): UseResilientWebSocketResult<T> {
  const { protocols, enabled = true, key: userKey, share = true, selectMessage, ...socketOptions } = options;
  if (typeof enabled !== 'boolean') throw optionTypeError('enabled', isDevelopment && 'a boolean', enabled);
  if (typeof share !== 'boolean') throw optionTypeError('share', isDevelopment && 'a boolean', share);
  if (selectMessage !== undefined && typeof selectMessage !== 'function') throw optionTypeError('selectMessage', isDevelopment && 'a function', selectMessage);
  // A socket of its own: a key no other component has (useId is stable across StrictMode's double render).
  const own = useId();
  const key = enabled && url != null ? socketKey(url, protocols, socketOptions, share ? userKey : `${userKey ?? ''}\0${own}`) : null;
  const latest = useRef({ url, protocols, socketOptions, selectMessage, key });
  latest.current = { url, protocols, socketOptions, selectMessage, key };
  // Whether a render read `lastMessage`: only then do messages render this component.
  const readsMessages = useRef(false);

  const lease = useCallback(() => {
    const current = latest.current;
    if (current.key === null || current.url == null) return null;
    const { url: href, protocols: subprotocols, socketOptions: created } = current;
    return leaseSocket(current.key, () => new ResilientWebSocket(href, subprotocols, created));
  }, []);

  const subscribe = useCallback(
    (onChange: () => void) => {
      const held = lease();
      if (held === null) return () => undefined;
      const stop = held.store.subscribe(onChange);
      onChange(); // the socket may have been created just now: the pending snapshot is stale
      return () => {
        stop();
        held.release();
      };
    },
    // Resubscribe exactly when the connection changes.
    [key, lease],
  );
  const snapshot = useSyncExternalStore(
    subscribe,
    () => (key === null ? closedSnapshot : (findSharedSocket(key)?.getSnapshot() ?? pendingSnapshot)),
    () => (key === null ? closedSnapshot : pendingSnapshot),
  );

  const message = useRef<{ key: string | null; value: T | undefined }>({ key, value: undefined });
  if (message.current.key !== key) message.current = { key, value: undefined };
  const subscribeMessage = useCallback(
    (onChange: () => void) => {
      const held = lease();
      if (held === null) return () => undefined;
      const stop = held.store.subscribeMessage((event) => {
        const select = latest.current.selectMessage ?? (data as (event: MessageEvent) => T);
        const value = select(event, message.current.value);
        if (Object.is(value, message.current.value)) return;
        message.current = { key: message.current.key, value };
        if (readsMessages.current) onChange();
      });
      return () => {
        stop();
        held.release();
      };
    },
    // As above.
    [key, lease],
  );
  const lastMessage = useSyncExternalStore(
    subscribeMessage,
    () => message.current.value,
    () => undefined,
  );

  const current = (): ResilientWebSocket | undefined => {
    const { key: now } = latest.current;
    return now === null ? undefined : findSharedSocket(now)?.socket;
  };
  const send = useCallback((data: SendData) => current()?.send(data) ?? false, []);
  const reconnect = useCallback(() => current()?.reconnect(), []);
  const close = useCallback((code?: number, reason?: string) => current()?.close(code, reason), []);

  const socket = key === null ? null : (findSharedSocket(key)?.socket ?? null);
  return {
    ...snapshot,
    socket: snapshot === pendingSnapshot ? null : socket,
    get lastMessage() {
      readsMessages.current = true;
      return lastMessage;
    },
    send,
    reconnect,
    close,
  };
}

export type { SocketSnapshot } from 'resilient-websocket';
