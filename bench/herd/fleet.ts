/**
 * A fleet of real {@link ResilientWebSocket} instances (default options)
 * against one simulated server, on a simulated clock: every connection is
 * dropped at once, attempts fail while the server is down and open once it
 * is back. Returns when each client came back, relative to the server's
 * return.
 *
 * @module
 */
import { ResilientWebSocket, type ResilientWebSocketOptions, type WebSocketConstructor } from '../../src/index.js';
import { HeapClock } from './heap-clock.js';

/** How the fleet loses the server. */
export type FleetEvent =
  /** The server process dies: every socket closes with 1006, no close frame. */
  | 'crash'
  /** A deploy: the server closes every socket with 1001 (going away), then is down. */
  | 'deploy-1001'
  /** A deploy: the server closes every socket with 1012 (service restart), then is down. */
  | 'deploy-1012'
  /** Each client's own network blips (1006) while the server stays up: the lone-client case. */
  | 'blip';

/** One run of a fleet. */
export interface FleetScenario {
  readonly event: FleetEvent;
  /** How long after the drop the server accepts connections again (ignored for `blip`). */
  readonly outageMs: number;
  readonly clients: number;
  readonly seed: number;
  /** Options besides the simulated clock and socket; the defaults when absent. */
  readonly options?: ResilientWebSocketOptions;
}

/** What a run measured. */
export interface FleetResult {
  /** Per client that came back, the ms from the server's return to its `open`, ascending. */
  readonly backMs: Float64Array;
  /** Clients that had not come back when the run ended. */
  readonly neverBack: number;
  /** Every timer left once all clients were closed (should be 0). */
  readonly timersLeft: number;
}

/** A handshake's simulated duration, failed or successful (a refused TCP connect, or a short TLS handshake). */
export const handshakeMs = 20;
/** How long the fleet is connected before the drop: longer than `stableAfterMs`, so every retry counter is fresh. */
const settleMs = 60_000;
/** How long after the server's return the run gives up on the stragglers. */
const horizonMs = 120_000;

const dropCodes: Record<FleetEvent, number> = { crash: 1006, 'deploy-1001': 1001, 'deploy-1012': 1012, blip: 1006 };

/** Runs one scenario to the end: every client back, or the horizon reached. */
export async function runFleet(scenario: FleetScenario): Promise<FleetResult> {
  const { clients, event } = scenario;
  const clock = new HeapClock(scenario.seed);
  const dropAt = settleMs;
  const backAt = event === 'blip' ? dropAt : dropAt + scenario.outageMs;
  const live = new Set<SimulatedSocket>();

  /** An in-memory socket: the handshake resolves after {@link handshakeMs}, depending on the server at the attempt. */
  class SimulatedSocket {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readonly url: string;
    readyState = 0;
    protocol = '';
    extensions = '';
    binaryType = 'blob';
    bufferedAmount = 0;
    // The library reads only the fields of an event: plain objects spare the fleet a million Event constructions.
    onopen: ((event: object) => void) | null = null;
    onmessage: ((event: object) => void) | null = null;
    onerror: ((event: object) => void) | null = null;
    onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;

    constructor(url: string) {
      this.url = url;
      const up = clock.now() < dropAt || clock.now() >= backAt;
      clock.setTimeout(() => {
        if (this.readyState !== 0) return;
        if (!up) {
          this.onerror?.({ type: 'error' });
          this.end(1006, '', false);
          return;
        }
        this.readyState = 1;
        live.add(this);
        this.onopen?.({ type: 'open' });
      }, handshakeMs);
    }

    send(): void {}

    close(code = 1000, reason = ''): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      clock.setTimeout(() => this.end(code, reason, true), 0);
    }

    /** The connection ends with this close event. */
    end(code: number, reason: string, wasClean: boolean): void {
      if (this.readyState === 3) return;
      this.readyState = 3;
      live.delete(this);
      this.onclose?.({ code, reason, wasClean });
    }
  }

  const backMs = new Float64Array(clients).fill(Number.NaN);
  let back = 0;
  const sockets: ResilientWebSocket[] = [];
  const Impl = SimulatedSocket as unknown as WebSocketConstructor;
  for (let i = 0; i < clients; i++) {
    const socket = new ResilientWebSocket('ws://fleet.test/', undefined, { ...scenario.options, WebSocket: Impl, clock });
    socket.addEventListener('open', () => {
      if (clock.now() <= dropAt || !Number.isNaN(backMs[i]!)) return;
      backMs[i] = clock.now() - backAt;
      back++;
    });
    sockets.push(socket);
  }
  await clock.runUntil(dropAt - 1);

  clock.setTimeout(() => {
    const code = dropCodes[event];
    for (const socket of [...live]) socket.end(code, code === 1006 ? '' : 'server going down', code !== 1006);
  }, 1);
  await clock.runUntil(backAt + horizonMs, () => back === clients);

  for (const socket of sockets) socket.dispose();
  await clock.runUntil(clock.now() + 1);
  const times = backMs.filter((ms) => !Number.isNaN(ms)).sort();
  return { backMs: times, neverBack: clients - times.length, timersLeft: clock.pending() };
}
