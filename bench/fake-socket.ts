/**
 * An in-memory WebSocket for measuring the library's own cost per message:
 * `send()` keeps the data, {@link EchoFakeSocket.echo} hands it back as a
 * `message` event. Like a platform socket it is an `EventTarget` that
 * dispatches each event to its listeners and also calls its `on*` handler.
 * It runs in Node (20+) and in browsers.
 *
 * @module
 */

/** The handler attributes the library assigns. */
type Handler = ((event: never) => void) | null;

/** A WebSocket double that echoes what it was sent, on demand, with no I/O. */
export class EchoFakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  /** The socket constructed last (the one the library made). */
  static latest: EchoFakeSocket | null = null;

  readonly url: string;
  readyState = 0;
  protocol = '';
  extensions = '';
  binaryType = 'blob';
  bufferedAmount = 0;
  onopen: Handler = null;
  onmessage: Handler = null;
  onerror: Handler = null;
  onclose: Handler = null;
  #sent: unknown = undefined;

  /** @param url - kept as given; nothing connects */
  constructor(url: string) {
    super();
    this.url = url;
    EchoFakeSocket.latest = this;
  }

  /** Keeps `data` for the next {@link EchoFakeSocket.echo}. */
  send(data: unknown): void {
    this.#sent = data;
  }

  /** Closes at once, with a clean 1000 (or the code given). */
  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.#fire(Object.assign(new Event('close'), { code, reason, wasClean: true }), this.onclose);
  }

  /** The handshake completes. */
  accept(): void {
    this.readyState = 1;
    this.#fire(new Event('open'), this.onopen);
  }

  /** The last sent data comes back as a `message` event. */
  echo(): void {
    this.#fire(new MessageEvent('message', { data: this.#sent }), this.onmessage);
  }

  #fire(event: Event, handler: Handler): void {
    this.dispatchEvent(event);
    (handler as ((event: Event) => void) | null)?.(event);
  }
}
