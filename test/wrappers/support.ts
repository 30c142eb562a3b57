/**
 * What the wrapper tests share: a `ws` client class that counts its
 * constructions and live connections, and the Node timers left pending.
 */

import { WebSocket as WsWebSocket } from 'ws';
import type { WebSocketConstructor } from '../../src/index.js';

/** A counting subclass of `ws`'s client, passed as the `WebSocket` option. */
export interface CountingWebSocket {
  /** The class to pass as the `WebSocket` option. */
  readonly WebSocket: WebSocketConstructor;
  /** Every native socket constructed, in order. */
  readonly constructed: readonly WsWebSocket[];
  /** When each was constructed and when each opened (`Date.now()`), by index. */
  readonly constructedAt: readonly number[];
  readonly openedAt: readonly (number | undefined)[];
  /** How many of them are not CLOSED. */
  live(): number;
}

/** Makes a {@link CountingWebSocket}. */
export function countingWebSocket(): CountingWebSocket {
  const constructed: WsWebSocket[] = [];
  const constructedAt: number[] = [];
  const openedAt: (number | undefined)[] = [];
  class Counting extends WsWebSocket {
    constructor(...args: ConstructorParameters<typeof WsWebSocket>) {
      super(...args);
      const index = constructed.push(this) - 1;
      constructedAt[index] = Date.now();
      this.once('open', () => (openedAt[index] = Date.now()));
    }
  }
  return {
    WebSocket: Counting,
    constructed,
    constructedAt,
    openedAt,
    live: () => constructed.filter((socket) => socket.readyState !== WsWebSocket.CLOSED).length,
  };
}

/** How many Node timers (`setTimeout`/`setInterval`) are pending now. */
export function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

/**
 * How long a test waits for a closing handshake on loopback to reach the server: far above what it
 * takes (a few ms), so a busy machine does not fail the test, and far below a close that waits for
 * something it should not (a reconnect delay, a heartbeat round).
 */
export const closeWithinMs = 3_000;

/** Resolves after the next macrotask: a grace tick has passed. */
export function nextTick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The error a wrapper throws for a bad option of its own: a `TypeError` with the socket's option-error code. */
export function optionError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_OPTION' });
}
