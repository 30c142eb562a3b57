/**
 * The events a {@link ResilientWebSocket} dispatches besides the native ones.
 *
 * @module
 */

import type { SendData } from './buffer.js';
import type { Diagnosis } from '../diagnosis/types.js';
import type { CloseReport } from './report.js';
import type { Status } from './state-machine.js';

/** The fields of a native `CloseEvent`. */
interface CloseEventFields {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** What a `CloseEvent` is built from; spelled out so the declarations need no DOM library. */
interface CloseEventInitFields {
  readonly bubbles?: boolean;
  readonly cancelable?: boolean;
  readonly composed?: boolean;
  readonly code?: number;
  readonly reason?: string;
  readonly wasClean?: boolean;
}

/**
 * The platform's `Event`; where there is none (an embedded engine), a plain
 * base, so that importing never throws: constructing a socket says what is
 * missing (see resilient-websocket.ts).
 */
const EventBase: typeof Event = typeof Event === 'function' ? Event : (Object as unknown as typeof Event);

/** A `CloseEvent` where the platform has none (Node before 23): read-only fields, the same class string. */
class CloseEventShim extends EventBase implements CloseEventFields {
  readonly #code: number;
  readonly #reason: string;
  readonly #wasClean: boolean;
  constructor(type: string, init: CloseEventInitFields = {}) {
    super(type, init);
    this.#code = init.code ?? 0;
    this.#reason = init.reason ?? '';
    this.#wasClean = init.wasClean ?? false;
  }
  get code(): number {
    return this.#code;
  }
  get reason(): string {
    return this.#reason;
  }
  get wasClean(): boolean {
    return this.#wasClean;
  }
  // eslint-disable-next-line @typescript-eslint/class-literal-property-style -- a prototype getter, as the platform defines class strings
  get [Symbol.toStringTag](): string {
    return 'CloseEvent';
  }
}

/** The platform's `CloseEvent` where there is one (so `instanceof CloseEvent` holds), else a stand-in. */
const CloseEventBase: typeof CloseEventShim =
  typeof CloseEvent === 'function' ? (CloseEvent as unknown as typeof CloseEventShim) : CloseEventShim;

/**
 * The `close` event: the real `code`, `reason` and `wasClean` (a failed
 * connection is 1006, never a clean 1000), plus the {@link CloseReport}.
 *
 * It is cancelable: `preventDefault()` in a listener stops the automatic
 * reconnect that would follow this close.
 */
export class ResilientCloseEvent extends CloseEventBase {
  /** Everything known about this close, including the decision taken. */
  declare readonly report: CloseReport;

  /** @param report - the close report; `code`, `reason` and `wasClean` come from it */
  constructor(report: CloseReport) {
    super('close', { code: report.code, reason: report.reason, wasClean: report.wasClean, cancelable: true });
    this.report = report;
  }
}

/** `statechange`: the socket moved from one {@link Status} to another. */
export class StateChangeEvent extends EventBase {
  /** The status before. */
  declare readonly from: Status;
  /** The status after. */
  declare readonly to: Status;
  /** What caused it, in a few words (`'open'`, `'close'`, `'timer'`, `'close()'`...). */
  declare readonly cause: string;

  /** Creates the event. */
  constructor(from: Status, to: Status, cause: string) {
    super('statechange');
    this.from = from;
    this.to = to;
    this.cause = cause;
  }
}

/** `reconnecting`: a retry is scheduled after `delayMs`. */
export class ReconnectingEvent extends EventBase {
  /** The number of the coming retry (1 for the first since the last stable connection). */
  declare readonly attempt: number;
  /** The wait before it, in ms. */
  declare readonly delayMs: number;
  /** The report of the close that led here. */
  declare readonly report: CloseReport;

  /** Creates the event. */
  constructor(attempt: number, delayMs: number, report: CloseReport) {
    super('reconnecting');
    this.attempt = attempt;
    this.delayMs = delayMs;
    this.report = report;
  }
}

/** `giveup`: the policy said stop, or the retries or the time ran out. The socket is closed. */
export class GiveUpEvent extends EventBase {
  /** Why, in words. */
  declare readonly reason: string;
  /** The report of the last close. */
  declare readonly report: CloseReport;

  /** Creates the event. */
  constructor(reason: string, report: CloseReport) {
    super('giveup');
    this.reason = reason;
    this.report = report;
  }
}

/** `drop`: a queued message was discarded (buffer overflow, or `dispose()`). */
export class DropEvent extends EventBase {
  /** The discarded message. */
  declare readonly data: SendData;
  /** Why: `'overflow'` or `'disposed'`. */
  declare readonly reason: 'overflow' | 'disposed';

  /** Creates the event. */
  constructor(data: SendData, reason: 'overflow' | 'disposed') {
    super('drop');
    this.data = data;
    this.reason = reason;
  }
}

/** `diagnosis`: the diagnosis of recent closes changed (only with the `diagnose` option). */
export class DiagnosisEvent extends EventBase {
  /** The new diagnosis, the same as `ws.diagnosis`. */
  declare readonly diagnosis: Diagnosis;

  /** Creates the event. */
  constructor(diagnosis: Diagnosis) {
    super('diagnosis');
    this.diagnosis = diagnosis;
  }
}

type MessageEventClass = new (data: unknown, origin: string) => MessageEvent;
let SocketMessageEvent: MessageEventClass | undefined;

/**
 * The `message` event: a real `MessageEvent` (instanceof, class string,
 * `data` by reference), whose `origin` is kept as it is and only converted
 * when read. Passing it in the init dictionary made Chromium convert the
 * string for every message, about 1 µs each. The class is made on first
 * use, so importing the library touches no `MessageEvent`.
 */
export function messageEvent(data: unknown, origin: string): MessageEvent {
  SocketMessageEvent ??= makeMessageEventClass();
  return new SocketMessageEvent(data, origin);
}

function makeMessageEventClass(): MessageEventClass {
  class SocketMessageEvent extends MessageEvent<unknown> {
    readonly #origin: string;
    constructor(data: unknown, origin: string) {
      super('message', { data });
      this.#origin = origin;
    }
    /** Reads the origin; throws for anything that is not one of these events, as a platform getter does. */
    override get origin(): string {
      return this.#origin;
    }
    /** Ignored: Deno's MessageEvent constructor assigns `this.origin`, which a getter alone would make throw. */
    // eslint-disable-next-line @typescript-eslint/no-empty-function -- a no-op setter on purpose
    override set origin(_origin: string) {}
  }
  // Enumerable, as the platform defines the attribute (not a static block: Safari before 16.4 has none).
  Object.defineProperty(SocketMessageEvent.prototype, 'origin', { enumerable: true });
  return SocketMessageEvent;
}

/** Every event a {@link ResilientWebSocket} dispatches, by name. */
export interface ResilientWebSocketEventMap {
  /** A connection opened (the first one, and every reconnect). */
  open: Event;
  /** A message arrived (heartbeat pongs excluded). */
  message: MessageEvent;
  /** The native socket reported an error; a `close` follows. */
  error: Event;
  /** A connection ended (every drop, and the final close). */
  close: ResilientCloseEvent;
  /** The status changed. */
  statechange: StateChangeEvent;
  /** A retry was scheduled. */
  reconnecting: ReconnectingEvent;
  /** Reconnecting stopped for good. */
  giveup: GiveUpEvent;
  /** A queued message was discarded. */
  drop: DropEvent;
  /** The diagnosis of recent closes changed (with the `diagnose` option). */
  diagnosis: DiagnosisEvent;
}
