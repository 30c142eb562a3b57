/**
 * The integration-test harness: real servers, clients built on the `ws`
 * package's WebSocket, and one place that tears them all down after each
 * test, whether it passed or not.
 *
 * @example
 * ```ts
 * const h = useHarness(); // at the top of a test file: registers afterEach
 * it('...', async () => {
 *   const server = await h.server();
 *   const client = h.client(server.url, { reconnect: fastReconnect });
 *   await nextEvent(client, 'open');
 * });
 * ```
 */

import { afterEach } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { ResilientWebSocket, type Clock, type ResilientWebSocketOptions, type WebSocketConstructor } from '../../src/index.js';
import { startBlackhole, type BlackholeServer } from './tcp-server.js';
import { startServer, type TestServer, type TestServerOptions } from './ws-server.js';

/**
 * The `ws` package's client class, passed as the `WebSocket` option. Typed
 * as the option's type to show that it fits without a cast.
 */
export const NodeWebSocket: WebSocketConstructor = WsWebSocket;

/** A backoff quick enough for real-time tests: every wait in [10, 200] ms. */
export const fastReconnect = { baseDelayMs: 50, minDelayMs: 10, maxDelayMs: 200 } as const;

/**
 * A clock whose time runs `speed` times faster than the wall clock: timers
 * fire after `delayMs / speed` real ms and `now()` advances `speed` ms per
 * real ms. The library sees (and reports) its real policy delays, e.g. the
 * 5 s floor of a 1008 retry, while the test waits a fraction of that.
 * Use it only where no other timer (heartbeat, connect timeout) must keep
 * real-time meaning, or scale those options up accordingly.
 */
export function warpedClock(speed: number): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    random: () => Math.random(),
    setTimeout: (callback, delayMs) => setTimeout(callback, delayMs / speed),
    clearTimeout: (handle) => {
      clearTimeout(handle as ReturnType<typeof setTimeout>);
    },
  };
}

export interface Harness {
  /** A controllable ws server on 127.0.0.1:0, closed after the test. */
  server(options?: TestServerOptions): Promise<TestServer>;
  /** A TCP server that never answers the upgrade, closed after the test. */
  blackhole(): Promise<BlackholeServer>;
  /** A ResilientWebSocket on the `ws` class, disposed after the test. */
  client(url: ConstructorParameters<typeof ResilientWebSocket>[0], options?: ResilientWebSocketOptions, protocols?: ConstructorParameters<typeof ResilientWebSocket>[1]): ResilientWebSocket;
  /** Runs `teardown` after the test (last registered, first run). */
  defer(teardown: () => unknown): void;
}

/**
 * Registers an `afterEach` that disposes every client and closes every
 * server created through the returned harness, in reverse order, even when
 * the test failed. Call once per test file, at the top level.
 */
export function useHarness(): Harness {
  const teardowns: (() => unknown)[] = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    // Bounded: teardowns registered during teardown run in a later afterEach, not here.
    for (const teardown of teardowns.splice(0).reverse()) {
      try {
        await teardown();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'integration-test teardown failed');
  });
  const defer = (teardown: () => unknown): void => {
    teardowns.push(teardown);
  };
  return {
    async server(options) {
      const server = await startServer(options);
      defer(() => server.close());
      return server;
    },
    async blackhole() {
      const server = await startBlackhole();
      defer(() => server.close());
      return server;
    },
    client(url, options = {}, protocols) {
      const client = new ResilientWebSocket(url, protocols, { WebSocket: NodeWebSocket, ...options });
      defer(() => client.dispose());
      return client;
    },
    defer,
  };
}
