/**
 * The options of a tab-shared socket: the socket's own, plus `tabs`.
 *
 * @module
 */

import type { ResilientWebSocketOptions } from 'resilient-websocket';
import { optionTypeError } from '../core/errors.js';
import { isDevelopment } from '../core/mode.js';
import type { LockManagerLike } from './election.js';
import type { OutboxLimits } from './ledger.js';
import { pageLifecycle, type PageLifecycle } from './lifecycle.js';

/** The part of a `BroadcastChannel` the tabs use. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** A `BroadcastChannel` class: the platform's, or a test double. */
export type BroadcastChannelConstructor = new (name: string) => BroadcastChannelLike;

/** How the tabs find each other. */
export interface TabOptions {
  /**
   * Tells apart connections to the same URL that must not share one socket;
   * needed when the URL is a function (a token provider), as the group is
   * named by the URL otherwise.
   * @defaultValue `''`
   */
  readonly key?: string;
  /**
   * The lock manager that elects the leader. `null` gives every tab a
   * socket of its own (`mode: 'own'`).
   * @defaultValue `navigator.locks`, or `null` where there is none
   */
  readonly locks?: LockManagerLike | null;
  /**
   * The channel class the tabs talk over. `null` gives every tab a socket
   * of its own (`mode: 'own'`).
   * @defaultValue `globalThis.BroadcastChannel`, or `null` where there is none
   */
  readonly BroadcastChannel?: BroadcastChannelConstructor | null;
  /**
   * Where the tab learns that it leaves (`pagehide`, `freeze`), comes
   * back (`pageshow` from the back/forward cache, `resume`), and may be
   * about to leave (`beforeunload`: a going-away close that follows within
   * a second hands the lead over at once).
   * @defaultValue the page's own events
   */
  readonly lifecycle?: PageLifecycle;
}

/** Options of {@link TabSharedWebSocket}: every option of `ResilientWebSocket`, used by whichever tab leads, plus `tabs`. */
export interface TabSharedWebSocketOptions extends ResilientWebSocketOptions {
  /** How the tabs find each other; see {@link TabOptions}. */
  readonly tabs?: TabOptions;
}

/** The `tabs` option with its defaults filled in. */
export interface NormalizedTabOptions {
  readonly key: string;
  /** `null` when the tab runs a socket of its own. */
  readonly shared: { readonly locks: LockManagerLike; readonly Channel: BroadcastChannelConstructor } | null;
  readonly lifecycle: PageLifecycle;
}

/** The defaults of the `buffer` option, as the socket has them. */
const defaultLimits: OutboxLimits = { maxMessages: 1_000, maxBytes: 1_048_576, overflow: 'drop-oldest' };

/** The outbox bounds for the `buffer` option (already checked by the socket's own validation); `false` is unbounded. */
export function outboxLimits(buffer: ResilientWebSocketOptions['buffer']): OutboxLimits {
  if (buffer === false) return { maxMessages: Infinity, maxBytes: Infinity, overflow: 'drop-oldest' };
  return buffer === true || buffer === undefined ? defaultLimits : { ...defaultLimits, ...buffer };
}

/**
 * Fills in the `tabs` option.
 *
 * @throws TypeError naming the option, for a value of the wrong type
 */
export function normalizeTabOptions(tabs: TabOptions | undefined): NormalizedTabOptions {
  if (tabs !== undefined && (typeof tabs !== 'object' || tabs === null)) throw optionTypeError('tabs', isDevelopment && 'an object', tabs);
  const { key = '', lifecycle = pageLifecycle } = tabs ?? {};
  if (typeof key !== 'string') throw optionTypeError('tabs.key', isDevelopment && 'a string', key);
  if (typeof lifecycle?.subscribe !== 'function') throw optionTypeError('tabs.lifecycle', isDevelopment && 'an object with a subscribe method', lifecycle);
  const global = globalThis as { navigator?: { locks?: LockManagerLike }; BroadcastChannel?: BroadcastChannelConstructor };
  const locks = tabs && 'locks' in tabs ? tabs.locks : global.navigator?.locks;
  const Channel = tabs && 'BroadcastChannel' in tabs ? tabs.BroadcastChannel : global.BroadcastChannel;
  if (locks != null && typeof locks.request !== 'function') throw optionTypeError('tabs.locks', isDevelopment && 'a LockManager (with request()) or null', locks);
  if (Channel != null && typeof Channel !== 'function') throw optionTypeError('tabs.BroadcastChannel', isDevelopment && 'a class or null', Channel);
  return { key, shared: locks != null && Channel != null ? { locks, Channel } : null, lifecycle };
}

/**
 * The URL and sub-protocols checked as the socket's constructor checks them
 * (the core's own parsers: the same `SyntaxError`s, the URL quoted without
 * its secrets), so that a following tab, which opens no socket, throws where
 * the leader would.
 */
export { parseWebSocketUrl as resolveUrl, parseProtocols as checkProtocols } from '../core/url.js';
