/**
 * `resilient-websocket/tabs`: one connection per browser, not per tab. Each
 * tab gets a socket with the surface of `ResilientWebSocket`; one real
 * socket, in the tab that holds the group's Web Lock, carries them all, and
 * the tabs talk over a BroadcastChannel. Opt-in: the core never imports it.
 *
 * @packageDocumentation
 */

import { leaseSocket, socketKey, type ResilientWebSocket } from 'resilient-websocket';
import { TabSharedWebSocket } from './tab-socket.js';
import type { TabSharedWebSocketOptions } from './options.js';

export { TabSharedWebSocket, type TabMode, type TabSharedWebSocketEventMap } from './tab-socket.js';
export type { TabOptions, TabSharedWebSocketOptions, BroadcastChannelConstructor, BroadcastChannelLike } from './options.js';
export type { LockManagerLike } from './election.js';
export type { PageLifecycle, PresenceSignal } from './lifecycle.js';

/** Options of {@link shareAcrossTabs}: what the framework wrappers take, so the same object can go to both. */
export interface ShareAcrossTabsOptions extends TabSharedWebSocketOptions {
  /** The sub-protocols, as the wrappers take them. */
  readonly protocols?: string | string[];
  /** The wrappers' `key`: connections with another key do not share (and it names the group of tabs, unless `tabs.key` does). */
  readonly key?: string;
  // The wrappers' own options, ignored here so that the same object can be passed to both.
  /** Ignored (a wrapper option). */
  readonly enabled?: boolean;
  /** Ignored (a wrapper option). */
  readonly immediate?: boolean;
  /** Ignored (a wrapper option). */
  readonly autoConnect?: boolean;
  /** Ignored (a wrapper option). */
  readonly selectMessage?: unknown;
}

/** What {@link shareAcrossTabs} returns. */
export interface TabLease {
  /** The tab-shared socket the wrappers now use for this URL and these options. */
  readonly socket: TabSharedWebSocket;
  /** Gives the hold back: the socket is disposed once no component holds it either. Calling it twice is harmless. */
  release(): void;
}

/**
 * Makes the framework wrappers (`resilient-websocket/react`, `/vue`,
 * `/svelte`) share one connection across tabs for `url` and `options`:
 * components that ask for the same URL with the same options (and `key`)
 * get this tab's {@link TabSharedWebSocket} instead of a socket of their
 * own. Call it before the first component connects (at module level).
 *
 * @throws Error when a component of this tab already holds a socket of its own for this URL and options
 *
 * @example
 * ```tsx
 * const options = { heartbeat: true };
 * shareAcrossTabs(url, options);
 * function Feed() {
 *   const { state, send } = useResilientWebSocket(url, options); // one connection for every tab
 * }
 * ```
 */
export function shareAcrossTabs(url: string | URL, options: ShareAcrossTabsOptions = {}): TabLease {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the wrapper options are left out, as the wrappers leave them out of their key
  const { protocols, key, enabled, immediate, autoConnect, selectMessage, ...socketOptions } = options;
  const tabs = { ...socketOptions.tabs, key: socketOptions.tabs?.key ?? key ?? '' };
  // The wrappers hold sockets by the key they compute from the same URL and options; the store and the
  // wrappers use only the surface both classes have.
  const lease = leaseSocket(socketKey(url, protocols, socketOptions, key), () => new TabSharedWebSocket(url, protocols, { ...socketOptions, tabs }) as unknown as ResilientWebSocket);
  const socket: unknown = lease.store.socket;
  if (!(socket instanceof TabSharedWebSocket)) {
    lease.release();
    throw new Error('shareAcrossTabs(): a component of this tab already connected to this URL with these options on a socket of its own; call shareAcrossTabs() before the first component connects');
  }
  return { socket, release: () => lease.release() };
}
