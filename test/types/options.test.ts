/**
 * The types of the options: the shapes that compile, and mistakes that
 * must not (`@ts-expect-error`), each also rejected at run time by the
 * validation, so types and behaviour agree.
 */

import { WebSocket as NodeWebSocket } from 'ws';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ResilientWebSocket,
  defaults,
  type BufferOptions,
  type HeartbeatOptions,
  type ReconnectOptions,
  type ResilientWebSocketOptions,
  type WebSocketConstructor,
} from '../../src/index.js';
import { FakeSocket } from '../class/fake-socket.js';
import { idleSocket, typeOnly } from './support.js';

const url = 'ws://127.0.0.1:9/';

describe('option shapes that compile', () => {
  it('should take each group as a boolean or an object', () => {
    const ws = idleSocket({ heartbeat: { intervalMs: 1000 }, reconnect: { maxRetries: 3 } });
    expect(ws.readyState).toBe(ResilientWebSocket.CONNECTING);
    const all = {
      WebSocket: FakeSocket,
      reconnect: { strategy: 'full-jitter', baseDelayMs: 500, minDelayMs: 100, maxDelayMs: 5000, maxRetries: Infinity, maxElapsedMs: 60_000, stableAfterMs: 5000 },
      heartbeat: { mode: 'active', intervalMs: 1000, timeoutMs: 500, message: () => '{"type":"ping"}', isPong: (data) => data === '{"type":"pong"}' },
      buffer: { maxMessages: 10, maxBytes: 1024, overflow: 'drop-newest' },
      connectTimeoutMs: false,
      policy: { codes: { 4001: 'stop', 4002: { action: 'reconnect', maxRetries: 2 } }, classes: { 'try-again-later': 'reconnect' } },
      environment: false,
      historySize: 5,
    } satisfies ResilientWebSocketOptions;
    expect(idleSocket(all).readyState).toBe(ResilientWebSocket.CONNECTING);
    expect(idleSocket({ reconnect: true, heartbeat: false, buffer: false }).readyState).toBe(ResilientWebSocket.CONNECTING);
  });

  it("should accept the ws package's class and the platform's as the WebSocket option", () => {
    expectTypeOf(NodeWebSocket).toExtend<WebSocketConstructor>();
    expectTypeOf<typeof WebSocket>().toExtend<WebSocketConstructor>();
    expectTypeOf<ResilientWebSocketOptions['WebSocket']>().toEqualTypeOf<WebSocketConstructor | undefined>();
  });

  it('should accept providers for the URL and the protocols', () => {
    const ws = new ResilientWebSocket(async () => Promise.resolve(url), () => ['v1'], { WebSocket: FakeSocket, reconnect: false, connectTimeoutMs: false, environment: false });
    ws.dispose();
    expectTypeOf<ConstructorParameters<typeof ResilientWebSocket>[0]>().toExtend<string | URL | (() => string | URL | Promise<string | URL>)>();
    expect(ws.readyState).toBe(ResilientWebSocket.CLOSED);
  });

  it('should type the defaults as literals', () => {
    expectTypeOf(defaults.heartbeat.intervalMs).toEqualTypeOf<25_000>();
    expectTypeOf(defaults.reconnect.maxRetries).toEqualTypeOf<number>();
    expect(defaults.heartbeat.intervalMs).toBe(25_000);
  });
});

describe('option mistakes that must not compile', () => {
  /** Constructs with `options` (typed loosely by the caller) and returns what was thrown. */
  const thrownBy = (make: () => unknown): unknown => {
    try {
      make();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('should reject a misspelt option name', () => {
    const error = thrownBy(
      () =>
        new ResilientWebSocket(url, [], {
          WebSocket: FakeSocket,
          // @ts-expect-error -- the option is intervalMs
          heartbeat: { interval: 1000 },
        }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toMatch(/interval/);
  });

  it('should reject an option of the wrong type', () => {
    // @ts-expect-error -- maxRetries is a number
    expect(thrownBy(() => new ResilientWebSocket(url, [], { WebSocket: FakeSocket, reconnect: { maxRetries: '3' } }))).toBeInstanceOf(TypeError);
    // @ts-expect-error -- connectTimeoutMs is a number or false
    expect(thrownBy(() => new ResilientWebSocket(url, [], { WebSocket: FakeSocket, connectTimeoutMs: true }))).toBeInstanceOf(TypeError);
    // @ts-expect-error -- mode is 'active' or 'passive'
    expect(thrownBy(() => new ResilientWebSocket(url, [], { WebSocket: FakeSocket, heartbeat: { mode: 'sometimes' } }))).toBeInstanceOf(TypeError);
    // @ts-expect-error -- overflow is one of the OverflowPolicy values
    expect(thrownBy(() => new ResilientWebSocket(url, [], { WebSocket: FakeSocket, buffer: { overflow: 'drop-all' } }))).toBeInstanceOf(TypeError);
    // @ts-expect-error -- a group is a boolean or an object
    expect(thrownBy(() => new ResilientWebSocket(url, [], { WebSocket: FakeSocket, reconnect: 'yes' }))).toBeInstanceOf(TypeError);
  });

  it('should reject a WebSocket option that is not a WebSocket class', () => {
    // @ts-expect-error -- an instance is not a class
    expect(thrownBy(() => new ResilientWebSocket(url, [], { WebSocket: new FakeSocket(url) }))).toBeInstanceOf(TypeError);
    typeOnly(() => {
      // @ts-expect-error -- a class without send/close/readyState does not fit WebSocketLike
      new ResilientWebSocket(url, [], { WebSocket: class { readonly kind = 'not a socket'; } });
    });
  });

  it('should keep the option groups read-only', () => {
    expectTypeOf<ReconnectOptions>().toEqualTypeOf<Readonly<ReconnectOptions>>();
    expectTypeOf<HeartbeatOptions>().toEqualTypeOf<Readonly<HeartbeatOptions>>();
    expectTypeOf<BufferOptions>().toEqualTypeOf<Readonly<BufferOptions>>();
    expectTypeOf<ResilientWebSocketOptions>().toEqualTypeOf<Readonly<ResilientWebSocketOptions>>();
  });
});
