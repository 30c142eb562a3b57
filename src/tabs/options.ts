/**
 * The options of a tab-shared socket: the socket's own, plus `tabs`.
 *
 * @module
 */

import type { ResilientWebSocketOptions } from 'resilient-websocket';
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
   * Where the tab learns that it leaves (`pagehide`, `freeze`) and comes
   * back (`pageshow` from the back/forward cache, `resume`).
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
  if (tabs !== undefined && (typeof tabs !== 'object' || tabs === null)) throw new TypeError(`Expected \`tabs\` to be an object, got ${String(tabs)}`);
  const { key = '', lifecycle = pageLifecycle } = tabs ?? {};
  if (typeof key !== 'string') throw new TypeError(`Expected \`tabs.key\` to be a string, got ${String(key)}`);
  if (typeof lifecycle?.subscribe !== 'function') throw new TypeError(`Expected \`tabs.lifecycle\` to have a subscribe method, got ${typeof lifecycle}`);
  const global = globalThis as { navigator?: { locks?: LockManagerLike }; BroadcastChannel?: BroadcastChannelConstructor };
  const locks = tabs && 'locks' in tabs ? tabs.locks : global.navigator?.locks;
  const Channel = tabs && 'BroadcastChannel' in tabs ? tabs.BroadcastChannel : global.BroadcastChannel;
  if (locks != null && typeof locks.request !== 'function') throw new TypeError(`Expected \`tabs.locks\` to be a LockManager (with request()) or null, got ${typeof locks}`);
  if (Channel != null && typeof Channel !== 'function') throw new TypeError(`Expected \`tabs.BroadcastChannel\` to be a class or null, got ${String(Channel)}`);
  return { key, shared: locks != null && Channel != null ? { locks, Channel } : null, lifecycle };
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function syntaxError(message: string): DOMException {
  return new DOMException(`Failed to construct 'WebSocket': ${message}`, 'SyntaxError');
}

/**
 * The URL as the socket's constructor resolves it (relative to the
 * document, `http(s):` as `ws(s):`), checked with the same `SyntaxError`s,
 * so that a following tab, which opens no socket, throws where the leader would.
 */
export function resolveUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url), typeof document === 'undefined' ? undefined : document.baseURI);
  } catch {
    throw syntaxError(`The URL '${String(url)}' is invalid.`);
  }
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw syntaxError(`The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${parsed.protocol.slice(0, -1)}' is not allowed.`);
  if (parsed.hash !== '' || String(url).includes('#')) throw syntaxError('Fragment identifiers are not allowed in WebSocket URLs.');
  return parsed.href;
}

/** The sub-protocols, checked as the socket's constructor checks them (HTTP tokens, no repeats). */
export function checkProtocols(protocols: string | readonly string[] | undefined): readonly string[] {
  if (protocols === undefined) return [];
  const list = typeof protocols === 'string' ? [protocols] : Array.from(protocols, String);
  const seen = new Set<string>();
  for (const protocol of list) {
    if (!token.test(protocol) || seen.has(protocol.toLowerCase())) throw syntaxError(`The subprotocol '${protocol}' is invalid or duplicated.`);
    seen.add(protocol.toLowerCase());
  }
  return list;
}
