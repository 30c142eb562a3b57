import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket } from '../../src/index.js';
import { fakeSockets } from './fake-socket.js';
import { LATENCY_MS, advance, advancePastWait, cleanup, connect, record, startServer, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

describe('connect timeout', () => {
  it('should abandon a handshake that never completes after connectTimeoutMs, then retry', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://hanging.test/', [], { WebSocket: sockets.Impl, environment: false, connectTimeoutMs: 3_000 }));
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    const first = sockets.latest();

    await advance(2_999);
    expect(closes).toHaveLength(0);
    expect(first.closeCalls).toHaveLength(0);

    await advance(1);
    expect(closes).toHaveLength(1);
    const close = closes[0]!;
    expect([close.code, close.reason, close.wasClean]).toEqual([1006, 'connect timeout', false]);
    expect(close.report).toMatchObject({ libraryCause: 'connect-timeout', initiator: 'library', phase: 'handshake' });
    // Abandoned at once: closed best-effort and detached, without waiting for its close event.
    expect(first.closeCalls).toEqual([{ code: 4000, reason: 'connect timeout' }]);
    expect(first.onopen).toBeNull();
    expect(first.onclose).toBeNull();
    expect(reconnecting).toHaveLength(1);

    await advancePastWait(reconnecting[0]!.delayMs);
    expect(sockets.instances).toHaveLength(2);
    sockets.latest().accept();
    expect(ws.state).toBe('open');
    expect(closes).toHaveLength(1);
  });

  it('should complete a close() of a hung handshake by connectTimeoutMs at the latest', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://hanging.test/', [], { WebSocket: sockets.Impl, environment: false, connectTimeoutMs: 3_000 }));
    const closes = record(ws, 'close');
    await advance(1_000);
    ws.close(1000, 'bye');
    expect(sockets.latest().closeCalls).toEqual([{ code: 1000, reason: 'bye' }]);
    expect(ws.readyState).toBe(ws.CLOSING);
    await advance(2_000); // the native socket never reports its close
    expect(closes.map((event) => [event.code, event.wasClean])).toEqual([[1006, false]]);
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(sockets.instances).toHaveLength(1);
  });

  it('should not fire once the socket has opened', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://slow.test/', [], { WebSocket: sockets.Impl, environment: false, connectTimeoutMs: 3_000 }));
    const closes = record(ws, 'close');
    await advance(2_000);
    sockets.latest().accept();
    expect(vi.getTimerCount()).toBe(0);
    await advance(10_000);
    expect(closes).toHaveLength(0);
    expect(ws.state).toBe('open');
  });
});

