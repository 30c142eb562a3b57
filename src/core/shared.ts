/**
 * Sharing one socket between the views that ask for the same connection:
 * leases counted by key; the last release closes the socket after a grace
 * tick, so a view that unmounts and mounts again in the same tick (React
 * StrictMode, a keyed re-render) keeps the connection.
 *
 * This is what the framework wrappers share; it is exported for wrappers of
 * other frameworks. Built on the socket's public surface only.
 *
 * @module
 */

import type { ResilientWebSocket } from './resilient-websocket.js';
import { createSocketStore, type SocketStore } from './store.js';

/** A hold on a shared socket; the socket lives while any lease is held. */
export interface SocketLease {
  /** The store of the shared socket. */
  readonly store: SocketStore;
  /** Gives the lease back; calling it twice is harmless. */
  release(): void;
}

interface Entry {
  readonly store: SocketStore;
  leases: number;
  /** The pending close after the last release, if any. */
  closing: ReturnType<typeof setTimeout> | undefined;
}

const entries = /* @__PURE__ */ new Map<string, Entry>();

/**
 * Leases the socket shared under `key`, creating it with `create` if none
 * is held. When the last lease is released, the socket is disposed one
 * timer tick later unless a new lease comes first.
 *
 * @example
 * ```ts
 * const lease = leaseSocket(socketKey(url), () => new ResilientWebSocket(url));
 * const stop = lease.store.subscribe(update);
 * // later
 * stop();
 * lease.release();
 * ```
 */
export function leaseSocket(key: string, create: () => ResilientWebSocket): SocketLease {
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = { store: createSocketStore(create()), leases: 0, closing: undefined };
    entries.set(key, entry);
  }
  const held = entry;
  clearTimeout(held.closing);
  held.closing = undefined;
  held.leases += 1;
  let released = false;
  return {
    store: held.store,
    release() {
      if (released) return;
      released = true;
      held.leases -= 1;
      if (held.leases > 0) return;
      held.closing = setTimeout(() => {
        entries.delete(key);
        held.store.socket.dispose();
      }, 0);
    },
  };
}

/** The store of the socket shared under `key`, if one is held (or in its grace tick). */
export function findSharedSocket(key: string): SocketStore | undefined {
  return entries.get(key)?.store;
}

/**
 * The sharing key of a connection: the URL, the protocols and the
 * JSON-serializable options, plus `key` to tell apart connections that
 * should not share. Function-valued options (a URL provider, `policy`,
 * `isPong`, the `WebSocket` class) are not part of it: they are taken from
 * the caller that creates the socket.
 */
export function socketKey(url: string | URL, protocols?: string | readonly string[], options?: object, key?: string): string {
  let serialized: string;
  try {
    serialized = JSON.stringify(options ?? {}, (_name, value: unknown) => (typeof value === 'function' ? undefined : value));
  } catch {
    // A circular options object: compare it by identity.
    serialized = `#${objectId(options ?? {})}`;
  }
  return JSON.stringify([String(url), protocols ?? [], serialized, key ?? '']);
}

const ids = /* @__PURE__ */ new WeakMap<object, number>();
let nextId = 0;

function objectId(value: object): number {
  let id = ids.get(value);
  if (id === undefined) ids.set(value, (id = ++nextId));
  return id;
}
