/**
 * Properties of the real class (not the pure machine), driven by random
 * sequences of what the network, the server, the page, the clock and the
 * application can do. Every run uses a FakeSocket class that records its
 * instances, a FakeClock whose timers run one due time at a time with the
 * microtask queue drained in between (as an event loop would), and an
 * environment whose subscriptions are counted.
 *
 * One runner records every violation of every property; each `it` asserts
 * one property, so fast-check shrinks towards that property's smallest
 * counterexample. The properties run twice: with the application calling
 * the socket from its own code, and with listeners that also call back into
 * it (`close()` from a `statechange` listener, `reconnect()` from `onerror`),
 * as protocol clients do.
 */

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { ResilientWebSocket, type EnvironmentSignal, type DropEvent, type ResilientCloseEvent, type ResilientWebSocketOptions, type StateChangeEvent, type Status, type TimerHandle } from '../../src/index.js';
import { FakeClock, seededRandom } from '../unit/fake-clock.js';
import { fakeSockets, type FakeSocket, type FakeSockets } from './fake-socket.js';
import { fakeEnvironment, type FakeEnvironment } from './helpers.js';

// ---- the actions ------------------------------------------------------------

const closeCodes = [1000, 1001, 1005, 1006, 1008, 1011, 1012, 1013, 3000, 4000, 4500] as const;
type CloseCode = (typeof closeCodes)[number];
const signals = ['online', 'offline', 'visible', 'hidden', 'pagehide', 'pageshow', 'freeze', 'resume'] as const satisfies readonly EnvironmentSignal[];

/** What the live native socket (the one the class listens to) does. */
type SocketAction =
  | { readonly kind: 'open' }
  | { readonly kind: 'message'; readonly pong: boolean }
  /** A browser's error: `error`, then close 1006. */
  | { readonly kind: 'error' }
  /** `finish`: complete the close the class asked for, if it asked. */
  | { readonly kind: 'close'; readonly code: CloseCode; readonly finish: boolean }
  /** The server's close frame arrived: CLOSING until the close event. */
  | { readonly kind: 'start-closing' }
  /** A socket the class let go of fires anyway (its recorded handlers are called). */
  | { readonly kind: 'stale'; readonly pick: number; readonly event: 'open' | 'message' | 'close'; readonly code: CloseCode };

/** What the application calls. `sameTick`: the next action follows without the microtask queue draining. */
type AppAction =
  | { readonly kind: 'send'; readonly text: string; readonly sameTick: boolean }
  | { readonly kind: 'app-close'; readonly code: 1000 | 3000 | 4999 | undefined; readonly reason: string | undefined; readonly sameTick: boolean }
  | { readonly kind: 'reconnect'; readonly sameTick: boolean }
  | { readonly kind: 'dispose'; readonly sameTick: boolean };

/** `late`: time jumps at once and due timers run late, all seeing the new time (a throttled tab, a laptop waking up). */
type WorldAction = { readonly kind: 'advance'; readonly ms: number; readonly late: boolean } | { readonly kind: 'signal'; readonly signal: EnvironmentSignal };

const eventTypes = ['open', 'message', 'error', 'close', 'statechange', 'reconnecting', 'giveup', 'drop'] as const;
type EventType = (typeof eventTypes)[number];

/** An event the socket dispatched, typed by its name. */
type Observed =
  | { readonly type: 'close'; readonly event: ResilientCloseEvent }
  | { readonly type: 'statechange'; readonly event: StateChangeEvent }
  | { readonly type: 'drop'; readonly event: DropEvent }
  | { readonly type: Exclude<EventType, 'close' | 'statechange' | 'drop'>; readonly event: Event };

/** Only in the reentrant runs: the next `on` event's listener makes this call (once). */
interface Arm {
  readonly kind: 'arm';
  readonly on: EventType;
  readonly call: AppAction;
}

type Action = SocketAction | AppAction | WorldAction | Arm;

