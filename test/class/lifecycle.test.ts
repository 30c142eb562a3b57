import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket, type ResilientWebSocketOptions } from '../../src/index.js';
import { fakeSockets, type FakeSockets } from './fake-socket.js';
import { LATENCY_MS, advance, cleanup, connect, record, startServer, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

// The FakeSocket schedules nothing, so every timer counted here is the class's own.
const busy: ResilientWebSocketOptions = { heartbeat: { intervalMs: 1_000, timeoutMs: 500 }, connectTimeoutMs: 5_000, environment: false };

type Phase = 'connecting' | 'open' | 'waiting';

/** A socket on FakeSockets brought to `phase`, with a timer pending in each. */
function socketIn(phase: Phase, options: ResilientWebSocketOptions = {}): { ws: ResilientWebSocket; sockets: FakeSockets } {
  const sockets = fakeSockets();
  const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, ...busy, ...options }));
  if (phase !== 'connecting') sockets.latest().accept();
  if (phase === 'waiting') sockets.latest().drop();
  expect(ws.state).toBe(phase);
  expect(vi.getTimerCount()).toBeGreaterThan(0);
  return { ws, sockets };
}

describe('after close()', () => {
  it.each<Phase>(['connecting', 'open', 'waiting'])('should leave no timer once the close completes (from %s)', async (phase) => {
    const { ws, sockets } = socketIn(phase);
    const closes = record(ws, 'close');
    ws.close();
    if (phase !== 'waiting') sockets.latest().finishClose();
    await advance(0);
    expect(closes).toHaveLength(1);
    expect(ws.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(sockets.instances).toHaveLength(1);
  });

  it('should leave no timer on mock-socket either, heartbeat included', async () => {
    const server = startServer();
    const ws = connect(server.url, [], busy);
    await advance(LATENCY_MS + 1_200); // a ping is out and its deadline pending
    expect(server.received()).toEqual(['ping']);
    ws.close(1000, 'done');
    await advance(LATENCY_MS);
    expect(ws.state).toBe('closed');
    expect(server.latest().closed).toEqual({ code: 1000, reason: 'done' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('dispose()', () => {
  it.each<Phase>(['connecting', 'open', 'waiting'])('should cancel every timer at once and close the native socket (from %s)', async (phase) => {
    const { ws, sockets } = socketIn(phase);
    const events: string[] = [];
    for (const type of ['open', 'close', 'error', 'message', 'reconnecting', 'giveup']) ws.addEventListener(type, () => events.push(type));
    ws.dispose();
    expect(vi.getTimerCount()).toBe(0);
    expect(ws.state).toBe('closed');
    expect(ws.readyState).toBe(ws.CLOSED);
    if (phase !== 'waiting') expect(sockets.latest().closeCalls).toEqual([{ code: 1000, reason: 'disposed' }]);
    await advance(60_000);
    expect(sockets.instances).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it("should fire drop with reason 'disposed' for each queued message, in order", () => {
    const { ws } = socketIn('connecting');
    ws.send('a');
    ws.send('b');
    const drops = record(ws, 'drop');
    ws.dispose();
    expect(drops.map((event) => [event.data, event.reason])).toEqual([
      ['a', 'disposed'],
      ['b', 'disposed'],
    ]);
    expect(ws.bufferedAmount).toBe(0);
  });

  it('should dispose at the end of a using block', () => {
    const sockets = fakeSockets();
    let escaped: ResilientWebSocket | undefined;
    {
      using ws = new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false });
      sockets.latest().accept();
      escaped = ws;
      expect(ws.state).toBe('open');
    }
    expect(escaped.state).toBe('closed');
    expect(sockets.latest().closeCalls).toEqual([{ code: 1000, reason: 'disposed' }]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should dispose through Symbol.dispose, and a second dispose changes nothing', () => {
    const { ws, sockets } = socketIn('open');
    const changes = record(ws, 'statechange');
    ws[Symbol.dispose]();
    ws.dispose();
    expect(ws.state).toBe('closed');
    expect(sockets.latest().closeCalls).toHaveLength(1);
    expect(changes.map((event) => event.to)).toEqual(['closed']);
  });
});

describe('stale sockets', () => {
  it('should ignore every event from a native socket it has replaced', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const seen: string[] = [];
    for (const type of ['open', 'close', 'error', 'message', 'statechange', 'reconnecting']) ws.addEventListener(type, () => seen.push(type));
    const old = sockets.latest();
    old.accept();
    ws.reconnect(); // abandons the open socket for a new one
    const current = sockets.latest();
    expect(current).not.toBe(old);
    current.accept();
    seen.length = 0;
    const historyBefore = ws.history;

    // Through the handlers it has now (the class detached them)...
    old.message('late');
    old.drop();
    // ...and through the ones it once had, as a task queued before the detach would.
    for (const handler of old.assigned.message) handler(new MessageEvent('message', { data: 'late' }) as never);
    for (const handler of old.assigned.error) handler(new Event('error') as never);
    for (const handler of old.assigned.open) handler(new Event('open') as never);
    for (const handler of old.assigned.close) handler(Object.assign(new Event('close'), { code: 1006, reason: '', wasClean: false }) as never);
    await advance(60_000);

    expect(seen).toEqual([]);
    expect(ws.state).toBe('open');
    expect(ws.history).toEqual(historyBefore);
    current.message('fresh');
    expect(seen).toEqual(['message']);
  });

  it('should ignore a late open from a handshake it abandoned on connect timeout', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false, connectTimeoutMs: 1_000 }));
    const opens = record(ws, 'open');
    const abandoned = sockets.latest();
    await advance(1_000);
    expect(ws.state).toBe('waiting');
    for (const handler of abandoned.assigned.open) handler(new Event('open') as never);
    expect(opens).toHaveLength(0);
    expect(ws.state).toBe('waiting');
  });
});

describe('an implementation that fires events from inside its own close()', () => {
  /** A socket whose close() delivers a last message, an error and its close before returning, as some implementations do. */
  class EagerCloser {
    static last: EagerCloser | undefined;
    readyState = 0;
    protocol = '';
    extensions = '';
    binaryType = 'blob';
    bufferedAmount = 0;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
    constructor(readonly url: string) {
      EagerCloser.last = this;
    }
    send(): void {}
    open(): void {
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    }
    close(): void {
      this.readyState = 3;
      this.onmessage?.({ data: 'last words' });
      this.onerror?.(new Event('error'));
      this.onclose?.({ code: 1006, reason: '', wasClean: false });
    }
  }

  it('should fire none of them inside the application\'s close() call, and all of them after it, in order', async () => {
    const ws = new ResilientWebSocket('ws://127.0.0.1:9/', [], { WebSocket: EagerCloser, environment: false, reconnect: false });
    EagerCloser.last?.open();
    const seen: string[] = [];
    for (const type of ['message', 'error', 'close']) ws.addEventListener(type, () => seen.push(type));
    ws.close();
    seen.push('close() returned');
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['close() returned', 'message', 'error', 'close']);
    ws.dispose();
  });
});
