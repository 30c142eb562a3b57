/**
 * The WebSocket surface. This class holds no decisions: it asks the state
 * machine what to do and carries out the effects (sockets, timers, events).
 *
 * @module
 */

import { SendBuffer, utf8Length, type SendData } from './buffer.js';
import { Timer, type Clock } from './clock.js';
import { describe, ResilientWebSocketError } from './errors.js';
import { DiagnosisEvent, DropEvent, GiveUpEvent, messageEvent, ReconnectingEvent, ResilientCloseEvent, StateChangeEvent, type ResilientWebSocketEventMap } from './events.js';
import { logClose } from './close-log.js';
import type { Diagnosis, SignalRecord } from '../diagnosis/types.js';
import { Connection, type ConnectionListener } from './connection.js';
import { defineEventHandlers, type EventHandler } from './event-handlers.js';
import type { EnvironmentSignal } from './environment.js';
import { HeartbeatMonitor, type HeartbeatActions } from './heartbeat.js';
import { normalizeOptions, type NormalizedOptions, type Provider, type ResilientWebSocketOptions, type WebSocketConstructor } from './options.js';
import { redactUrls, type CloseReport } from './report.js';
import { initialMachine, readyStateOf, transition, userEnded, type Effect, type EndedSocket, type Machine, type MachineEvent, type Status } from './state-machine.js';
import { isDevelopment } from './mode.js';
import { parseProtocols, parseWebSocketUrl } from './url.js';

/**
 * The platform's `EventTarget`, which the class extends. Where there is
 * none (an embedded engine), a base that throws when constructed: importing
 * never throws, constructing says what is missing.
 */
const EventTargetBase: typeof EventTarget =
  typeof EventTarget === 'function'
    ? EventTarget
    : ((isDevelopment
        ? function missingEventTarget() {
            throw new ResilientWebSocketError(
              'ERR_NO_EVENT_TARGET',
              'No EventTarget: this runtime has no global EventTarget (nor Event), which ResilientWebSocket extends. Install both on globalThis (e.g. from the event-target-shim package) before importing resilient-websocket.',
            );
          }
        : Object) as unknown as typeof EventTarget);

/** The platform's WebSocket, captured before anyone can replace the global with this class. */
const PlatformWebSocket: WebSocketConstructor | undefined =
  typeof WebSocket === 'function' ? WebSocket : undefined;

type Handler<E extends Event> = EventHandler<ResilientWebSocket, E>;

/**
 * What an `on*` attribute reads back. Looser than what it accepts, so that
 * the class is assignable where `typeof WebSocket` is expected.
 */
type HandlerValue = ((this: unknown, event: Event) => unknown) | null;

