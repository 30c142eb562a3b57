/**
 * A driver for the pure state machine: it keeps the machine, a clock that
 * only moves when told, a seeded random source and the online/visible
 * values, and feeds events to `transition` one at a time.
 */

import { normalizeOptions, type ResilientWebSocketOptions } from '../../src/core/options.js';
import {
  initialMachine,
  transition,
  type EndedSocket,
  type Effect,
  type Machine,
  type MachineEvent,
  type State,
  type Transition,
  type TransitionContext,
} from '../../src/core/state-machine.js';
import { seededRandom } from './random.js';

export { seededRandom };


/** What the class would report for a socket that ended; a 1006 handshake failure unless overridden. */
export function endedSocket(overrides: Partial<EndedSocket> = {}): EndedSocket {
  const code = overrides.code ?? 1006;
  return {
    code,
    reason: '',
    wasClean: code !== 1006,
    openedAt: null,
    lastInboundAt: overrides.openedAt ?? null,
    lastPongAt: null,
    errorFirst: false,
    url: 'wss://example.test/live?token=secret',
    ...overrides,
  };
}

/** The effect types of a transition, in order. */
export function effectTypes(effects: readonly Effect[]): string[] {
  return effects.map((effect) => effect.type);
}

/** The one effect of type `type`, narrowed; fails when there is none or several. */
export function only<T extends Effect['type']>(effects: readonly Effect[], type: T): Extract<Effect, { type: T }> {
  const found = effects.filter((effect): effect is Extract<Effect, { type: T }> => effect.type === type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type} effect, got ${found.length}: ${effectTypes(effects).join(', ')}`);
  return found[0] as Extract<Effect, { type: T }>;
}

/** The socket id a state holds, or `null` when it holds none. */
export function socketOf(state: State): number | null {
  return state.status === 'connecting' || state.status === 'open' || state.status === 'closing' ? state.socket : null;
}

export interface DriverSettings {
  readonly now?: number;
  readonly seed?: number;
  readonly online?: boolean | null;
  readonly visible?: boolean | null;
  /** The page's origin (`Environment.origin`); none by default, as in Node. */
  readonly origin?: string | null;
}

/** Feeds events to the machine with a controlled clock and environment. */
export class MachineDriver {
  readonly options: ReturnType<typeof normalizeOptions>;
  machine: Machine;
  now: number;
  online: boolean | null;
  visible: boolean | null;
  origin: string | null;
  random: () => number;
  /** When the current socket opened, as the class would measure it. */
  openedAt: number | null = null;

  constructor(options: ResilientWebSocketOptions = {}, settings: DriverSettings = {}) {
    this.options = normalizeOptions(options);
    this.now = settings.now ?? 0;
    this.online = settings.online ?? true;
    this.visible = settings.visible ?? true;
    this.origin = settings.origin ?? null;
    this.random = seededRandom(settings.seed ?? 1);
    this.machine = initialMachine(this.now);
  }

  get state(): State {
    return this.machine.state;
  }

  /** The id of the socket the state holds; fails when it holds none. */
  get socket(): number {
    const socket = socketOf(this.state);
    if (socket === null) throw new Error(`no socket in status ${this.state.status}`);
    return socket;
  }

  context(): TransitionContext {
    return { options: this.options, now: this.now, random: this.random, online: this.online, visible: this.visible, origin: this.origin };
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  dispatch(event: MachineEvent): Transition {
    const result = transition(this.machine, event, this.context());
    this.machine = result.machine;
    return result;
  }

  connect(): Transition {
    return this.dispatch({ type: 'connect' });
  }

  opened(socket = this.socket): Transition {
    const result = this.dispatch({ type: 'opened', socket });
    if (this.state.status === 'open') this.openedAt = this.now;
    return result;
  }

  /** The current socket ends with `code`; `openedAt` defaults to when it opened (null for a handshake failure). */
  end(code = 1006, overrides: Partial<EndedSocket> = {}, socket: number | null = this.socket): Transition {
    const openedAt = this.state.status === 'open' ? this.openedAt : null;
    return this.dispatch({ type: 'ended', socket, ended: endedSocket({ code, openedAt, ...overrides }) });
  }

  closeDispatched(prevented = false): Transition {
    return this.dispatch({ type: 'close-dispatched', prevented });
  }

  waitElapsed(): Transition {
    if (this.state.status === 'waiting' && this.state.paused === null) this.now = Math.max(this.now, this.state.until);
    return this.dispatch({ type: 'wait-elapsed' });
  }

  close(code?: number, reason = ''): Transition {
    return this.dispatch({ type: 'close', code, reason });
  }

  dispose(): Transition {
    return this.dispatch({ type: 'dispose' });
  }

  /** An environment signal; `live` is what the class measured on the open socket (it passes it with pagehide). */
  signal(signal: Extract<MachineEvent, { type: 'signal' }>['signal'], live?: EndedSocket): Transition {
    return this.dispatch({ type: 'signal', signal, ...(live ? { live } : {}) });
  }

  /** Connects and opens: status `open`. */
  toOpen(): this {
    if (this.state.status !== 'connecting') this.connect();
    this.opened();
    return this;
  }

  /** From `connecting` or `open`: the socket ends, the close event is dispatched, and the machine waits. */
  toWaiting(code = 1006, overrides: Partial<EndedSocket> = {}): this {
    this.end(code, overrides);
    this.closeDispatched(false);
    return this;
  }
}

// ---- a model of the class, for property tests over random event sequences ----

/** What a user of the socket does: `reconnect()`, `close()`, `dispose()` (possibly from inside a close listener). */
export type UserAction =
  | { readonly kind: 'connect' }
  | { readonly kind: 'close'; readonly code: number | undefined; readonly reason: string }
  | { readonly kind: 'dispose' };

/** What the outside world does: the socket, the wait timer, the page and the network. */
export type WorldAction =
  | { readonly kind: 'opened'; readonly stale: boolean; readonly staleId: number }
  | { readonly kind: 'ended'; readonly stale: boolean; readonly staleId: number; readonly code: number; readonly libraryCause: EndedSocket['libraryCause'] }
  | { readonly kind: 'wait-elapsed' }
  | { readonly kind: 'signal'; readonly signal: Extract<MachineEvent, { type: 'signal' }>['signal'] };

export interface Step {
  /** How far the clock moves before the action. */
  readonly advanceMs: number;
  readonly online: boolean | null;
  readonly visible: boolean | null;
  /** Whether a close listener calls `preventDefault()` if a close event is dispatched before this action. */
  readonly prevented: boolean;
  readonly action: UserAction | WorldAction;
}

/** What the model tracks of the class's resources, after each transition. */
export interface Resources {
  /** Sockets opened by an `open-socket` effect and neither ended nor detached since. */
  readonly live: readonly number[];
  /** The most sockets live at once while this transition's effects ran (an `open-socket` beside a live one counts 2). */
  readonly maxLive: number;
  readonly heartbeat: boolean;
  readonly listening: boolean;
  readonly waitTimer: boolean;
}

export interface TraceRecord {
  readonly event: MachineEvent;
  /** Whether the event came from a socket the class no longer holds (a stale attempt id). */
  readonly stale: boolean;
  readonly before: Machine;
  readonly after: Machine;
  readonly effects: readonly Effect[];
  readonly now: number;
  readonly resources: Resources;
}

const userKinds = new Set(['connect', 'close', 'dispose']);

/**
 * Connects, then runs `steps` against the machine the way the class would deliver them:
 * `close-dispatched` right after a close event unless a listener (a user
 * action) changed the machine, deferred events before the next world event,
 * `wait-elapsed` only while the wait timer runs, and socket events only for
 * the live socket (or, when `stale`, for an id the class no longer holds).
 * Returns every transition with the resources the effects left behind.
 */
export function runScenario(options: ResilientWebSocketOptions, seed: number, steps: readonly Step[]): TraceRecord[] {
  const driver = new MachineDriver(options, { seed });
  const records: TraceRecord[] = [];
  let live: number[] = [];
  const openedAt = new Map<number, number>();
  let heartbeat = false;
  let listening = false;
  let waitUntil: number | null = null;
  const deferred: MachineEvent[] = [];
  let pendingDispatch: Machine | null = null;

  const apply = (event: MachineEvent, stale = false): void => {
    const before = driver.machine;
    const { machine, effects } = driver.dispatch(event);
    let maxLive = live.length;
    for (const effect of effects) {
      switch (effect.type) {
        case 'open-socket':
          live = [...live, effect.socket];
          maxLive = Math.max(maxLive, live.length);
          break;
        case 'detach-socket':
          live = [];
          break;
        case 'start-wait':
          waitUntil = driver.now + effect.delayMs;
          break;
        case 'cancel-wait':
          waitUntil = null;
          break;
        case 'heartbeat':
          if (effect.action !== 'probe') heartbeat = effect.action === 'start';
          break;
        case 'environment':
          listening = effect.listen;
          break;
        case 'defer':
          deferred.push(effect.event);
          break;
        case 'emit-close':
          if (effect.thenDispatch) pendingDispatch = machine;
          break;
        default:
          break;
      }
    }
    if (event.type === 'ended' && event.socket !== null && !stale) live = live.filter((id) => id !== event.socket);
    if (event.type === 'opened' && !stale && machine.state.status === 'open') openedAt.set(event.socket, driver.now);
    records.push({ event, stale, before, after: machine, effects, now: driver.now, resources: { live, maxLive, heartbeat, listening, waitTimer: waitUntil !== null } });
  };

  /** What the class does synchronously after a close event, then the microtasks it queued. */
  const settle = (prevented: boolean): void => {
    for (let guard = 0; guard < 100 && (pendingDispatch !== null || deferred.length > 0); guard++) {
      if (pendingDispatch !== null) {
        const stillCurrent = pendingDispatch === driver.machine;
        pendingDispatch = null;
        if (stillCurrent) apply({ type: 'close-dispatched', prevented });
      } else {
        apply(deferred.shift()!);
      }
    }
  };

  // The class connects in its constructor.
  apply({ type: 'connect' });
  for (const step of steps) {
    driver.now += step.advanceMs;
    driver.online = step.online;
    driver.visible = step.visible;
    const { action } = step;
    if (userKinds.has(action.kind)) {
      // A user call, possibly from inside a close listener: a pending close-dispatched
      // still follows (in settle) only if the call left the machine as it was.
      if (action.kind === 'connect') apply({ type: 'connect' });
      else if (action.kind === 'close') apply({ type: 'close', code: action.code, reason: action.reason });
      else apply({ type: 'dispose' });
      continue;
    }
    settle(step.prevented);
    switch (action.kind) {
      case 'opened':
      case 'ended': {
        const current = live[0];
        if (!action.stale && current === undefined) break; // no socket to hear from
        const stale = action.stale || current === undefined;
        const socket = stale ? (live.includes(action.staleId) ? action.staleId + 1000 : action.staleId) : current;
        if (action.kind === 'opened') {
          if (!stale && openedAt.has(socket)) break; // a socket opens once
          apply({ type: 'opened', socket }, stale);
        } else {
          const ended = endedSocket({ code: action.code, openedAt: openedAt.get(socket) ?? null, ...(action.libraryCause ? { libraryCause: action.libraryCause } : {}) });
          apply({ type: 'ended', socket, ended }, stale);
        }
        break;
      }
      case 'wait-elapsed':
        if (waitUntil === null) break; // the class only hears a timer it started
        driver.now = Math.max(driver.now, waitUntil);
        waitUntil = null;
        apply({ type: 'wait-elapsed' });
        break;
      case 'signal': {
        // Like the class, hand the machine what was measured on the live socket with a pagehide.
        const current = live[0];
        const measured = action.signal === 'pagehide' && current !== undefined ? { live: endedSocket({ code: 1001, openedAt: openedAt.get(current) ?? null }) } : {};
        apply({ type: 'signal', signal: action.signal, ...measured });
        break;
      }
      default:
        break;
    }
  }
  settle(false);
  return records;
}