describe('heartbeat', () => {
  const heartbeat = { intervalMs: 1_000, timeoutMs: 500 };

  it('should ping after intervalMs of silence', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { heartbeat });
    await advance(LATENCY_MS);
    expect(ws.state).toBe('open');
    await advance(999 - LATENCY_MS);
    expect(server.received()).toEqual([]);
    await advance(1 + 2 * LATENCY_MS);
    expect(server.received()).toEqual(['ping']);
  });

  it('should keep pongs from message listeners and stay connected while the server answers', async () => {
    const server = startServer();
    server.server.on('connection', (client) => {
      client.on('message', (data) => {
        if (data === 'ping') client.send('pong');
      });
    });
    const ws = connect(server.url, [], { heartbeat });
    const messages = record(ws, 'message');
    const closes = record(ws, 'close');
    await advance(LATENCY_MS);
    await advance(10_000);
    expect(server.received().filter((data) => data === 'ping').length).toBeGreaterThanOrEqual(5);
    expect(messages).toHaveLength(0);
    expect(closes).toHaveLength(0);
    server.latest().client.send('hello');
    expect(messages.map((event): unknown => event.data)).toEqual(['hello']);
    expect(server.connections).toHaveLength(1);
  });

  it('should declare a silent connection dead at ping + timeoutMs, detach at once, and reconnect', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { heartbeat });
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    await advance(LATENCY_MS);
    const openedAt = Date.now();
    let nativeStateAtClose: number | undefined;
    let serverSawCloseAtClose: unknown;
    ws.addEventListener('close', () => {
      nativeStateAtClose = server.latest().client.readyState;
      serverSawCloseAtClose = server.latest().closed;
    });

    await advance(1_499);
    expect(closes).toHaveLength(0);
    await advance(1);
    expect(closes).toHaveLength(1);
    expect(Date.now() - openedAt).toBe(1_500);
    const close = closes[0]!;
    expect([close.code, close.reason, close.wasClean]).toEqual([1006, 'heartbeat timeout', false]);
    expect(close.report).toMatchObject({ libraryCause: 'heartbeat-timeout', initiator: 'library', phase: 'open' });
    // The close event fired while the native socket was still CLOSING: the class did not wait for it.
    expect(nativeStateAtClose).toBe(2);
    expect(serverSawCloseAtClose).toBeNull();
    await advance(LATENCY_MS);
    expect(server.connections[0]!.closed).toEqual({ code: 4000, reason: 'heartbeat timeout' });

    expect(reconnecting).toHaveLength(1);
    expect(reconnecting[0]!.delayMs).toBeLessThanOrEqual(1_000);
    await advance(1_000);
    expect(server.connections).toHaveLength(2);
    expect(ws.state).toBe('open');
  });

  it('should not wait for a native socket that never reports its close', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://half-open.test/', [], { WebSocket: sockets.Impl, environment: false, heartbeat }));
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    const halfOpen = sockets.latest();
    halfOpen.accept();
    await advance(1_000);
    expect(halfOpen.sent).toEqual(['ping']);
    await advance(500);
    expect(closes.map((event) => event.reason)).toEqual(['heartbeat timeout']);
    expect(halfOpen.closeCalls).toEqual([{ code: 4000, reason: 'heartbeat timeout' }]);
    expect([halfOpen.onclose, halfOpen.onmessage]).toEqual([null, null]);
    expect(ws.state).toBe('waiting');
    await advancePastWait(reconnecting[0]!.delayMs);
    expect(sockets.instances).toHaveLength(2);
  });

  it('should count any inbound message as liveness: no ping while the server talks every 500 ms', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { heartbeat });
    const messages = record(ws, 'message');
    const closes = record(ws, 'close');
    await advance(LATENCY_MS);
    const ticker = setInterval(() => server.latest().client.send('tick'), 500);
    await advance(10_000);
    clearInterval(ticker);
    expect(messages).toHaveLength(20);
    expect(server.received()).toEqual([]);
    expect(closes).toHaveLength(0);
  });
});

describe('abandoning a dead socket', () => {
  it("should terminate() it where the implementation can (ws), not wait for a closing handshake that will never come", async () => {
    const terminated: number[] = [];
    const sockets = fakeSockets((socket) => {
      Object.assign(socket, {
        terminate: () => {
          terminated.push(sockets.instances.indexOf(socket));
          socket.readyState = 3;
        },
      });
    });
    const ws = track(
      new ResilientWebSocket('ws://silent.test/', [], { WebSocket: sockets.Impl, environment: false, heartbeat: { intervalMs: 1_000, timeoutMs: 500 } }),
    );
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    sockets.latest().accept();
    await advance(1_500); // ping at 1 s, no answer by 1.5 s
    expect(closes.map((event) => event.reason)).toEqual(['heartbeat timeout']);
    expect(terminated).toEqual([0]);
    expect(sockets.instances[0]!.closeCalls).toEqual([]);

    // An application close of a live socket is a closing handshake, not a termination.
    await advancePastWait(reconnecting[0]!.delayMs);
    expect(sockets.instances).toHaveLength(2);
    sockets.latest().accept();
    ws.close(1000, 'bye');
    expect(sockets.latest().closeCalls).toEqual([{ code: 1000, reason: 'bye' }]);
    expect(terminated).toEqual([0]);
  });
});
