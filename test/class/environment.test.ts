import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LATENCY_MS, advance, cleanup, connect, dropWithoutCloseFrame, fakeEnvironment, record, startServer } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

/** An open socket on a fresh server, with an environment the test drives. */
async function openSocket(): Promise<{ server: ReturnType<typeof startServer>; ws: ReturnType<typeof connect>; env: ReturnType<typeof fakeEnvironment> }> {
  const server = startServer();
  const env = fakeEnvironment();
  const ws = connect(server.url, [], { environment: env.environment });
  await advance(LATENCY_MS);
  expect(ws.state).toBe('open');
  return { server, ws, env };
}

describe('online and offline', () => {
  it('should pause the wait while offline without spending retries, and resume within 500 ms of online', async () => {
    const { server, ws, env } = await openSocket();
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('waiting');
    expect(ws.attempt).toBe(1);
    expect(vi.getTimerCount()).toBe(1);

    env.emit('offline');
    expect(ws.state).toBe('waiting');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);
    expect(ws.attempt).toBe(1);

    env.emit('online');
    await advance(500 + LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
    expect(ws.attempt).toBe(1);
  });

  it('should not schedule a retry for a drop while offline, and reconnect once online', async () => {
    const { server, ws, env } = await openSocket();
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    env.emit('offline');
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(closes[0]!.report.online).toBe(false);
    expect(reconnecting).toHaveLength(0);
    expect(ws.state).toBe('waiting');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    env.emit('online');
    await advance(500 + LATENCY_MS);
    expect(server.connections).toHaveLength(2);
  });
});

describe('visibility', () => {
  it('should try sooner when the page becomes visible during a long wait', async () => {
    const { server, ws, env } = await openSocket();
    const reconnecting = record(ws, 'reconnecting');
    await advance(2_000);
    server.latest().client.close({ code: 1013, reason: 'overloaded', wasClean: true }); // waits at least 5 s
    await advance(LATENCY_MS);
    expect(reconnecting[0]!.delayMs).toBeGreaterThanOrEqual(5_000);
    env.emit('hidden');
    env.emit('visible');
    await advance(500 + LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
  });
});

describe('heartbeat probe', () => {
  it('should ping at once when the page becomes visible or the network returns on an open socket', async () => {
    const server = startServer();
    const env = fakeEnvironment();
    const ws = connect(server.url, [], { environment: env.environment, heartbeat: { intervalMs: 25_000, timeoutMs: 500 } });
    const closes = record(ws, 'close');
    await advance(LATENCY_MS + 1_000);
    expect(server.received()).toEqual([]);
    env.emit('hidden');
    env.emit('visible');
    await advance(LATENCY_MS);
    expect(server.received()).toEqual(['ping']);
    // Nobody answers: the probe's deadline applies.
    await advance(500);
    expect(closes.map((event) => event.reason)).toEqual(['heartbeat timeout']);
  });
});

describe('the subscription', () => {
  it('should be installed once per life and removed on close()', async () => {
    const { server, ws, env } = await openSocket();
    expect([env.subscribes, env.listening]).toEqual([1, 1]);
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    await advance(1_000 + LATENCY_MS);
    expect(ws.state).toBe('open');
    expect([env.subscribes, env.listening]).toEqual([1, 1]);
    ws.close();
    await advance(LATENCY_MS);
    expect([env.cleanups, env.listening]).toEqual([1, 0]);
    ws.reconnect();
    expect([env.subscribes, env.listening]).toEqual([2, 1]);
  });

  it('should be removed on dispose()', async () => {
    const { ws, env } = await openSocket();
    ws.dispose();
    expect([env.subscribes, env.cleanups, env.listening]).toEqual([1, 1, 0]);
  });

  it('should be removed on giveup and when a close listener cancels the reconnect', async () => {
    const first = await openSocket();
    first.server.latest().client.close({ code: 1003, reason: '', wasClean: true });
    await advance(LATENCY_MS);
    expect(first.ws.state).toBe('closed');
    expect(first.env.listening).toBe(0);

    const second = await openSocket();
    second.ws.addEventListener('close', (event) => event.preventDefault());
    dropWithoutCloseFrame(second.server.latest());
    await advance(LATENCY_MS);
    expect(second.ws.state).toBe('closed');
    expect(second.env.listening).toBe(0);
  });
});

describe('back/forward cache', () => {
  it('should close an open socket on pagehide and reconnect at once on pageshow', async () => {
    const { server, ws, env } = await openSocket();
    const closes = record(ws, 'close');
    env.emit('pagehide');
    expect(closes).toHaveLength(1);
    expect(closes[0]!.report.libraryCause).toBe('page-hidden');
    expect(ws.state).toBe('waiting');
    await advance(LATENCY_MS);
    expect(server.connections[0]!.closed?.code).toBe(1000);
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(server.connections).toHaveLength(1);

    env.emit('pageshow');
    expect(ws.state).toBe('connecting');
    await advance(LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
  });
});
