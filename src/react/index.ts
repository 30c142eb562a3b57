/**
 * `resilient-websocket/react`: the socket as a React hook, on
 * `useSyncExternalStore`. Components that ask for the same connection
 * share one socket; reconnect, heartbeat and policy are the core's.
 *
 * @packageDocumentation
 */

import { useCallback, useRef, useSyncExternalStore } from 'react';
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

/** Options of {@link useResilientWebSocket}: the socket's own options plus the hook's. */
export interface UseResilientWebSocketOptions<T = never> extends ResilientWebSocketOptions {
  /** The sub-protocols, as the socket's second argument. */
  readonly protocols?: string | string[];
  /** `false` holds the connection closed (no socket). @defaultValue `true` */
  readonly enabled?: boolean;
  /** Components with the same URL, protocols, options and `key` share one socket; a different `key` gets its own. */
  readonly key?: string;
  /**
   * Opts in to messages: maps each `message` event to the value returned
   * as `lastMessage`. The component re-renders only when the value changes
   * (`Object.is`), so a selector that returns the same value for messages
   * it ignores costs no render. Without it, messages cause no render.
   */
  readonly selectMessage?: (event: MessageEvent, previous: T | undefined) => T;
}

/** What {@link useResilientWebSocket} returns. */
export interface UseResilientWebSocketResult<T = never> extends SocketSnapshot {
  /** The shared socket, or `null` before the first effect, on the server, and while disabled. */
  readonly socket: ResilientWebSocket | null;
  /** The last value `selectMessage` returned, or `undefined` before any (and without `selectMessage`). */
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

const noSubscription = (): (() => void) => () => undefined;

/**
 * Connects to `url` while the component is mounted, sharing the socket
 * with every component that asks for the same connection.
 *
 * Renders happen on state changes only; messages render only through
 * `selectMessage`. Changing the URL, protocols, serializable options or
 * `key` replaces the connection; function-valued options are read when the
 * socket is created. A `null` URL or `enabled: false` holds it closed.
 *
 * @example
 * ```tsx
 * const { state, lastClose, send } = useResilientWebSocket('wss://example.com/feed', { heartbeat: true });
 * ```
 */
export function useResilientWebSocket<T = never>(
  url: string | URL | null | undefined,
  options: UseResilientWebSocketOptions<T> = {},
): UseResilientWebSocketResult<T> {
  const { protocols, enabled = true, key: userKey, selectMessage, ...socketOptions } = options;
  if (typeof enabled !== 'boolean') throw new TypeError(`Expected \`enabled\` to be a boolean, got ${String(enabled)}`);
  if (selectMessage !== undefined && typeof selectMessage !== 'function') {
    throw new TypeError(`Expected \`selectMessage\` to be a function, got ${String(selectMessage)}`);
  }
  const key = enabled && url != null ? socketKey(url, protocols, socketOptions, userKey) : null;
  const latest = useRef({ url, protocols, socketOptions, selectMessage, key });
  latest.current = { url, protocols, socketOptions, selectMessage, key };

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
      const held = latest.current.selectMessage === undefined ? null : lease();
      if (held === null) return () => undefined;
      const stop = held.store.subscribeMessage((event) => {
        const select = latest.current.selectMessage;
        if (select === undefined) return;
        const value = select(event, message.current.value);
        if (Object.is(value, message.current.value)) return;
        message.current = { key: message.current.key, value };
        onChange();
      });
      return () => {
        stop();
        held.release();
      };
    },
    // As above; turning selectMessage on or off resubscribes too.
    [key, lease, selectMessage === undefined],
  );
  const lastMessage = useSyncExternalStore(
    selectMessage === undefined ? noSubscription : subscribeMessage,
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
  return { ...snapshot, socket: snapshot === pendingSnapshot ? null : socket, lastMessage, send, reconnect, close };
}

export type { SocketSnapshot } from 'resilient-websocket';
