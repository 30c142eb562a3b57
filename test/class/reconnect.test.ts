import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket } from '../../src/index.js';
import { fakeSockets } from './fake-socket.js';
import { LATENCY_MS, advance, advancePastWait, cleanup, connect, dropWithoutCloseFrame, record, startServer, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

/** An open socket on a fresh mock server. */
async function openSocket(options: Parameters<typeof connect>[2] = {}): Promise<{ server: ReturnType<typeof startServer>; ws: ResilientWebSocket }> {
  const server = startServer();
  const ws = connect(server.url, [], options);
  await advance(LATENCY_MS);
  expect(ws.state).toBe('open');
  return { server, ws };
}

describe('a drop without a close frame', () => {
  it('should report 1006, schedule retry 1 within [0, 1 s], and connect again after the timer', async () => {
    const { server, ws } = await openSocket();
    const order: string[] = [];
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    ws.addEventListener('close', () => order.push('close'));
    ws.addEventListener('reconnecting', () => order.push('reconnecting'));

    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);

    expect(closes).toHaveLength(1);
    const close = closes[0]!;
    expect([close.code, close.wasClean]).toEqual([1006, false]);
    expect(close.report).toMatchObject({ code: 1006, phase: 'open', initiator: 'network', decision: { action: 'reconnect' } });
    expect(reconnecting).toHaveLength(1);
    const { attempt, delayMs } = reconnecting[0]!;
    expect(attempt).toBe(1);
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(1_000);
    expect(order).toEqual(['close', 'reconnecting']);
    expect(ws.state).toBe('waiting');
    expect(server.connections).toHaveLength(1);

    await advancePastWait(delayMs);
    await advance(LATENCY_MS);
    expect(server.connections).toHaveLength(2);
    expect(ws.state).toBe('open');
  });

  it('should emit statechange from, to and cause in order', async () => {
    const server = startServer();
    const ws = connect(server.url);
    const changes = record(ws, 'statechange');
    await advance(LATENCY_MS);
    dropWithoutCloseFrame(server.latest());
    await advance(1_000 + 2 * LATENCY_MS);
    expect(changes.map(({ from, to, cause }) => ({ from, to, cause }))).toEqual([
      { from: 'connecting', to: 'open', cause: 'open' },
      { from: 'open', to: 'closed', cause: 'close' },
      { from: 'closed', to: 'waiting', cause: 'backoff' },
      { from: 'waiting', to: 'connecting', cause: 'timer' },
      { from: 'connecting', to: 'open', cause: 'open' },
    ]);
  });
});

describe('the cancelable close event', () => {
  it('should stop the reconnect when a listener calls preventDefault()', async () => {
    const { server, ws } = await openSocket();
    const reconnecting = record(ws, 'reconnecting');
    ws.addEventListener('close', (event) => event.preventDefault());
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('closed');
    expect(ws.readyState).toBe(ws.CLOSED);
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
    expect(reconnecting).toHaveLength(0);
  });
});

