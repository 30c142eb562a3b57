/**
 * Helpers for the type tests. Their assertions are checked by `tsc`
 * (`npm run typecheck`: `expectTypeOf` and `// @ts-expect-error`); at run
 * time they are ordinary vitest tests on a socket that never connects.
 *
 * @module
 */

import { afterEach } from 'vitest';
import { ResilientWebSocket, type ResilientWebSocketOptions } from '../../src/index.js';
import { FakeSocket } from '../class/fake-socket.js';

const live: ResilientWebSocket[] = [];

afterEach(() => {
  for (const ws of live.splice(0)) ws.dispose();
});

/**
 * A socket over a {@link FakeSocket} that stays connecting (no reconnect,
 * no timeout, no environment), disposed after the test. Any `options`
 * are merged over those.
 */
export function idleSocket(options: ResilientWebSocketOptions = {}): ResilientWebSocket {
  const ws = new ResilientWebSocket('ws://127.0.0.1:9/', [], { WebSocket: FakeSocket, reconnect: false, connectTimeoutMs: false, environment: false, ...options });
  live.push(ws);
  return ws;
}

/**
 * Compile-time only: `tsc` checks `body`, which never runs. For lines that
 * would have effects at run time (sending a number, constructing without
 * a WebSocket).
 */
export const typeOnly: (body: () => void) => void = () => undefined;