/** The options drawn at random; the runner adds `WebSocket`, `clock` and `environment`. */
type DrawnOptions = Pick<ResilientWebSocketOptions, 'heartbeat' | 'reconnect' | 'buffer' | 'connectTimeoutMs'>;

interface Scenario {
  readonly options: DrawnOptions;
  /** Seeds the clock's random source (backoff and signal jitter). */
  readonly seed: number;
  readonly actions: readonly Action[];
  /** Whether the close listener calls `preventDefault()` on the n-th close event (false past the end). */
  readonly prevent: readonly boolean[];
}

const sameTick = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const closeCode = fc.constantFrom(...closeCodes);

const sendArb = fc.record({ kind: fc.constant('send' as const), text: fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 4 })), sameTick });
const appCloseArb = fc.record({
  kind: fc.constant('app-close' as const),
  code: fc.constantFrom(undefined, 1000 as const, 3000 as const, 4999 as const),
  reason: fc.constantFrom(undefined, '', 'bye', 'übers Ziel'),
  sameTick,
});
const reconnectArb = fc.record({ kind: fc.constant('reconnect' as const), sameTick });
const disposeArb = fc.record({ kind: fc.constant('dispose' as const), sameTick });

const actionWeights: fc.WeightedArbitrary<Action>[] = [
  { weight: 8, arbitrary: fc.constant({ kind: 'open' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('message' as const), pong: fc.boolean() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'error' as const }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('close' as const), code: closeCode, finish: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'start-closing' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('stale' as const), pick: fc.nat(20), event: fc.constantFrom('open' as const, 'message' as const, 'close' as const), code: closeCode }),
  },
  { weight: 8, arbitrary: sendArb },
  { weight: 2, arbitrary: appCloseArb },
  { weight: 4, arbitrary: reconnectArb },
  { weight: 1, arbitrary: disposeArb },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1_500 }) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 20_000 }) }),
      late: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('signal' as const), signal: fc.constantFrom(...signals) }) },
];

/** A listener that calls back into the socket: what protocol clients do (close() from onclose, reconnect() from onopen...). */
const armArb: fc.Arbitrary<Arm> = fc.record({
  kind: fc.constant('arm' as const),
  on: fc.constantFrom(...eventTypes),
  call: fc.oneof<fc.Arbitrary<AppAction>[]>(sendArb, appCloseArb, reconnectArb, disposeArb),
});

const optionsArb: fc.Arbitrary<DrawnOptions> = fc.record({
  heartbeat: fc.oneof(fc.constant(false), fc.record({ intervalMs: fc.integer({ min: 100, max: 5_000 }), timeoutMs: fc.integer({ min: 100, max: 3_000 }) })),
  reconnect: fc.oneof(
    { weight: 6, arbitrary: fc.record({ maxRetries: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 2, arbitrary: fc.constant(Infinity) }) }) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  buffer: fc.oneof(
    { weight: 3, arbitrary: fc.constant(true) },
    {
      weight: 4,
      arbitrary: fc.record({
        maxMessages: fc.integer({ min: 1, max: 4 }),
        maxBytes: fc.integer({ min: 8, max: 64 }),
        overflow: fc.constantFrom('drop-oldest' as const, 'drop-newest' as const),
      }),
    },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  connectTimeoutMs: fc.oneof(fc.constant(10_000), fc.integer({ min: 100, max: 5_000 }), fc.constant(false as const)),
});

const scenarioArb = (reentrant: boolean): fc.Arbitrary<Scenario> => fc.record({
  options: optionsArb,
  seed: fc.integer(),
  actions: fc.array(fc.oneof(...actionWeights, ...(reentrant ? [{ weight: 5, arbitrary: armArb }] : [])), { minLength: 1, maxLength: 60, size: 'max' }),
  prevent: fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { maxLength: 12 }),
});

// ---- the world --------------------------------------------------------------

/** A FakeClock that also knows when its next timer is due, so time can advance one due time at a time. */
class SteppingClock extends FakeClock {
  readonly #due = new Map<TimerHandle, number>();

