/**
 * Liveness: when to ping, and when a silent connection is dead.
 *
 * Browsers cannot send protocol-level pings, and a half-open TCP connection
 * never fires `close`, so an application-level heartbeat is the only way to
 * notice one. The deadline is a pure function of timestamps
 * ({@link nextHeartbeatStep}), re-checked against the clock whenever a timer
 * fires or the page comes back, because hidden tabs throttle timers to once
 * a minute. Inbound traffic only records a timestamp: no timer is touched
 * per message.
 *
 * @module
 */

import { Timer, type Clock } from './clock.js';
import type { SendData } from './buffer.js';

/** A fully-defaulted heartbeat configuration. */
export interface HeartbeatConfig {
  /**
   * `active` sends `message` after `intervalMs` of inbound silence and
   * expects any inbound message within `timeoutMs`; `passive` sends nothing
   * and declares the connection dead after `intervalMs + timeoutMs` of
   * silence (for servers that ping on their own).
   */
  readonly mode: 'active' | 'passive';
  /** Inbound silence, in ms, before a ping goes out. */
  readonly intervalMs: number;
  /** How long, in ms, to wait for any inbound message after a ping. */
  readonly timeoutMs: number;
  /** The ping to send. A function is called for each ping. */
  readonly message: SendData | (() => SendData);
  /** Whether an inbound message is a pong (kept from `message` listeners). */
  readonly isPong: (data: unknown) => boolean;
}

/** The timestamps liveness is judged from. */
export interface Liveness {
  /** When the last inbound message (or `open`) arrived. */
  readonly lastInboundAt: number;
  /** When the last ping went out, or `null` if none has yet. */
  readonly pingSentAt: number | null;
}

/** What the heartbeat should do now. */
export type HeartbeatStep =
  | { readonly kind: 'ping' }
  | { readonly kind: 'dead'; readonly silentMs: number }
  | { readonly kind: 'wait'; readonly untilMs: number };

/**
 * The next heartbeat step at time `now`. A ping is outstanding while no
 * inbound message has arrived since it was sent.
 */
export function nextHeartbeatStep(liveness: Liveness, now: number, config: HeartbeatConfig): HeartbeatStep {
  const { lastInboundAt, pingSentAt } = liveness;
  if (config.mode === 'passive') {
    const deadline = lastInboundAt + config.intervalMs + config.timeoutMs;
    return now >= deadline ? { kind: 'dead', silentMs: now - lastInboundAt } : { kind: 'wait', untilMs: deadline };
  }
  if (pingSentAt !== null && pingSentAt > lastInboundAt) {
    const deadline = pingSentAt + config.timeoutMs;
    return now >= deadline ? { kind: 'dead', silentMs: now - lastInboundAt } : { kind: 'wait', untilMs: deadline };
  }
  const pingAt = lastInboundAt + config.intervalMs;
  return now >= pingAt ? { kind: 'ping' } : { kind: 'wait', untilMs: pingAt };
}

/**
 * What a {@link HeartbeatMonitor} asks its owner to do. One object can
 * serve every monitor: each call receives the monitor's `owner`.
 */
export interface HeartbeatActions<Owner = undefined> {
  /** Send this ping now. */
  ping(message: SendData, owner: Owner): void;
  /** The connection is dead: `silentMs` without any inbound message. */
  dead(silentMs: number, owner: Owner): void;
}

/**
 * Runs one connection's heartbeat with a single timer, re-armed lazily: the
 * timer fires at the next deadline, and only then looks at what arrived.
 */
export class HeartbeatMonitor<Owner = undefined> {
  readonly #config: HeartbeatConfig;
  readonly #clock: Clock;
  readonly #actions: HeartbeatActions<Owner>;
  readonly #owner: Owner;
  readonly #timer: Timer;
  #lastInboundAt = 0;
  #pingSentAt: number | null = null;
  #lastPongAt: number | null = null;
  #running = false;

  /**
   * @param config - intervals and messages
   * @param clock - time and timers
   * @param actions - how to ping and what to do on death
   * @param owner - passed back to each action
   */
  constructor(config: HeartbeatConfig, clock: Clock, actions: HeartbeatActions<Owner>, ...[owner]: Owner extends undefined ? [owner?: Owner] : [owner: Owner]) {
    this.#config = config;
    this.#clock = clock;
    this.#actions = actions;
    this.#owner = owner as Owner;
    this.#timer = new Timer(clock);
  }

  /** When the last pong arrived, or `null`. */
  get lastPongAt(): number | null {
    return this.#lastPongAt;
  }

  /** Starts watching a freshly opened connection. */
  start(): void {
    this.#running = true;
    this.#lastInboundAt = this.#clock.now();
    this.#pingSentAt = null;
    this.#lastPongAt = null;
    this.check();
  }

  /**
   * Records inbound traffic; returns whether `data` is a pong that should
   * not reach `message` listeners. The hot path: no timer is touched, except
   * by a pong (one per interval).
   */
  inbound(data: unknown, now: number): boolean {
    this.#lastInboundAt = now;
    if (this.#config.mode === 'active' && this.#config.isPong(data)) {
      this.#lastPongAt = now;
      // Once per interval, not per message: move the timer from the pong deadline to the next ping,
      // so an idle connection wakes once per cycle.
      this.check();
      return true;
    }
    return false;
  }

  /** Re-evaluates the deadline now: pings, declares death, or re-arms the timer. */
  check(): void {
    if (!this.#running) return;
    const now = this.#clock.now();
    const step = nextHeartbeatStep({ lastInboundAt: this.#lastInboundAt, pingSentAt: this.#pingSentAt }, now, this.#config);
    if (step.kind === 'wait') {
      this.#timer.start(step.untilMs - now, () => {
        this.check();
      });
    } else if (step.kind === 'ping') {
      this.#ping(now);
    } else {
      this.stop();
      this.#actions.dead(step.silentMs, this.#owner);
    }
  }

  /**
   * Checks the deadline now and, in active mode, sends a ping unless one is
   * outstanding: used when the page becomes visible or the network returns,
   * when a connection may have died unseen.
   */
  probe(): void {
    this.check();
    if (!this.#running || this.#config.mode === 'passive') return;
    if (this.#pingSentAt === null || this.#pingSentAt <= this.#lastInboundAt) this.#ping(this.#clock.now());
  }

  /** Stops the timer; nothing is pending afterwards. */
  stop(): void {
    this.#running = false;
    this.#timer.stop();
  }

  #ping(now: number): void {
    this.#pingSentAt = now;
    const { message } = this.#config;
    this.#actions.ping(typeof message === 'function' ? message() : message, this.#owner);
    // The owner may have stopped us from inside ping() (the send failed).
    if (this.#running) this.check();
  }
}