// The DOM library's types, spelled out so that the declarations also compile without it (Node-only projects).
/** How binary messages are exposed: the native `BinaryType`. */
type BinaryType = 'blob' | 'arraybuffer';
/** A listener function or object, as the DOM's `EventListenerOrEventListenerObject`. */
type Listener = ((event: Event) => unknown) | { handleEvent(event: Event): unknown };
/** The DOM's `EventListenerOptions`. */
interface ListenerOptions {
  readonly capture?: boolean;
}
/** The DOM's `AddEventListenerOptions`. */
interface AddListenerOptions extends ListenerOptions {
  readonly once?: boolean;
  readonly passive?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * A drop-in replacement for `WebSocket` that stays connected.
 *
 * It has the native socket's whole surface and semantics, and adds: truthful
 * close events with a {@link CloseReport}, reconnects with backoff and
 * jitter, a per-close-code policy, an optional heartbeat, a send buffer and
 * reactions to the network and page lifecycle.
 *
 * @example
 * ```ts
 * import { ResilientWebSocket, explainClose } from 'resilient-websocket';
 *
 * const ws = new ResilientWebSocket('wss://example.com/live', [], { heartbeat: true });
 * ws.addEventListener('message', (event) => console.log(event.data));
 * // explainClose: the sentence in either build (`report.explanation` is empty in production)
 * ws.addEventListener('close', (event) => console.warn(event.code, explainClose(event.report)));
 * ws.send('hello'); // queued until the socket opens
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- typed listener overloads, as lib.dom types WebSocket
export class ResilientWebSocket extends EventTargetBase {
  // The constants are read-only properties of the class and its prototype, as WebIDL defines them (see defineConstants).
  /** The connection is being established (or a retry is waiting). */
  declare static readonly CONNECTING: 0;
  /** The connection is open. */
  declare static readonly OPEN: 1;
  /** `close()` was called; the `close` event is pending. */
  declare static readonly CLOSING: 2;
  /** The connection is closed and will not reopen by itself. */
  declare static readonly CLOSED: 3;
  /** @see {@link ResilientWebSocket.CONNECTING} */
  declare readonly CONNECTING: 0;
  /** @see {@link ResilientWebSocket.OPEN} */
  declare readonly OPEN: 1;
  /** @see {@link ResilientWebSocket.CLOSING} */
  declare readonly CLOSING: 2;
  /** @see {@link ResilientWebSocket.CLOSED} */
  declare readonly CLOSED: 3;
  // Annotated pure, so a bundler drops the class when an application imports only the helpers.
  // eslint-disable-next-line no-unused-private-class-members -- run for its effect on the class, held for nothing
  static readonly #constants = /* @__PURE__ */ defineInterface(this);

  /**
   * A subclass with `options` bound, constructible as `new X(url,
   * protocols)`: for libraries that take a WebSocket class (graphql-ws's
   * `webSocketImpl`, Phoenix's `transport`). Options given to the
   * constructor are merged over the bound ones.
   *
   * @example
   * ```ts
   * createClient({ url, webSocketImpl: ResilientWebSocket.with({ reconnect: false, heartbeat: true }) });
   * ```
   */
  static with(options: ResilientWebSocketOptions): typeof ResilientWebSocket {
    normalizeOptions(options);
    const Bound = class BoundResilientWebSocket extends this {
      constructor(...args: ConstructorParameters<typeof ResilientWebSocket>) {
        if ((args as unknown[]).length === 0) throw new TypeError(missingArgument('construct'));
        const [url, protocols, more] = args;
        // Only an options object merges over the bound ones; anything else is what the base constructor would make of it.
        super(url, protocols, isPlainObject(more) ? { ...options, ...more } : Array.isArray(more) ? more : options);
      }
    };
    // A library handed this class sees the constants where the native class has them.
    return defineConstants(Bound);
  }

  // An idle open socket holds only what it needs: the queue, the history, the outbox, the wait timer and
  // the `on*` table (event-handlers.ts) are made on first use, and the native socket's listeners are shared (see #listener).
  readonly #options: NormalizedOptions;
  readonly #clock: Clock;
  readonly #Impl: WebSocketConstructor;
  readonly #urlSource: string | (() => string | URL | Promise<string | URL>);
  readonly #protocolsSource: readonly string[] | (() => string | string[] | undefined | Promise<string | string[] | undefined>);
  /** The send queue, made on the first `send()` that queues (never with `buffer: false`). */
  #buffer: SendBuffer | null = null;
  #waitTimer: Timer | null = null;
  readonly #connectTimer: Timer;
  readonly #heartbeat: HeartbeatMonitor<ResilientWebSocket> | null;
  #history: CloseReport[] | null = null;
  #machine: Machine;
  /** Events waiting to be dispatched, in order; see #drain. */
  #outbox: (() => unknown)[] | null = null;
  #draining = false;
  #socket: Connection<ResilientWebSocket> | null = null;
  #unsubscribe: (() => void) | null = null;
  #url = '';
  #protocol = '';
  #extensions = '';
  #binaryType: BinaryType | undefined;
  // Diagnosis and close logging, opt-in (options `diagnose`, `logger`, `debug`): see #observe.
  /** Recent environment signals, for the diagnosis; kept only with the `diagnose` option. */
  #signals: SignalRecord[] | null = null;
  #diagnosis: Diagnosis | null = null;

  /**
   * Starts connecting at once, like the native constructor.
   *
   * @param url - the URL, or a function (possibly async) called before every attempt (token refresh)
   * @param protocols - sub-protocols, or a function called before every attempt
   * @param options - see {@link ResilientWebSocketOptions}
   * @throws DOMException `SyntaxError` for an invalid URL or sub-protocol list, like the native constructor
   * @throws TypeError or RangeError for an invalid option
   */
  constructor(url: Provider<string | URL>, protocols?: Provider<string | string[] | undefined>, options?: ResilientWebSocketOptions) {
    super();
    if (arguments.length === 0) throw new TypeError(missingArgument('construct'));
    this.#options = normalizeOptions(options);
    const Impl = this.#options.WebSocket ?? PlatformWebSocket;
    if (Impl === undefined) {
      throw new ResilientWebSocketError(
        'ERR_NO_WEBSOCKET_IMPLEMENTATION',
        isDevelopment
          ? 'No WebSocket implementation: this runtime has no global WebSocket. Pass one as the `WebSocket` option (e.g. `{ WebSocket: (await import("ws")).WebSocket }`, the ws package\'s class), or run where globalThis.WebSocket exists (browsers, workers, Deno, Bun, Node 22+).'
          : 'No WebSocket: pass the `WebSocket` option',
      );
    }
    this.#Impl = Impl;
    this.#urlSource = typeof url === 'function' ? url : parseWebSocketUrl(url);
    if (typeof this.#urlSource === 'string') this.#url = this.#urlSource;
    this.#protocolsSource = typeof protocols === 'function' ? protocols : parseProtocols(protocols);
    this.#clock = this.#options.clock;
    this.#connectTimer = new Timer(this.#clock);
    this.#heartbeat = this.#options.heartbeat ? new HeartbeatMonitor(this.#options.heartbeat, this.#clock, ResilientWebSocket.#heartbeatActions, this) : null;
    this.#machine = initialMachine(this.#clock.now());
    this.#dispatch({ type: 'connect' });
  }

  /** The URL of the current (or last) attempt, as resolved. Empty until a provider has answered. */
  get url(): string {
    return this.#url;
  }

  /** The sub-protocol the server selected on the last connection. */
  get protocol(): string {
    return this.#protocol;
  }

  /** The extensions the server selected on the last connection. */
  get extensions(): string {
    return this.#extensions;
  }

  /** How binary messages are exposed; kept across reconnects. Until set, the implementation's own default. */
  get binaryType(): BinaryType {
    return this.#binaryType ?? (this.#socket?.native.binaryType as BinaryType | undefined) ?? 'blob';
  }

  set binaryType(value: BinaryType) {
    if (value !== 'blob' && value !== 'arraybuffer') return;
    this.#binaryType = value;
    if (this.#socket) this.#socket.native.binaryType = value;
  }

  /** Bytes not yet on the wire: the native socket's plus the queued messages' (UTF-8). */
  get bufferedAmount(): number {
    return (this.#socket?.native.bufferedAmount ?? 0) + (this.#buffer?.bytes ?? 0);
  }

  /** The native ready state, derived from {@link ResilientWebSocket.state}: waiting reads as CONNECTING. */
  get readyState(): 0 | 1 | 2 | 3 {
    return readyStateOf(this.#machine.state);
  }

  /** The detailed status: `connecting`, `open`, `waiting` (for a retry), `closing` or `closed`. */
  get state(): Status {
    return this.#machine.state.status;
  }

  /** Retries counted since the connection was last stable, the one scheduled next included (it reads 1 while the first retry waits). */
  get attempt(): number {
    return this.#machine.retry.attempt;
  }

  /** The report of the most recent close, or `null`. */
  get lastClose(): CloseReport | null {
    return this.#history?.[this.#history.length - 1] ?? null;
  }

  /** Recent close reports, oldest first (at most `historySize`). */
  get history(): readonly CloseReport[] {
    return this.#history ? [...this.#history] : [];
  }

  /**
   * The diagnosis of the recent closes: `null` without the `diagnose`
   * option, or before the first open or close. Updated after every close
   * and when a connection opens; a `diagnosis` event fires when its causes
   * or confidences change (not for a first diagnosis that finds nothing).
   */
  get diagnosis(): Diagnosis | null {
    return this.#diagnosis;
  }

  /**
   * Sends `data` now if the socket is open; otherwise queues it for the
   * next open (or, with `buffer: false`, throws `InvalidStateError` like the
   * native socket). Once the server has started closing (the native socket
   * reads CLOSING before the `close` event), data is queued too, not lost;
   * with `buffer: false` it goes to the native socket, which discards it.
   *
   * @returns `true` when the data was handed to an open socket, `false` when queued
   * @throws DOMException `InvalidStateError` when not open and `buffer` is `false`
   * @throws ResilientWebSocketError `ERR_BUFFER_OVERFLOW` when the buffer is full and its overflow policy is `throw`
   */
  send(data: SendData): boolean {
    if (arguments.length === 0) throw new TypeError(missingArgument('send'));
    const socket = this.#socket;
    const limits = this.#options.buffer;
    if (socket !== null && this.#machine.state.status === 'open' && (socket.native.readyState === 1 || limits === false)) {
      socket.native.send(data);
      return true;
    }
    if (limits === false) {
      throw new DOMException(isDevelopment ? `Failed to execute 'send' on 'WebSocket': the socket is ${this.state}, not open.` : `send: ${this.state}`, 'InvalidStateError');
    }
    this.#buffer ??= new SendBuffer(limits);
    const { queued, dropped } = this.#buffer.push(data);
    for (const message of dropped) this.dispatchEvent(new DropEvent(message, 'overflow'));
    if (!queued && dropped.length === 0) {
      throw new ResilientWebSocketError(
        'ERR_BUFFER_OVERFLOW',
        isDevelopment ? `The send buffer is full (${this.#buffer.length} messages, ${this.#buffer.bytes} bytes) and buffer.overflow is 'throw'.` : 'Send buffer full',
      );
    }
    return false;
  }

  /**
   * Closes for good: no reconnect follows until {@link ResilientWebSocket.reconnect}.
   * The state reads CLOSING at once and the `close` event fires later.
   *
   * @param code - 1000 or 3000-4999
   * @param reason - at most 123 UTF-8 bytes
   * @throws DOMException `InvalidAccessError` for another code, `SyntaxError` for a longer reason
   */
  close(code?: number, reason?: string): void {
    let checkedCode: number | undefined;
    if (code !== undefined) {
      checkedCode = clampUnsignedShort(code);
      if (checkedCode !== 1000 && (checkedCode < 3000 || checkedCode > 4999)) {
        throw new DOMException(
          isDevelopment ? `Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${checkedCode} is neither.` : `Invalid close code ${checkedCode}`,
          'InvalidAccessError',
        );
      }
    }
    const text = reason === undefined ? '' : String(reason);
    if (utf8Length(text) > 123) {
      throw new DOMException(isDevelopment ? "Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes." : 'Invalid close reason', 'SyntaxError');
    }
    this.#dispatch({ type: 'close', code: checkedCode, reason: text });
  }

  /**
   * Connects now: after `close()`, after `giveup`, or during a wait (skipping
   * it). On an open socket it closes the connection and opens a new one.
   */
  reconnect(): void {
    this.#dispatch({ type: 'connect', ...this.#live() });
  }

  /**
   * Tears everything down at once: closes the socket without waiting,
   * cancels every timer, removes every listener the socket installed, and
   * fires `drop` for each queued message. Apart from the `statechange` to
   * `closed` and those `drop` events, no event fires (no `close`).
   */
  dispose(): void {
    this.#dispatch({ type: 'dispose' });
    for (const message of this.#buffer?.clear() ?? []) this.dispatchEvent(new DropEvent(message, 'disposed'));
  }

  /** Same as {@link ResilientWebSocket.dispose}, for `using` (defined with the constants, see defineConstants). */
  declare [Symbol.dispose]: () => void;

  // ---- the interpreter ----------------------------------------------------

  #dispatch(event: MachineEvent): void {
    const before = this.#machine;
    const clock = this.#clock;
    const environment = this.#options.environment;
    const { machine, effects, cause } = transition(before, event, {
      options: this.#options,
      now: clock.now(),
      random: () => clock.random(),
      online: environment.isOnline(),
      visible: environment.isVisible(),
      origin: environment.origin?.(),
    });
    if (machine === before) return;
    this.#machine = machine;
    if (before.state.status !== machine.state.status) {
      const change = new StateChangeEvent(before.state.status, machine.state.status, cause);
      this.#post(() => this.dispatchEvent(change));
    }
    for (const effect of effects) {
      // Events always go out; other effects of a transition that something already superseded do not run.
      if (this.#machine === machine || effect.type.startsWith('emit-')) this.#run(effect, machine);
    }
    this.#drain();
  }

  /**
   * Delivers queued events in order. Listeners run only here, after the
   * transition that caused their event has carried out all its effects, so
   * a listener that calls `close()` or `reconnect()` finds the socket in a
   * consistent state, and the events of its call follow the ones already queued.
   */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let deliver = this.#outbox?.shift(); deliver; deliver = this.#outbox?.shift()) deliver();
    } finally {
      this.#draining = false;
      if (this.#outbox?.length === 0) this.#outbox = null;
    }
  }

  /** Queues an event delivery for #drain. */
  #post(deliver: () => unknown): void {
    (this.#outbox ??= []).push(deliver);
  }

  #run(effect: Effect, machine: Machine): void {
    switch (effect.type) {
      case 'open-socket':
        this.#open(effect.socket);
        return;
      case 'close-socket':
        if (this.#socket?.id === effect.socket) this.#socket.close(effect.code, effect.reason);
        else this.#defer({ type: 'ended', socket: effect.socket, ended: userEnded(effect.code, effect.reason) });
        return;
      case 'detach-socket':
        this.#detach(effect);
        return;
      case 'start-wait':
        (this.#waitTimer ??= new Timer(this.#clock)).start(effect.delayMs, () => this.#dispatch({ type: 'wait-elapsed' }));
        return;
      case 'cancel-wait':
        this.#waitTimer?.stop();
        return;
      case 'heartbeat':
        // The actions are the monitor's methods, by name.
        this.#heartbeat?.[effect.action]();
        return;
      case 'environment':
        this.#listen(effect.listen);
        return;
      case 'flush':
        this.#flush();
        return;
      case 'defer':
        this.#defer(effect.event);
        return;
      case 'emit-open':
        this.#post(() => this.dispatchEvent(new Event('open')));
        this.#observe(null);
        return;
      case 'emit-error':
        this.#post(() => this.dispatchEvent(new Event('error')));
        return;
      case 'emit-close': {
        const history = (this.#history ??= []);
        history.push(effect.report);
        if (history.length > this.#options.historySize) history.shift();
        const { report, thenDispatch } = effect;
        this.#post(() => {
          const event = new ResilientCloseEvent(report);
          this.dispatchEvent(event);
          // What follows a drop waits for the close listeners: preventDefault() may cancel it.
          if (thenDispatch && this.#machine === machine) this.#dispatch({ type: 'close-dispatched', prevented: event.defaultPrevented });
        });
        this.#observe(report);
        return;
      }
      case 'emit-reconnecting': {
        const event = new ReconnectingEvent(effect.attempt, effect.delayMs, effect.report);
        // A retry that a listener already cancelled is not announced.
        this.#post(() => this.#machine === machine && this.dispatchEvent(event));
        return;
      }
      case 'emit-giveup': {
        const event = new GiveUpEvent(effect.reason, effect.report);
        this.#post(() => this.dispatchEvent(event));
        return;
      }
    }
  }

  /** Subscribes to the environment's signals, or ends the subscription. Apart from #run, whose context holds a machine. */
  #listen(on: boolean): void {
    this.#unsubscribe?.();
    // A bound method rather than a closure: smaller, and it holds only `this`.
    this.#unsubscribe = on ? this.#options.environment.subscribe(this.#signal.bind(this)) : null;
  }

  #signal(signal: EnvironmentSignal): void {
    // Kept for the diagnosis only when it is asked for (the `diagnose` option), and bounded.
    if (this.#options.diagnose && (this.#signals ??= []).push({ signal, at: this.#clock.now() }) > 20) this.#signals.shift();
    this.#dispatch({ type: 'signal', signal, ...this.#live() });
  }

  /**
   * After a close (or an open, `report` null): diagnoses the history again
   * with the `diagnose` option, logs the close with `logger` or `debug`,
   * and announces a diagnosis whose causes or confidences changed. Without
   * those options it does nothing, and the diagnosis is never bundled. A
   * logger or diagnose function that throws is reported like a listener
   * that throws (asynchronously), and the socket carries on.
   */
  #observe(report: CloseReport | null): void {
    const { diagnose, logger = this.#options.debug ? console : undefined } = this.#options;
    try {
      const before = this.#diagnosis;
      if (diagnose) this.#diagnosis = diagnose(this.#history ?? [], { heartbeat: this.#options.heartbeat, signals: this.#signals ?? [], connected: report === null });
      const changed = (this.#diagnosis?.signature ?? '') !== (before?.signature ?? '') ? this.#diagnosis : null;
      if (changed) this.#post(() => this.dispatchEvent(new DiagnosisEvent(changed)));
      if (logger && report) logClose(logger, report, changed);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  #defer(event: MachineEvent): void {
    queueMicrotask(() => this.#dispatch(event));
  }

  #open(id: number): void {
    const url = this.#urlSource;
    const protocols = this.#protocolsSource;
    const stillWanted = (): boolean => this.#machine.state.status === 'connecting' && this.#machine.state.socket === id;
    // The timeout covers the whole attempt, providers included: a token fetch that never settles must not hang the socket.
    const timeoutMs = this.#options.connectTimeoutMs;
    if (timeoutMs !== false) {
      this.#connectTimer.start(timeoutMs, () => {
        if (this.#socket?.id === id) this.#end(this.#socket, 1006, 'connect timeout', false, 'connect-timeout');
        else if (stillWanted()) this.#endAttempt(id, 'connect timeout', 'connect-timeout');
      });
    }
    if (typeof url !== 'function' && typeof protocols !== 'function') {
      this.#construct(id, url, protocols);
      return;
    }
    // Inside an executor, a provider that throws synchronously rejects like one that rejects:
    // a failed attempt, not an exception out of the constructor or a timer callback.
    new Promise<[string | URL, string | readonly string[] | undefined]>((resolve) => {
      resolve(Promise.all([typeof url === 'function' ? url() : url, typeof protocols === 'function' ? protocols() : protocols]));
    })
      .then(([resolvedUrl, resolvedProtocols]) => {
        if (!stillWanted()) return;
        const href = parseWebSocketUrl(resolvedUrl);
        this.#url = href;
        this.#construct(id, href, parseProtocols(resolvedProtocols));
      })
      .catch((error: unknown) => {
        if (stillWanted()) this.#endAttempt(id, 'url or protocols provider failed', 'provider-failed', error);
      });
  }

  #construct(id: number, url: string, protocols: readonly string[]): void {
    try {
      this.#socket = new Connection(id, this.#Impl, url, protocols, ResilientWebSocket.#listener, this);
    } catch (error) {
      // Reported from a microtask: never an event inside the constructor or the call that started the attempt.
      queueMicrotask(() => this.#endAttempt(id, 'WebSocket constructor threw', 'provider-failed', error));
      return;
    }
    if (this.#binaryType !== undefined) this.#socket.native.binaryType = this.#binaryType;
  }

  /**
   * How the live native socket reaches the machine, shared by every socket (no closures per
   * connection). Events of a socket that is no longer live are ignored.
   */
  static readonly #listener: ConnectionListener<ResilientWebSocket> = {
    open(owner, socket) {
      if (owner.#socket !== socket) return;
      owner.#connectTimer.stop();
      socket.openedAt = socket.lastInboundAt = owner.#clock.now();
      owner.#protocol = socket.native.protocol;
      owner.#extensions = socket.native.extensions;
      owner.#dispatch({ type: 'opened', socket: socket.id });
    },
    message(owner, socket, event) {
      if (owner.#socket !== socket) return;
      const now = (socket.lastInboundAt = owner.#clock.now());
      const { data } = event;
      if (owner.#heartbeat?.inbound(data, now)) return;
      owner.dispatchEvent(messageEvent(data, socket.origin));
    },
    close(owner, socket, code, reason, wasClean) {
      owner.#end(socket, code, reason, wasClean);
    },
  };

  /** What the heartbeat does to its socket, shared by every socket. */
  static readonly #heartbeatActions: HeartbeatActions<ResilientWebSocket> = {
    ping(message, owner) {
      owner.#socket?.native.send(message);
    },
    dead(_silentMs, owner) {
      owner.#end(owner.#socket, 1006, 'heartbeat timeout', false, 'heartbeat-timeout');
    },
  };

  /** Reports the end of `socket` (if it is still the live one) to the machine. */
  #end(socket: Connection<ResilientWebSocket> | null, code: number, reason: string, wasClean: boolean, libraryCause?: EndedSocket['libraryCause']): void {
    if (socket === null || this.#socket !== socket) return;
    this.#dispatch({ type: 'ended', socket: socket.id, ended: this.#facts(socket, code, reason, wasClean, libraryCause) });
  }

  /** What was measured on the live socket, for an event that may end it (the machine sets code and reason). */
  #live(): { live?: EndedSocket } {
    return this.#socket ? { live: this.#facts(this.#socket, 1000, '', true) } : {};
  }

  /** The facts of `socket`'s end for the machine: what was measured on it, and the heartbeat's last pong. */
  #facts(socket: Connection<ResilientWebSocket>, code: number, reason: string, wasClean: boolean, libraryCause?: EndedSocket['libraryCause']): EndedSocket {
    return {
      code,
      reason,
      wasClean,
      ...(libraryCause ? { libraryCause } : {}),
      openedAt: socket.openedAt,
      lastInboundAt: socket.lastInboundAt,
      lastPongAt: this.#heartbeat?.lastPongAt ?? null,
      errorFirst: socket.errorFirst,
      url: socket.url,
    };
  }

  /**
   * Reports an attempt that failed before any socket existed. With an
   * `error`, an `error` event precedes the close and its message joins the
   * reason (cut to the 123 bytes a close reason may hold).
   */
  #endAttempt(id: number, reason: string, libraryCause: NonNullable<EndedSocket['libraryCause']>, error?: unknown): void {
    const detail = error === undefined ? '' : `: ${redactUrls(error instanceof Error ? error.message : describe(error))}`;
    const ended: EndedSocket = { ...userEnded(1006, `${reason}${detail}`.slice(0, 123)), wasClean: false, libraryCause, url: this.#url, errorFirst: error !== undefined };
    this.#dispatch({ type: 'ended', socket: id, ended });
  }

  #detach({ close, abandon }: Extract<Effect, { type: 'detach-socket' }>): void {
    this.#connectTimer.stop();
    const socket = this.#socket;
    if (socket === null) return;
    this.#socket = null;
    socket.detach(close, abandon);
  }

  #flush(): void {
    const socket = this.#socket;
    const buffer = this.#buffer;
    if (socket === null || buffer === null) return;
    for (let data = buffer.shift(); data !== undefined; data = buffer.shift()) {
      try {
        socket.send(data);
      } catch {
        buffer.unshift(data);
        return;
      }
    }
  }
}