  override setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const at = this.now() + (Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0);
    const handle = super.setTimeout(() => {
      this.#due.delete(handle);
      callback();
    }, delayMs);
    this.#due.set(handle, at);
    return handle;
  }

  override clearTimeout(handle: TimerHandle): void {
    this.#due.delete(handle);
    super.clearTimeout(handle);
  }

  /** When the earliest pending timer is due, or `undefined`. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const at of this.#due.values()) if (next === undefined || at < next) next = at;
    return next;
  }
}

const properties = {
  oneLive: 'at most one native socket is live at any time',
  dispose: 'after dispose() nothing is left and nothing but drop happens until reconnect()',
  userClose: 'after close() no socket is made and open is never reached until reconnect(), and no timer outlives the close',
  canceled: 'after a close event canceled with preventDefault() the socket stays closed until reconnect()',
  pairs: 'every open is followed by exactly one close before the next open',
  closeAfterOpen: 'the close of a connection that opened comes after its open event',
  readyState: 'readyState always matches state, and reads CLOSED in close listeners unless reconnect() replaced the connection or an earlier listener moved the socket on',
  sends: 'every sent message is delivered once and in order, dropped with an event, or still queued',
  noThrow: 'nothing throws out of the library',
  closedQuiet: 'a closed socket leaves no timer, no environment listener and no attached native socket',
} as const;
type PropertyName = keyof typeof properties | 'harness';

/** What an application message became. */
interface Sent {
  readonly text: string;
  readonly bytes: number;
  /**
   * Not the library's to account for: `send()` threw `InvalidStateError`
   * (`buffer: false`, not open), or it went to a CLOSING native socket with
   * `buffer: false`, which discards it, as documented.
   */
  exempt: boolean;
}

const drain = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

const utf8 = new TextEncoder();
const expectedReadyState: Record<Status, number> = { connecting: 0, waiting: 0, open: 1, closing: 2, closed: 3 };
function closeEvent(code: number, reason: string, wasClean: boolean): CloseEvent {
  return Object.assign(new Event('close'), { code, reason, wasClean });
}

function isAttached(socket: FakeSocket): boolean {
  return socket.onopen !== null || socket.onmessage !== null || socket.onclose !== null;
}

class World {
  readonly violations: Record<PropertyName, string[]> = {
    oneLive: [], dispose: [], userClose: [], canceled: [], pairs: [], closeAfterOpen: [], readyState: [], sends: [], noThrow: [], closedQuiet: [], harness: [],
  };
  readonly trace: string[] = [];
  readonly clock: SteppingClock;
  readonly env: FakeEnvironment = fakeEnvironment();
  readonly sockets: FakeSockets;
  readonly #scenario: Scenario;
  readonly #opened = new WeakSet<FakeSocket>();
  readonly #messages: Sent[] = [];
  readonly #drops: unknown[] = [];
  #ws: ResilientWebSocket | null = null;
  #step = -1;
  #drained = true;
  // The model: what the application did, and what must follow.
  #disposed = false;
  /** Disposed before the current top-level action began (events queued before dispose() may still be delivered in its own action). */
  #disposedBefore = false;
  #closedByApp = false;
  /** Whether a listener is running (events are being delivered), and whether one of them moved the socket on since the last drop. */
  #delivering = false;
  #movedDuringDelivery = false;
  /** The application calls in progress, innermost last: events are attributed to the innermost. */
  readonly #calls: AppAction['kind'][] = [];
  #reconnects = 0;
  readonly #armed: Arm[] = [];
  #canceled = false;
  #openUnpaired = false;
  /**
   * dispose() was called in the current top-level action: it fires no close, so the last open may stay
   * unpaired (and an open queued before it may still be delivered after it).
   */
  #disposedInAction = false;
  #lastStatus: Status | null = null;
  #closes = 0;

