/**
 * Stand-in for src/core/heartbeat.ts in the "without the heartbeat"
 * variant: the same names, doing nothing.
 *
 * @module
 */

import type { HeartbeatStep } from '../../../src/core/heartbeat.js';

export type { HeartbeatActions, HeartbeatConfig, HeartbeatStep, Liveness } from '../../../src/core/heartbeat.js';

/** Never pings, never declares death. */
export function nextHeartbeatStep(): HeartbeatStep {
  return { kind: 'wait', untilMs: Infinity };
}

/** A heartbeat that never runs. */
export class HeartbeatMonitor {
  readonly lastPongAt: number | null = null;
  start(): void {}
  inbound(): boolean {
    return false;
  }
  check(): void {}
  probe(): void {}
  stop(): void {}
}
