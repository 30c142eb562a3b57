/**
 * The class on the local loop, under a fake clock: a page whose origin is
 * loopback (given by the environment) talking to a loopback server comes
 * back within about a second of the server's return; anywhere else the
 * fleet schedule stands. And an application cap outranks the default rules.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket, type Environment, type ResilientWebSocketOptions } from '../../src/index.js';
import { fakeSockets, type FakeSockets } from './fake-socket.js';
import { advance, cleanup, record, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

/** An environment with no signals whose page has `origin`. */
const pageAt = (origin: string | null): Environment => ({ subscribe: () => () => undefined, isOnline: () => true, isVisible: () => true, origin: () => origin });

/** A socket to `url` on fake sockets, opened. */
async function openSocket(url: string, origin: string | null, options: ResilientWebSocketOptions = {}): Promise<{ sockets: FakeSockets; ws: ResilientWebSocket }> {
  const sockets = fakeSockets();
  const ws = track(new ResilientWebSocket(url, [], { WebSocket: sockets.Impl, environment: pageAt(origin), ...options }));
  sockets.latest().accept();
  await advance(0);
  expect(ws.state).toBe('open');
  return { sockets, ws };
}

/**
 * The server crashes, stays down for `downMs` (every attempt refused), then
 * accepts again. Returns the ms from its return to the client's `open`, and
 * how many attempts the client made while it was down.
 */
async function restart(sockets: FakeSockets, ws: ResilientWebSocket, downMs: number): Promise<{ backMs: number; attemptsWhileDown: number }> {
  const before = sockets.instances.length;
  const opens = record(ws, 'open');
  sockets.latest().drop();
  const start = Date.now();
  let refusedUpTo = sockets.instances.length;
  // Refuse every attempt made while the server is down, as a browser reports a refused connect.
  while (Date.now() - start < downMs) {
    await advance(10);
    for (; refusedUpTo < sockets.instances.length; refusedUpTo++) sockets.instances[refusedUpTo]!.refuse();
  }
  const backAt = Date.now();
  const attemptsWhileDown = sockets.instances.length - before;
  for (let waited = 0; opens.length === 0 && waited < 120_000; waited += 10) {
    for (; refusedUpTo < sockets.instances.length; refusedUpTo++) sockets.instances[refusedUpTo]!.accept();
    if (opens.length === 0) await advance(10);
  }
  expect(opens).toHaveLength(1);
  return { backMs: Date.now() - backAt, attemptsWhileDown };
}

describe('the local loop', () => {
  it('should be back within about 1 s of a local server restart, every time, and try about once a second while it is down', async () => {
    const { sockets, ws } = await openSocket('ws://localhost:3000/', 'http://localhost:3000');
    const backs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { backMs, attemptsWhileDown } = await restart(sockets, ws, 1_000 + 500 * i);
      backs.push(backMs);
      // No hammering: at most about two attempts a second (the local floor is 0.5 s).
      expect(attemptsWhileDown).toBeLessThanOrEqual(2 + (1_000 + 500 * i) / 500);
      vi.advanceTimersByTime(60_000); // stable again
    }
    for (const backMs of backs) expect(backMs).toBeLessThanOrEqual(1_010);
  });

  it('should try about once a second, not faster, against a local server down for ten minutes', async () => {
    const { sockets, ws } = await openSocket('ws://127.0.0.1:3000/', 'http://127.0.0.1:5173');
    const { backMs, attemptsWhileDown } = await restart(sockets, ws, 600_000);
    expect(attemptsWhileDown).toBeGreaterThan(600);
    expect(attemptsWhileDown).toBeLessThanOrEqual(760); // waits of 0.8-1 s once at the cap
    expect(backMs).toBeLessThanOrEqual(1_010);
  });

  it('should keep the fleet spread for a loopback server seen from a page elsewhere, and without a page', async () => {
    for (const origin of ['https://app.example', null]) {
      const { sockets, ws } = await openSocket('ws://127.0.0.1:3000/', origin);
      const reconnecting = record(ws, 'reconnecting');
      await restart(sockets, ws, 30_000);
      // The fleet schedule: waits up to the 10 s cap, 8-10 s once there.
      expect(Math.max(...reconnecting.map((event) => event.delayMs))).toBeGreaterThan(5_000);
      ws.dispose();
    }
  });

  it('should give an application that set its own schedule exactly that schedule on the local loop', async () => {
    const { sockets, ws } = await openSocket('ws://localhost:3000/', 'http://localhost:3000', { reconnect: { maxDelayMs: 10_000 } });
    const reconnecting = record(ws, 'reconnecting');
    await restart(sockets, ws, 30_000);
    expect(Math.max(...reconnecting.map((event) => event.delayMs))).toBeGreaterThan(5_000);
  });

  it('should take no local schedule with environment: false (no origin to tell)', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://localhost:3000/', [], { WebSocket: sockets.Impl, environment: false }));
    sockets.latest().accept();
    await advance(0);
    const reconnecting = record(ws, 'reconnecting');
    await restart(sockets, ws, 30_000);
    expect(Math.max(...reconnecting.map((event) => event.delayMs))).toBeGreaterThan(5_000);
  });
});

describe('an application cap and the default rules', () => {
  it('should wait a 1013 its 5 s floor with reconnect.maxDelayMs 4 s, not up to a minute', async () => {
    const { sockets, ws } = await openSocket('wss://api.example/', null, { reconnect: { maxDelayMs: 4_000 } });
    const reconnecting = record(ws, 'reconnecting');
    for (let i = 0; i < 5; i++) {
      sockets.latest().serverClose(1013, 'try again later');
      await advance(0);
      expect(reconnecting.at(-1)!.delayMs).toBe(5_000);
      await advance(5_000);
      sockets.latest().accept();
      await advance(0);
      expect(ws.state).toBe('open');
    }
    expect(sockets.instances).toHaveLength(6);
  });
});