  constructor(scenario: Scenario) {
    this.#scenario = scenario;
    this.clock = new SteppingClock(0, seededRandom(scenario.seed));
    this.sockets = fakeSockets((socket) => {
      this.#constructed(socket);
    });
  }

  note(property: PropertyName, message: string): void {
    const list = this.violations[property];
    if (list.length < 5) list.push(`[step ${this.#step}] ${message}`);
  }

  get ws(): ResilientWebSocket {
    if (this.#ws === null) throw new Error('no socket');
    return this.#ws;
  }

  async run(): Promise<void> {
    const options: ResilientWebSocketOptions = { ...this.#scenario.options, WebSocket: this.sockets.Impl, clock: this.clock, environment: this.env.environment };
    this.#guard('new ResilientWebSocket()', () => {
      this.#ws = new ResilientWebSocket('ws://example.test/live', undefined, options);
    });
    if (this.#ws === null) return;
    const observe = (observed: Observed): void => {
      try {
        this.#observe(observed);
      } catch (error) {
        this.note('harness', `listener: ${String(error)}`);
      }
    };
    this.ws.addEventListener('close', (event) => observe({ type: 'close', event }));
    this.ws.addEventListener('statechange', (event) => observe({ type: 'statechange', event }));
    this.ws.addEventListener('drop', (event) => observe({ type: 'drop', event }));
    for (const type of ['open', 'message', 'error', 'reconnecting', 'giveup'] as const) {
      this.ws.addEventListener(type, (event: Event) => observe({ type, event }));
    }
    this.#lastStatus = this.ws.state;
    this.#checkpoint();
    await drain();
    this.#checkpoint();
    for (const [index, action] of this.#scenario.actions.entries()) {
      this.#step = index;
      this.#movedDuringDelivery = false;
      this.trace.push(`#${index} ${JSON.stringify(action)}`);
      await this.#act(action);
      this.trace.push(`   -> ${this.ws.state} (sockets ${this.sockets.instances.length}, timers ${this.clock.pending()}, buffered ${this.ws.bufferedAmount})`);
      this.#checkpoint();
    }
    this.#step = this.#scenario.actions.length;
    await drain();
    this.#drained = true;
    this.#checkpoint();
    this.#account();
  }

  // ---- actions ----

  async #act(action: Action): Promise<void> {
    const app = action.kind === 'send' || action.kind === 'app-close' || action.kind === 'reconnect' || action.kind === 'dispose';
    // The network, the page and timers act in tasks of their own: queued microtasks run first.
    if (!app && !this.#drained) await drain();
    this.#disposedBefore = this.#disposed;
    this.#disposedInAction = false;
    switch (action.kind) {
      case 'advance':
        await this.#advance(action.ms, action.late);
        break;
      case 'signal':
        this.#guard(`signal ${action.signal}`, () => {
          this.env.emit(action.signal);
        });
        break;
      case 'send':
      case 'app-close':
      case 'reconnect':
      case 'dispose':
        this.#call(action);
        break;
      case 'arm':
        this.#armed.push(action);
        break;
      case 'stale':
        this.#stale(action);
        break;
      default:
        this.#socketAction(action);
    }
    if (app && action.sameTick) {
      this.#drained = false;
      return;
    }
    await drain();
    this.#drained = true;
  }

  /** The application calls the socket: from the test's script, or from inside a listener. */
  #call(action: AppAction): void {
    // Events are delivered after their transition, so a listener's call can move the socket on before a later
    // listener of the same drop runs: that one then sees the state the application asked for.
    if (action.kind !== 'send' && this.#delivering) this.#movedDuringDelivery = true;
    this.#calls.push(action.kind);
    try {
      this.#callNow(action);
    } finally {
      this.#calls.pop();
    }
  }

  #callNow(action: AppAction): void {
    switch (action.kind) {
      case 'send':
        this.#send(action.text);
        return;
      case 'app-close':
        // Set first: a statechange listener may call reconnect() from inside close().
        this.#closedByApp = true;
        this.#guard('close()', () => {
          this.ws.close(action.code, action.reason);
        });
        return;
      case 'reconnect':
        this.#closedByApp = false;
        this.#canceled = false;
        this.#disposed = false;
        this.#disposedBefore = false;
        this.#reconnects++;
        this.#guard('reconnect()', () => {
          this.ws.reconnect();
        });
        return;
      case 'dispose':
        this.#dispose();
        return;
    }
  }

  #dispose(): void {
    this.#disposedInAction = true;
    const reconnects = this.#reconnects;
    this.#guard('dispose()', () => {
      this.ws.dispose();
    });
    // A drop listener may have called reconnect(): then the socket lives again.
    if (this.#reconnects === reconnects) this.#disposed = true;
  }

  /** The sockets the class listens to that have not closed: at most one. */
  #live(): FakeSocket[] {
    return this.sockets.instances.filter((socket) => isAttached(socket) && socket.readyState !== 3);
  }

  #socketAction(action: Exclude<SocketAction, { kind: 'stale' }>): void {
    const socket = this.#live().at(-1);
    if (socket === undefined) return;
    switch (action.kind) {
      case 'open':
        if (socket.readyState !== 0) return;
        this.#opened.add(socket);
        this.#guard('socket open', () => {
          socket.accept();
        });
        return;
      case 'message':
        if (!this.#opened.has(socket)) return;
        this.#guard('socket message', () => {
          socket.message(action.pong ? 'pong' : 'from the server');
        });
        return;
      case 'error':
        this.#guard('socket error', () => {
          socket.refuse();
        });
        return;
      case 'close':
        this.#guard(`socket close ${action.code}`, () => {
          if (action.finish && socket.closeCalls.length > 0) socket.finishClose();
          else if (action.code === 1006) socket.drop();
          else socket.serverClose(action.code, `server says ${action.code}`);
        });
        return;
      case 'start-closing':
        if (this.#opened.has(socket)) socket.startClosing();
        return;
    }
  }

  #stale(action: Extract<SocketAction, { kind: 'stale' }>): void {
    const live = this.#live().at(-1);
    const stale = this.sockets.instances.filter((socket) => socket !== live);
    const socket = stale[action.pick % Math.max(1, stale.length)];
    if (socket === undefined) return;
    const handler = socket.assigned[action.event].at(-1) as ((event: Event) => void) | undefined;
    if (handler === undefined) return;
    const event =
      action.event === 'open' ? new Event('open')
      : action.event === 'message' ? new MessageEvent('message', { data: 'stale' })
      : closeEvent(action.code, 'stale', action.code !== 1006);
    this.#guard(`stale ${action.event}`, () => {
      handler(event);
    });
  }

  #send(text: string): void {
    // Named and recorded before the call: a drop listener may send again from inside it.
    const data = `m${this.#messages.length}:${text}`;
    const message: Sent = { text: data, bytes: utf8.encode(data).length, exempt: false };
    this.#messages.push(message);
    const nativeBefore = this.#live().at(-1)?.readyState;
    let handed: boolean;
    try {
      handed = this.ws.send(data);
    } catch (error) {
      message.exempt = true;
      const documented = this.#scenario.options.buffer === false && error instanceof DOMException && error.name === 'InvalidStateError';
      if (!documented) this.note('noThrow', `send() threw ${String(error)}`);
      return;
    }
    message.exempt = this.#scenario.options.buffer === false && handed && nativeBefore !== 1;
    if (handed && !message.exempt && this.#live().at(-1)?.sent.at(-1) !== data) {
      this.note('sends', `send(${JSON.stringify(data)}) returned true, but the live socket did not get it`);
    }
    if (!handed && this.sockets.instances.some((socket) => socket.sent.includes(data))) {
      this.note('sends', `send(${JSON.stringify(data)}) returned false, but a socket got it`);
    }
  }

  async #advance(ms: number, late: boolean): Promise<void> {
    const target = this.clock.now() + ms;
    if (late) this.clock.skip(ms);
    for (let steps = 0; ; steps++) {
      const next = this.clock.nextDueAt();
      if (next === undefined || next > target) break;
      if (steps > 10_000) {
        this.note('noThrow', 'runaway timers: more than 10,000 due times in one advance');
        return;
      }
      // Each due time is one task; the microtasks it queued run before the next.
      this.#guard('timer', () => {
        this.clock.advance(Math.max(0, next - this.clock.now()));
      });
      await drain();
    }
    this.clock.advance(Math.max(0, target - this.clock.now()));
  }

  #guard(what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.note('noThrow', `${what} threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }

  // ---- observations ----

  #constructed(socket: FakeSocket): void {
    this.trace.push(`   new socket #${this.sockets.instances.length - 1}`);
    const others = this.#live().filter((other) => other !== socket);
    if (others.length > 0) this.note('oneLive', `a socket was constructed while ${others.length} other(s) were live`);
    if (this.#disposed) this.note('dispose', 'a socket was constructed after dispose()');
    if (this.#closedByApp) this.note('userClose', 'a socket was constructed after close()');
    if (this.#canceled) this.note('canceled', 'a socket was constructed after a canceled close event');
    if (this.#ws !== null) this.#checkState('when a socket was constructed');
  }

  /**
   * What the state may be, judged wherever the test can look (listeners run
   * after their transition, so events alone would tell it late).
   */
  #checkState(where: string): void {
    const state = this.ws.state;
    if (this.#closedByApp && state === 'open') this.note('userClose', `open after close(), ${where}`);
    if (this.#canceled && state !== 'closed') this.note('canceled', `${state} after a canceled close event, ${where}`);
  }

  #observe(observed: Observed): void {
    const { type } = observed;
    const ws = this.ws;
    const state = ws.state;
    const summary =
      observed.type === 'close' ? `close ${observed.event.code} ${JSON.stringify(observed.event.report.decision)}`
      : observed.type === 'statechange' ? `statechange ${observed.event.from}->${observed.event.to} (${observed.event.cause})`
      : type;
    this.trace.push(`   event ${summary} (state ${state}, readyState ${ws.readyState})`);

    const live = this.#live().length;
    if (live > 1) this.note('oneLive', `${live} live sockets during ${type}`);

    if (ws.readyState !== expectedReadyState[state]) this.note('readyState', `readyState ${ws.readyState} in state ${state} during ${type}`);

    const inside = this.#calls.at(-1);
    if (inside === 'dispose' && type !== 'drop' && type !== 'statechange') this.note('dispose', `${type} fired inside dispose()`);
    if (this.#disposedBefore && type !== 'drop') this.note('dispose', `${type} fired in an action after dispose()`);
    this.#checkState(`during ${type}`);

    this.#expect(observed);
    const armed = this.#armed.findIndex((arm) => arm.on === type);
    if (armed === -1) return;
    const [arm] = this.#armed.splice(armed, 1);
    if (arm === undefined) return;
    this.trace.push(`   the ${type} listener calls ${arm.call.kind}`);
    const outer = this.#delivering;
    this.#delivering = true;
    try {
      this.#call(arm.call);
    } finally {
      this.#delivering = outer;
    }
  }

  #expect(observed: Observed): void {
    const ws = this.ws;
    const state = ws.state;
    switch (observed.type) {
      case 'statechange': {
        const { from, to } = observed.event;
        if (from !== this.#lastStatus) this.note('readyState', `statechange from ${from}, but the last state announced was ${String(this.#lastStatus)}`);
        if (from === to) this.note('readyState', `statechange from ${from} to itself`);
        this.#lastStatus = to;
        if (to === 'closed') this.#movedDuringDelivery = false;
        return;
      }
      case 'open':
        if (this.#openUnpaired && !this.#disposedInAction) this.note('pairs', 'open fired twice without a close between');
        this.#openUnpaired = true;
        return;
      case 'close': {
        const close = observed.event;
        const { report } = close;
        if (this.#openUnpaired && report.phase !== 'open') this.note('pairs', `the close after an open says phase ${report.phase}`);
        if (!this.#openUnpaired && report.phase === 'open') this.note('closeAfterOpen', 'a close with phase open fired, but no open event came before it');
        this.#openUnpaired = false;
        // The close of a connection reconnect() replaced: the client ended it, and the decision is to reconnect (at once).
        const replaced = report.initiator === 'client' && report.decision.action === 'reconnect';
        if (replaced) {
          if (report.decision.delayMs !== 0) this.note('readyState', `a close replaced by reconnect() with decision ${JSON.stringify(report.decision)}`);
          if (this.#calls.length === 1 && this.#calls[0] === 'reconnect' && ws.readyState !== 0 && !this.#movedDuringDelivery) this.note('readyState', `readyState ${ws.readyState} in the close listener of a connection reconnect() replaced`);
        } else if (ws.readyState !== 3 && !this.#movedDuringDelivery) {
          this.note('readyState', `readyState ${ws.readyState} (state ${state}) inside a close listener; decision ${JSON.stringify(report.decision)}`);
        }
        if (this.#scenario.prevent[this.#closes++] === true) {
          close.preventDefault();
          // Canceling what nothing follows cancels nothing: a replaced connection's close (the new attempt is the
          // application's own), or a close delivered after the application already moved the socket on.
          if (!replaced && state === 'closed') this.#canceled = true;
        }
        return;
      }
      case 'drop':
        this.#drops.push(observed.event.data);
        return;
      default:
    }
  }

  /** Checks between actions. Timers and listeners are only judged once queued microtasks have run. */
  #checkpoint(): void {
    const ws = this.ws;
    const state = ws.state;
    const live = this.#live().length;
    if (live > 1) this.note('oneLive', `${live} live sockets`);
    if (ws.readyState !== expectedReadyState[state]) this.note('readyState', `readyState ${ws.readyState} in state ${state}`);
    if (state !== this.#lastStatus) this.note('readyState', `state ${state} was never announced (last statechange: ${String(this.#lastStatus)})`);
    if (this.#disposedInAction) this.#openUnpaired = false;
    if (state === 'open' && !this.#openUnpaired) this.note('pairs', 'state is open, but no open event fired for it');
    if ((state === 'connecting' || state === 'waiting' || state === 'closed') && this.#openUnpaired) {
      this.note('pairs', `state is ${state}, but the last open never got its close`);
    }
    this.#checkState('between actions');
    if (this.env.listening > 1) this.note('closedQuiet', `${this.env.listening} environment subscriptions at once`);
    if (!this.#drained) return;
    const timers = this.clock.pending();
    const attached = this.sockets.instances.filter(isAttached).length;
    const leftovers = `timers ${timers}, environment subscriptions ${this.env.listening} (${this.env.subscribes} made, ${this.env.cleanups} cleaned up), attached sockets ${attached}`;
    if (this.#disposed && (timers > 0 || this.env.listening > 0 || this.env.subscribes !== this.env.cleanups || attached > 0)) {
      this.note('dispose', `after dispose(): ${leftovers}`);
    }
    if (this.#closedByApp && state === 'closed' && timers > 0) this.note('userClose', `closed after close(), but ${timers} timer(s) pending`);
    if (state === 'closed' && (timers > 0 || this.env.listening > 0 || attached > 0)) this.note('closedQuiet', `closed (${this.#disposed ? 'disposed' : 'not disposed'}): ${leftovers}`);
  }

  /** The end of the run: every message is delivered once, dropped once, or still queued; then dispose() drops the queue. */
  #account(): void {
    const delivered = new Map<unknown, number>();
    const order: number[] = [];
    const index = new Map<unknown, number>(this.#messages.map((message, i) => [message.text, i]));
    for (const socket of this.sockets.instances) {
      for (const data of socket.sent) {
        const i = index.get(data);
        if (i === undefined) continue; // a heartbeat ping
        delivered.set(data, (delivered.get(data) ?? 0) + 1);
        order.push(i);
      }
    }
    for (let i = 1; i < order.length; i++) {
      if ((order[i] ?? 0) <= (order[i - 1] ?? 0)) {
        this.note('sends', `delivered out of order: message ${order[i - 1]} before message ${order[i]}`);
        break;
      }
    }
    const unaccounted = (): Sent[] => {
      const dropped = (data: string): number => this.#drops.filter((d) => d === data).length;
      return this.#messages.filter((message) => !message.exempt && (delivered.get(message.text) ?? 0) + dropped(message.text) === 0);
    };
    const checkQueued = (when: string): Sent[] => {
      const queued = unaccounted();
      const bytes = queued.reduce((sum, message) => sum + message.bytes, 0);
      if (bytes !== this.ws.bufferedAmount) {
        this.note('sends', `${when}: bufferedAmount is ${this.ws.bufferedAmount}, but the messages neither delivered nor dropped (${queued.map((m) => JSON.stringify(m.text)).join(', ')}) make ${bytes} bytes`);
      }
      return queued;
    };
    for (const message of this.#messages) {
      if (message.exempt) continue;
      const d = delivered.get(message.text) ?? 0;
      const x = this.#drops.filter((data) => data === message.text).length;
      if (d > 1) this.note('sends', `${JSON.stringify(message.text)} delivered ${d} times`);
      if (d + x > 1) this.note('sends', `${JSON.stringify(message.text)} delivered ${d} times and dropped ${x} times`);
    }
    const queued = checkQueued('at the end');
    // Whatever is still queued must come out as drop events on dispose().
    const before = this.#drops.length;
    this.trace.push('#end dispose()');
    this.#call({ kind: 'dispose', sameTick: false });
    this.#checkpoint();
    const disposedDrops = this.#drops.slice(before);
    for (const message of queued) {
      const count = disposedDrops.filter((d) => d === message.text).length;
      if (count !== 1) this.note('sends', `${JSON.stringify(message.text)} was queued, and dispose() dropped it ${count} times`);
    }
    // A drop listener may send again: that message is queued after the dispose.
    checkQueued('after dispose()');
  }
}

async function runScenario(scenario: Scenario): Promise<World> {
  const world = new World(scenario);
  // A microtask that throws would escape every try/catch: catch it where it runs.
  const original = globalThis.queueMicrotask;
  globalThis.queueMicrotask = (callback) => {
    original(() => {
      try {
        callback();
      } catch (error) {
        world.note('noThrow', `a microtask threw ${String(error)}`);
      }
    });
  };
  try {
    await world.run();
    await drain();
  } finally {
    globalThis.queueMicrotask = original;
  }
  return world;
}

// ---- the properties ---------------------------------------------------------

/** Runs per property; raise it locally to search harder (`PROPERTY_RUNS=5000 npx vitest run ...`). */
const numRuns = Number(process.env.PROPERTY_RUNS ?? 200);

const variants = [
  { when: 'the application calls it from its own code', reentrant: false },
  { when: 'its listeners also call back into it (close() from onclose, reconnect() from onopen...)', reentrant: true },
];

for (const { when, reentrant } of variants) {
  describe(`the class under random network, page, clock and application actions, when ${when}`, () => {
    for (const [name, title] of Object.entries(properties) as [keyof typeof properties, string][]) {
      it(`should hold: ${title}`, async () => {
        await fc.assert(
          fc.asyncProperty(scenarioArb(reentrant), async (scenario) => {
            const world = await runScenario(scenario);
            const found = [...world.violations[name], ...world.violations.harness];
            if (found.length > 0) throw new Error(`${found.join('\n')}\n--- trace ---\n${world.trace.join('\n')}`);
          }),
          { numRuns },
        );
      });
    }
  });
}
