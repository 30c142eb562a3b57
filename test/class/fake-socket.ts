/**
 * A WebSocket double the test drives by hand: nothing happens until the test
 * says so (no timers, no network), so a test can hold a handshake open
 * forever, drop a connection without a close frame, or replay an event from
 * a socket the class has already let go of.
 */

import type { WebSocketConstructor } from '../../src/index.js';

type Listener = ((event: never) => void) | null;
type HandlerName = 'open' | 'message' | 'close' | 'error';

/** A `CloseEvent` stand-in (Node 20 has no global one). */
function closeEvent(code: number, reason: string, wasClean: boolean): CloseEvent {
  return Object.assign(new Event('close'), { code, reason, wasClean });
}

export class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  readonly url: string;
  readonly protocols: string | string[] | undefined;
  readyState: 0 | 1 | 2 | 3 = 0;
  protocol = '';
  extensions = '';
  binaryType: BinaryType = 'blob';
  bufferedAmount = 0;
  /** What the class sent, in order. */
  readonly sent: unknown[] = [];
  /** Every `close()` call the class made, in order. */
  readonly closeCalls: { code: number | undefined; reason: string | undefined }[] = [];
  /** Every handler the class ever assigned, even ones it later replaced with `null`. */
  readonly assigned: Record<HandlerName, ((event: never) => void)[]> = { open: [], message: [], close: [], error: [] };
  #handlers: Record<HandlerName, Listener> = { open: null, message: null, close: null, error: null };
  #closeRequestedWhile: number | null = null;

  constructor(url: string, protocols?: string | string[]) {
    this.url = url;
    this.protocols = protocols;
  }

  get onopen(): Listener { return this.#handlers.open; }
  set onopen(handler: Listener) { this.#assign('open', handler); }
  get onmessage(): Listener { return this.#handlers.message; }
  set onmessage(handler: Listener) { this.#assign('message', handler); }
  get onclose(): Listener { return this.#handlers.close; }
  set onclose(handler: Listener) { this.#assign('close', handler); }
  get onerror(): Listener { return this.#handlers.error; }
  set onerror(handler: Listener) { this.#assign('error', handler); }

  // ---- what the class calls ----

  send(data: unknown): void {
    if (this.readyState === 0) throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
    if (this.readyState === 1) this.sent.push(data);
  }

  /** Records the call; the close event comes only when the test calls {@link FakeSocket.finishClose}. */
  close(code?: number, reason?: string): void {
    this.closeCalls.push({ code, reason });
    if (this.readyState <= 1) {
      this.#closeRequestedWhile = this.readyState;
      this.readyState = 2;
    }
  }

  // ---- what the test (the "server" and the "network") calls ----

  /** The handshake succeeds. */
  accept(protocol = '', extensions = ''): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.extensions = extensions;
    this.#fire('open', new Event('open'));
  }

  /** The server sends `data`. */
  message(data: unknown): void {
    this.#fire('message', new MessageEvent('message', { data }));
  }

  /** The handshake fails (refused, DNS, TLS, 401...): a browser reports error, then close 1006. */
  refuse(): void {
    this.readyState = 3;
    this.#fire('error', new Event('error'));
    this.#fire('close', closeEvent(1006, '', false));
  }

  /** The connection vanishes without a close frame. */
  drop(): void {
    this.readyState = 3;
    this.#fire('close', closeEvent(1006, '', false));
  }

  /** The server's close frame arrived: the socket is CLOSING until the connection ends ({@link FakeSocket.serverClose}). */
  startClosing(): void {
    this.readyState = 2;
  }

  /** The server closes with a close frame. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.#fire('close', closeEvent(code, reason, true));
  }

  /** Completes a close the class asked for, as a browser reports it. */
  finishClose(): void {
    const call = this.closeCalls[0];
    if (call === undefined) throw new Error('finishClose(): the class never called close()');
    this.readyState = 3;
    if (this.#closeRequestedWhile === 0) {
      // Closing a socket that was still connecting fails the connection.
      this.#fire('error', new Event('error'));
      this.#fire('close', closeEvent(1006, '', false));
    } else {
      this.#fire('close', closeEvent(call.code ?? 1005, call.reason ?? '', true));
    }
  }

  #assign(name: HandlerName, handler: Listener): void {
    this.#handlers[name] = handler;
    if (handler) this.assigned[name].push(handler);
  }

  #fire(name: HandlerName, event: Event): void {
    (this.#handlers[name] as ((event: Event) => void) | null)?.(event);
  }
}

/** A fresh FakeSocket class per test, with the sockets it made. */
export interface FakeSockets {
  /** Pass this as the `WebSocket` option. */
  readonly Impl: WebSocketConstructor;
  /** Every socket constructed, in order. */
  readonly instances: FakeSocket[];
  /** The most recent socket. */
  latest(): FakeSocket;
}

/** @param onConstruct - called with each new socket (for instance to refuse every attempt) */
export function fakeSockets(onConstruct?: (socket: FakeSocket) => void): FakeSockets {
  const instances: FakeSocket[] = [];
  class TrackedFakeSocket extends FakeSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      instances.push(this);
      onConstruct?.(this);
    }
  }
  return {
    Impl: TrackedFakeSocket,
    instances,
    latest() {
      const socket = instances.at(-1);
      if (socket === undefined) throw new Error('no FakeSocket was constructed');
      return socket;
    },
  };
}
