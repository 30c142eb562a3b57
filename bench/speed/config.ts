/**
 * What the speed benchmark measures, and how much of it: the full run and
 * the `--quick` smoke run.
 *
 * @module
 */

import type { SocketSpec } from './page/protocol.js';

/** One socket configuration under test. */
export interface Variant {
  /** Short key, used in results. */
  readonly id: 'native' | 'ours' | 'heartbeat';
  /** Column heading. */
  readonly label: string;
  /** How the page constructs it for the speed and memory measurements. */
  readonly socket: SocketSpec;
  /** How the page constructs it for the idle-timer measurement. */
  readonly idleSocket: SocketSpec;
}

/** The heartbeat used in the idle measurement: the defaults (25 s, 10 s) divided by this, so that a short window sees several cycles. */
export const idleHeartbeatScale = 10;

/** The default heartbeat interval and timeout of the library, in ms (see README, options). */
export const defaultHeartbeat = { intervalMs: 25_000, timeoutMs: 10_000 } as const;

/** The variants, the native socket first (it is the reference of every ratio). */
export const variants: readonly Variant[] = [
  { id: 'native', label: 'native WebSocket', socket: { kind: 'native' }, idleSocket: { kind: 'native' } },
  { id: 'ours', label: 'ResilientWebSocket, defaults', socket: { kind: 'ours' }, idleSocket: { kind: 'ours' } },
  {
    id: 'heartbeat',
    label: 'ResilientWebSocket, { heartbeat: true }',
    socket: { kind: 'ours', options: { heartbeat: true } },
    idleSocket: {
      kind: 'ours',
      options: {
        heartbeat: {
          intervalMs: defaultHeartbeat.intervalMs / idleHeartbeatScale,
          timeoutMs: defaultHeartbeat.timeoutMs / idleHeartbeatScale,
        },
      },
    },
  },
];

/** The sizes of one run. */
export interface BenchConfig {
  readonly name: 'full' | 'quick';
  /** Repetitions of the paired throughput, latency and open measurements (one fresh page each). */
  readonly reps: number;
  /** Small text messages, pipelined. */
  readonly small: { readonly count: number; readonly size: number };
  /** Binary messages, pipelined. */
  readonly binary: { readonly count: number; readonly size: number };
  /** Sequential round trips. */
  readonly roundTrips: number;
  /** Opens timed per variant and repetition, and the pause before each. */
  readonly opens: { readonly count: number; readonly gapMs: number };
  /** Connections held open for the heap measurement, and its repetitions (one fresh page per variant each). */
  readonly heap: { readonly connections: number; readonly reps: number };
  /** Connections per variant left idle, and for how long timers are counted. */
  readonly idle: { readonly connections: number; readonly windowMs: number };
  /** A warm-up run per variant before each repetition (not recorded). */
  readonly warmup: { readonly small: number; readonly binary: number; readonly roundTrips: number };
}

/** The full run: about 6 minutes on a 2-core VM. */
export const fullConfig: BenchConfig = {
  name: 'full',
  // Two whole cycles of the rotating, reversing order (see orderFor).
  reps: 12,
  small: { count: 100_000, size: 32 },
  binary: { count: 2_000, size: 64 * 1024 },
  roundTrips: 5_000,
  opens: { count: 20, gapMs: 25 },
  heap: { connections: 200, reps: 3 },
  idle: { connections: 20, windowMs: 15_000 },
  warmup: { small: 5_000, binary: 100, roundTrips: 300 },
};

/** The smoke run: every measurement, smaller, about a minute. */
export const quickConfig: BenchConfig = {
  name: 'quick',
  reps: 2,
  small: { count: 20_000, size: 32 },
  binary: { count: 300, size: 64 * 1024 },
  roundTrips: 1_000,
  opens: { count: 8, gapMs: 25 },
  heap: { connections: 50, reps: 1 },
  idle: { connections: 10, windowMs: 6_000 },
  warmup: { small: 2_000, binary: 30, roundTrips: 100 },
};