describe('reconnect()', () => {
  it('should connect again after close()', async () => {
    const { server, ws } = await openSocket();
    ws.close();
    await advance(LATENCY_MS);
    expect(ws.state).toBe('closed');
    ws.reconnect();
    expect(ws.state).toBe('connecting');
    await advance(LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
  });

  it('should connect at once during a wait, and the old wait never fires', async () => {
    const { server, ws } = await openSocket();
    const reconnecting = record(ws, 'reconnecting');
    server.latest().client.close({ code: 1013, reason: 'busy', wasClean: true }); // floor 5 s
    await advance(LATENCY_MS);
    expect(reconnecting[0]!.delayMs).toBeGreaterThanOrEqual(5_000);
    ws.reconnect();
    expect(ws.state).toBe('connecting');
    await advance(LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
    await advance(60_000);
    expect(server.connections).toHaveLength(2);
  });

  it('should connect again after giveup', async () => {
    const { server, ws } = await openSocket();
    const giveups = record(ws, 'giveup');
    server.latest().client.close({ code: 1003, reason: 'text only', wasClean: true });
    await advance(LATENCY_MS);
    expect(giveups).toHaveLength(1);
    ws.reconnect();
    await advance(LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
  });
});

describe('close() while waiting', () => {
  it('should fire close and make no further attempt', async () => {
    const { server, ws } = await openSocket();
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('waiting');
    const closes = record(ws, 'close');
    ws.close(1000, 'leaving');
    await advance(0);
    expect(closes.map((event) => [event.code, event.reason, event.report.initiator])).toEqual([[1000, 'leaving', 'client']]);
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
  });
});

describe('giving up', () => {
  it('should make exactly 3 attempts with maxRetries: 2 against a server that refuses, then give up', async () => {
    // A browser reports a refused handshake as error + close 1006 (mock-socket would say 1000).
    const sockets = fakeSockets((socket) => setTimeout(() => socket.refuse(), 10));
    const ws = track(new ResilientWebSocket('ws://refusing.test/', [], { WebSocket: sockets.Impl, environment: false, reconnect: { maxRetries: 2 } }));
    const closes = record(ws, 'close');
    const errors = record(ws, 'error');
    const reconnecting = record(ws, 'reconnecting');
    const giveups = record(ws, 'giveup');
    await vi.runAllTimersAsync();
    expect(sockets.instances).toHaveLength(3);
    expect(errors).toHaveLength(3);
    expect(closes.map((event) => [event.code, event.wasClean, event.report.phase])).toEqual([
      [1006, false, 'handshake'],
      [1006, false, 'handshake'],
      [1006, false, 'handshake'],
    ]);
    expect(reconnecting.map((event) => event.attempt)).toEqual([1, 2]);
    expect(giveups).toHaveLength(1);
    expect(giveups[0]!.reason).toContain('maxRetries');
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should give up at once when the policy says stop (server closes with 1003)', async () => {
    const { server, ws } = await openSocket();
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    const giveups = record(ws, 'giveup');
    server.latest().client.close({ code: 1003, reason: 'text only', wasClean: true });
    await advance(LATENCY_MS);
    expect(closes.map((event) => [event.code, event.reason])).toEqual([[1003, 'text only']]);
    expect(giveups).toHaveLength(1);
    expect(giveups[0]!.report.decision.action).toBe('stop');
    expect(reconnecting).toHaveLength(0);
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
  });

  it('should report the real code and never retry with reconnect: false', async () => {
    const { server, ws } = await openSocket({ reconnect: false });
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    server.latest().client.close({ code: 1001, reason: 'restarting', wasClean: true });
    await advance(LATENCY_MS);
    expect(closes.map((event) => [event.code, event.reason])).toEqual([[1001, 'restarting']]);
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
    expect(reconnecting).toHaveLength(0);
  });

  it('should report a failed handshake as 1006, never a clean 1000, with reconnect: false', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://refusing.test/', [], { WebSocket: sockets.Impl, environment: false, reconnect: false }));
    const closes = record(ws, 'close');
    sockets.latest().refuse();
    expect(closes.map((event) => [event.code, event.wasClean])).toEqual([[1006, false]]);
    await advance(60_000);
    expect(sockets.instances).toHaveLength(1);
  });
});

describe('listeners that act during a drop', () => {
  it('should connect exactly once when a close listener calls reconnect()', async () => {
    const { server, ws } = await openSocket();
    const reconnecting = record(ws, 'reconnecting');
    ws.addEventListener('close', () => ws.reconnect(), { once: true });
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('connecting');
    expect(reconnecting).toHaveLength(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(2);
    expect(ws.state).toBe('open');
  });

  it('should stop for good when a close listener calls close()', async () => {
    const { server, ws } = await openSocket();
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    ws.addEventListener('close', () => ws.close());
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('closed');
    expect(closes).toHaveLength(1);
    expect(reconnecting).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
  });

  it('should cancel the scheduled retry when a reconnecting listener calls close()', async () => {
    const { server, ws } = await openSocket();
    ws.addEventListener('reconnecting', () => ws.close());
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    await advance(0);
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
  });
});

describe('the retry counter', () => {
  it('should keep growing against a server that accepts and closes at once (no tight loop)', async () => {
    const server = startServer();
    server.server.on('connection', (client) => client.close({ code: 1000, reason: 'go away', wasClean: true }));
    const ws = connect(server.url);
    const reconnecting = record(ws, 'reconnecting');
    await advance(30_000);
    const attempts = reconnecting.map((event) => event.attempt);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
    expect(reconnecting.every((event) => event.delayMs >= 500)).toBe(true);
    expect(server.connections.length).toBeLessThanOrEqual(attempts.length + 1);
  });

  it('should reset after a connection stayed open stableAfterMs, so the next drop retries fast', async () => {
    const { server, ws } = await openSocket({ reconnect: { stableAfterMs: 5_000 } });
    const reconnecting = record(ws, 'reconnecting');
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    await advancePastWait(reconnecting[0]!.delayMs);
    await advance(LATENCY_MS);
    expect(ws.attempt).toBe(1);
    await advance(5_000);
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(reconnecting.map((event) => event.attempt)).toEqual([1, 1]);
    expect(reconnecting[1]!.delayMs).toBeLessThanOrEqual(1_000);
  });

  it('should keep a bounded history of close reports, newest last', async () => {
    const { server, ws } = await openSocket({ historySize: 2 });
    const reconnecting = record(ws, 'reconnecting');
    for (const code of [4001, 4002, 4003]) {
      server.latest().client.close({ code, reason: String(code), wasClean: true });
      await advance(LATENCY_MS);
      await advancePastWait(reconnecting.at(-1)!.delayMs);
      await advance(LATENCY_MS);
    }
    expect(ws.history.map((report) => report.code)).toEqual([4002, 4003]);
    expect(ws.lastClose?.code).toBe(4003);
  });
});