/** The typed `addEventListener` and `removeEventListener` of {@link ResilientWebSocket}. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the class
export interface ResilientWebSocket {
  // The `on*` attributes, defined on the prototype with the interface (see defineInterface).
  /** Called for `open` events; a non-function reads back as `null`. */
  get onopen(): HandlerValue;
  set onopen(handler: Handler<Event>);
  /** Called for `message` events. */
  get onmessage(): HandlerValue;
  set onmessage(handler: Handler<MessageEvent>);
  /** Called for `close` events. */
  get onclose(): HandlerValue;
  set onclose(handler: Handler<ResilientCloseEvent>);
  /** Called for `error` events. */
  get onerror(): HandlerValue;
  set onerror(handler: Handler<Event>);
  addEventListener<K extends keyof ResilientWebSocketEventMap>(
    type: K,
    listener: (this: ResilientWebSocket, event: ResilientWebSocketEventMap[K]) => unknown,
    options?: boolean | AddListenerOptions,
  ): void;
  addEventListener(type: string, listener: Listener | null, options?: boolean | AddListenerOptions): void;
  removeEventListener<K extends keyof ResilientWebSocketEventMap>(
    type: K,
    listener: (this: ResilientWebSocket, event: ResilientWebSocketEventMap[K]) => unknown,
    options?: boolean | ListenerOptions,
  ): void;
  removeEventListener(type: string, listener: Listener | null, options?: boolean | ListenerOptions): void;
}

