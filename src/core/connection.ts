/**
 * One native socket: built, listened to, measured, and let go. The class
 * that owns it decides nothing here; this only wraps the platform object.
 *
 * @module
 */

import type { SendData } from './buffer.js';
import type { WebSocketConstructor, WebSocketLike } from './options.js';
import { webSocketOrigin } from './url.js';

/**
 * What a {@link Connection} reports to its owner: one object shared by every
 * connection of a kind of owner, so that a connection costs no closures.
 */
export interface ConnectionListener<Owner> {
  /** The handshake completed. */
  open(owner: Owner, connection: Connection<Owner>): void;
  /** A message arrived. */
  message(owner: Owner, connection: Connection<Owner>, event: MessageEvent<unknown>): void;
  /** The native socket closed. */
  close(owner: Owner, connection: Connection<Owner>, code: number, reason: string, wasClean: boolean): void;
}

const noop = (): void => undefined;

/** A native socket with an attempt id and what was measured on it. */
export class Connection<Owner> {
  /** The attempt id the state machine knows this socket by. */
  declare readonly id: number;
  /** The URL it was opened with. */
  declare readonly url: string;
  /** The URL's origin, for `MessageEvent.origin`. */
  declare readonly origin: string;
  /** The platform object. */
  declare readonly native: WebSocketLike;
  /** When `open` arrived, or `null`. */
  openedAt: number | null = null;
  /** When the last message (or `open`) arrived, or `null`. */
  lastInboundAt: number | null = null;
  /** Whether an `error` event came. */
  errorFirst = false;
  /** Events the native socket fired from inside our own call into it, to be delivered after. */
  #reentrant: (() => void)[] | null = null;
  readonly #listener: ConnectionListener<Owner>;
  readonly #owner: Owner;

  /**
   * Builds the native socket and listens to it.
   *
   * @param owner - passed back to each `listener` call
   * @throws whatever the implementation's constructor throws
   */
  constructor(id: number, Impl: WebSocketConstructor, url: string, protocols: readonly string[], listener: ConnectionListener<Owner>, owner: Owner) {
    this.id = id;
    this.url = url;
    this.origin = webSocketOrigin(url);
    const native = protocols.length > 0 ? new Impl(url, [...protocols]) : new Impl(url);
    this.native = native;
    this.#listener = listener;
    this.#owner = owner;
    // The hot path stays a closure (a bound method costs ~0.7 % more instructions per message);
    // no closure per message unless inside our own close() call.
    native.onmessage = (event: MessageEvent<unknown>) => {
      if (this.#reentrant) this.#reentrant.push(() => listener.message(owner, this, event));
      else listener.message(owner, this, event);
    };
    // The rest are bound methods, not closures: a bound function is smaller than a closure.
    native.onopen = this.#onOpen.bind(this);
    native.onerror = this.#onError.bind(this);
    native.onclose = this.#onClose.bind(this);
  }

  #onOpen(): void {
    this.#deliver(() => this.#listener.open(this.#owner, this));
  }

  /**
   * The error itself is reported with the close that follows it. Where none
   * follows: undici 6 (the built-in WebSocket of Node 20 and 22) fires
   * `error` on a refused or rejected handshake, then nothing, its
   * `readyState` left at CONNECTING (nodejs/undici#3546, fixed in undici 7).
   * Every other implementation has left CONNECTING when it fires `error`, so
   * a CONNECTING socket here is that one: it ends now, as the 1006 it is.
   */
  #onError(): void {
    this.errorFirst = true;
    if (!this.native.readyState) this.#onClose({ code: 1006, reason: '', wasClean: false } as CloseEvent);
  }

  /** Deno reports a connection lost without a close frame as code 0: it is the 1006 browsers report. */
  #onClose(event: CloseEvent): void {
    const { code, reason, wasClean } = event;
    this.#deliver(() => this.#listener.close(this.#owner, this, code || 1006, reason, wasClean));
  }

  /** Sends on the native socket. */
  send(data: SendData): void {
    this.native.send(data);
  }

  /**
   * Stops listening and, if asked, closes the socket best-effort. `abandon`:
   * the peer is presumed dead, so do not wait for a closing handshake
   * (`terminate()` where the implementation has it, as the `ws` package does;
   * its `close()` would hold the socket for a 30 s close timeout).
   */
  detach(close?: { readonly code: number; readonly reason: string }, abandon = false): void {
    const native: WebSocketLike & { terminate?: unknown } = this.native;
    native.onopen = native.onmessage = native.onclose = null;
    // Keep an error listener: some implementations (the ws package) throw on an unheard error.
    native.onerror = noop;
    if (!close || native.readyState > 1) return;
    if (abandon && typeof native.terminate === 'function') {
      try {
        (native.terminate as () => void).call(native);
      } catch {
        // Already gone.
      }
    } else {
      this.close(close.code, close.reason);
    }
  }

  /**
   * Closes the native socket; a socket that refuses is already on its way
   * out. Some implementations (undici) fire `error` and `close` from inside
   * `close()` on a connecting socket; those are delivered in a microtask, so
   * no event ever fires inside the application's own `close()` call.
   */
  close(code: number | undefined, reason: string): void {
    this.#reentrant = [];
    try {
      if (code === undefined) this.native.close();
      else this.native.close(code, reason);
    } catch {
      // Nothing more to do.
    } finally {
      const pending = this.#reentrant;
      this.#reentrant = null;
      if (pending.length > 0) {
        queueMicrotask(() => {
          for (const deliver of pending) deliver();
        });
      }
    }
  }

  #deliver(deliver: () => void): void {
    if (this.#reentrant) this.#reentrant.push(deliver);
    else deliver();
  }
}
