import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket } from '../../src/index.js';
import { fakeSockets } from './fake-socket.js';
import { LATENCY_MS, advance, advancePastWait, cleanup, connect, dropWithoutCloseFrame, record, startServer, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

describe('URL providers', () => {
  it('should call the provider before every attempt, so each connection gets a fresh token', async () => {
    const server = startServer();
    let issued = 0;
    const url = vi.fn(() => `${server.url}?token=t${++issued}`);
    const ws = connect(url);
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    for (let drop = 0; drop < 2; drop++) {
      await advance(LATENCY_MS);
      expect(ws.state).toBe('open');
      dropWithoutCloseFrame(server.latest());
      await advance(LATENCY_MS);
      await advancePastWait(reconnecting.at(-1)!.delayMs);
    }
    await advance(LATENCY_MS);
    expect(url).toHaveBeenCalledTimes(3);
    expect(server.connections.map((connection) => connection.url)).toEqual([
      `${server.url}?token=t1`,
      `${server.url}?token=t2`,
      `${server.url}?token=t3`,
    ]);
    expect(ws.url).toBe(`${server.url}?token=t3`);
    // The token never reaches a report.
    expect(closes.map((event) => event.report.url)).toEqual([`${server.url}?token=***`, `${server.url}?token=***`]);
  });

  it('should wait for an async provider before connecting', async () => {
    const server = startServer();
    const url = vi.fn(() => new Promise<string>((resolve) => setTimeout(() => resolve(server.url), 200)));
    const ws = connect(url);
    expect(ws.url).toBe('');
    await advance(199);
    expect(ws.state).toBe('connecting');
    expect(server.connections).toHaveLength(0);
    await advance(1 + LATENCY_MS);
    expect(ws.state).toBe('open');
    expect(ws.url).toBe(server.url);
    expect(url).toHaveBeenCalledTimes(1);
  });

  it('should call a protocols provider before every attempt', async () => {
    const offered: string[][] = [];
    const server = startServer({ selectProtocol: (protocols) => (offered.push(protocols), protocols[0] ?? null) });
    let version = 0;
    const ws = connect(server.url, () => [`v${++version}`]);
    await advance(LATENCY_MS);
    expect(ws.protocol).toBe('v1');
    dropWithoutCloseFrame(server.latest());
    await advance(1_000 + 2 * LATENCY_MS);
    expect(ws.protocol).toBe('v2');
    expect(offered).toEqual([['v1'], ['v2']]);
  });

  it.each([
    [
      'throws',
      (url: string) => {
        let calls = 0;
        return () => {
          if (++calls === 1) throw new Error('token service down');
          return url;
        };
      },
    ],
    [
      'rejects',
      (url: string) => {
        let calls = 0;
        return async () => {
          if (++calls === 1) throw new Error('token service down');
          return url;
        };
      },
    ],
  ])('should treat a provider that %s as a failed attempt and go on to the next one', async (_, makeProvider) => {
    const server = startServer();
    const provider = vi.fn(makeProvider(server.url));
    const ws = connect(provider);
    const order: string[] = [];
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    ws.addEventListener('error', () => order.push('error'));
    ws.addEventListener('close', () => order.push('close'));
    await advance(0);

    expect(order).toEqual(['error', 'close']);
    const close = closes[0]!;
    expect([close.code, close.wasClean]).toEqual([1006, false]);
    expect(close.reason).toContain('token service down');
    expect(close.report).toMatchObject({ libraryCause: 'provider-failed', phase: 'handshake' });
    expect(reconnecting.map((event) => event.attempt)).toEqual([1]);
    expect(ws.state).toBe('waiting');

    await advancePastWait(reconnecting[0]!.delayMs);
    await advance(LATENCY_MS);
    expect(provider).toHaveBeenCalledTimes(2);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(1);
  });

  it('should survive a provider that throws when called from the retry timer', async () => {
    const server = startServer();
    let calls = 0;
    const ws = connect(() => {
      if (++calls === 2) throw new Error('token expired');
      return server.url;
    });
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    await advance(LATENCY_MS);
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    await advancePastWait(reconnecting[0]!.delayMs); // the retry: the provider throws
    expect(closes.map((event) => event.report.libraryCause)).toEqual([null, 'provider-failed']);
    expect(ws.state).toBe('waiting');
    expect(reconnecting).toHaveLength(2);
    await advancePastWait(reconnecting[1]!.delayMs);
    await advance(LATENCY_MS);
    expect(calls).toBe(3);
    expect(ws.state).toBe('open');
    expect(server.connections).toHaveLength(2);
  });
});

describe('a WebSocket constructor that throws', () => {
  it('should be a failed attempt (close 1006), then a retry', async () => {
    let constructed = 0;
    const sockets = fakeSockets(() => {
      if (++constructed === 1) throw new Error('too many sockets');
    });
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    await advance(0);
    expect(closes.map((event) => [event.code, event.wasClean])).toEqual([[1006, false]]);
    expect(closes[0]!.reason).toContain('too many sockets');
    await advancePastWait(reconnecting[0]!.delayMs);
    expect(constructed).toBe(2);
    sockets.latest().accept();
    expect(ws.state).toBe('open');
  });
});

describe('a provider that never settles', () => {
  it('should be abandoned after connectTimeoutMs like a hung handshake, and retried', async () => {
    const server = startServer();
    let calls = 0;
    const ws = connect(() => (++calls === 1 ? new Promise<string>(() => undefined) : server.url), [], { connectTimeoutMs: 3_000 });
    const closes = record(ws, 'close');
    const reconnecting = record(ws, 'reconnecting');
    await advance(2_999);
    expect(ws.state).toBe('connecting');
    await advance(1);
    expect(closes.map((event) => [event.code, event.reason, event.wasClean, event.report.libraryCause])).toEqual([[1006, 'connect timeout', false, 'connect-timeout']]);
    await advancePastWait(reconnecting[0]!.delayMs);
    await advance(LATENCY_MS);
    expect(calls).toBe(2);
    expect(ws.state).toBe('open');
  });

  it('should be left alone when close() is called while it is pending', async () => {
    const server = startServer();
    let settle: (url: string) => void = () => undefined;
    const ws = connect(() => new Promise<string>((resolve) => (settle = resolve)));
    const closes = record(ws, 'close');
    ws.close(1000, 'never mind');
    await advance(0);
    expect(closes.map((event) => [event.code, event.reason])).toEqual([[1000, 'never mind']]);
    expect(vi.getTimerCount()).toBe(0);
    settle(server.url);
    await advance(60_000);
    expect(server.connections).toHaveLength(0);
    expect(ws.state).toBe('closed');
  });
});