/**
 * Puts the ready-state constants on `Class` and its prototype as WebIDL
 * does (read-only, enumerable, not configurable), with the class string
 * `WebSocket`, so code that inspects them sees what it sees on the native
 * class; and `Symbol.dispose` on the prototype, for `using`.
 */
function defineConstants<C extends typeof ResilientWebSocket>(Class: C): C {
  // Unlisted descriptor fields default to false: the constants are read-only and not configurable.
  const constants: PropertyDescriptorMap = {};
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, value) => {
    constants[name] = { value, enumerable: true };
  });
  Object.defineProperties(Class, constants);
  Object.defineProperties(Class.prototype, {
    ...constants,
    [Symbol.toStringTag]: { value: 'WebSocket', configurable: true },
    // Older runtimes have no Symbol.dispose; the registered symbol is what polyfills use.
    [(Symbol as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose')]: {
      value(this: ResilientWebSocket) {
        this.dispose();
      },
      writable: true,
      configurable: true,
    },
  });
  return Class;
}

/**
 * The WebSocket interface on the class itself: the constants, and the
 * attributes and operations made enumerable, as WebIDL makes the native
 * ones and class syntax does not (`for...in` over a socket lists them).
 * Subclasses from `with()` inherit the members and get only the constants.
 */
function defineInterface<C extends typeof ResilientWebSocket>(Class: C): C {
  defineEventHandlers(Class.prototype, ['open', 'error', 'close', 'message']);
  for (const name of ['url', 'readyState', 'bufferedAmount', 'extensions', 'protocol', 'binaryType', 'close', 'send']) {
    Object.defineProperty(Class.prototype, name, { enumerable: true });
  }
  return defineConstants(Class);
}

function isPlainObject(value: unknown): value is ResilientWebSocketOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function missingArgument(operation: 'construct' | 'send'): string {
  if (!isDevelopment) return '1 argument required';
  return `Failed to ${operation === 'send' ? "execute 'send' on" : 'construct'} 'WebSocket': 1 argument required, but only 0 present.`;
}

/** WebIDL's `[Clamp] unsigned short` conversion, as the native `close()` applies it. */
function clampUnsignedShort(value: unknown): number {
  // NaN converts to 0.
  const clamped = Math.min(Math.max(Number(value) || 0, 0), 65535);
  const floor = Math.floor(clamped);
  const fraction = clamped - floor;
  if (fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1)) return floor + 1;
  return floor;
}
