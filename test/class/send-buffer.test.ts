import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket, isResilientWebSocketError } from '../../src/index.js';
import { fakeSockets } from './fake-socket.js';
import { LATENCY_MS, advance, cleanup, connect, dropWithoutCloseFrame, record, startServer, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

describe('send while not open', () => {
  it('should return false and queue while connecting', async () => {
    const server = startServer();
    const ws = connect(server.url);
    expect(ws.send('a')).toBe(false);
    expect(ws.bufferedAmount).toBe(1);
    expect(server.connections).toHaveLength(0);
    await advance(LATENCY_MS);
    expect(ws.readyState).toBe(ws.OPEN);
  });

  it('should flush in order, each once, before open listeners run', async () => {
    const server = startServer();
    const ws = connect(server.url);
    const bufferedInOpen: number[] = [];
    ws.addEventListener('open', () => {
      bufferedInOpen.push(ws.bufferedAmount);
      expect(ws.send('from open listener')).toBe(true);
    });
    for (const message of ['one', 'two', 'three']) ws.send(message);
    await advance(LATENCY_MS); // open
    await advance(LATENCY_MS); // deliveries
    expect(bufferedInOpen).toEqual([0]);
    expect(server.received()).toEqual(['one', 'two', 'three', 'from open listener']);
  });

  it('should deliver messages sent while waiting once, on the next connection only', async () => {
    const server = startServer();
    const ws = connect(server.url);
    ws.send('first');
    await advance(2 * LATENCY_MS);
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('waiting');
    expect(ws.send('while waiting')).toBe(false);
    await advance(1_000 + 2 * LATENCY_MS);
    expect(server.connections).toHaveLength(2);
    expect(server.connections.map((connection) => connection.received)).toEqual([['first'], ['while waiting']]);
  });

  it('should return true and send at once while open', async () => {
    const server = startServer();
    const ws = connect(server.url);
    await advance(LATENCY_MS);
    expect(ws.send('now')).toBe(true);
    expect(ws.bufferedAmount).toBe(0);
    await advance(LATENCY_MS);
    expect(server.received()).toEqual(['now']);
  });
});

describe('send while the native socket is closing', () => {
  it('should queue for the next connection instead of handing data to a socket that discards it', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const first = sockets.latest();
    first.accept();
    first.startClosing(); // the server's close frame arrived; the close event has not fired yet
    expect(ws.send('in the gap')).toBe(false);
    first.serverClose(1001, 'restart');
    await advance(10_000);
    sockets.latest().accept();
    expect(sockets.instances).toHaveLength(2);
    expect(sockets.latest().sent).toEqual(['in the gap']);
  });

  it('should pass through like the native socket with buffer: false', () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false, buffer: false }));
    sockets.latest().accept();
    sockets.latest().startClosing();
    expect(() => ws.send('discarded')).not.toThrow();
  });
});

describe('overflow', () => {
  it('should drop the oldest and fire drop with its data (drop-oldest)', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { buffer: { maxMessages: 2, overflow: 'drop-oldest' } });
    const drops = record(ws, 'drop');
    for (const message of ['a', 'b', 'c']) ws.send(message);
    expect(drops.map((event) => [event.data, event.reason])).toEqual([['a', 'overflow']]);
    await advance(2 * LATENCY_MS);
    expect(server.received()).toEqual(['b', 'c']);
  });

  it('should drop as many old messages as the byte limit needs (drop-oldest)', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { buffer: { maxBytes: 6, overflow: 'drop-oldest' } });
    const drops = record(ws, 'drop');
    ws.send('éé'); // 4 bytes
    ws.send('x'); // 5
    ws.send('yz'); // 7: 'éé' must go
    expect(drops.map((event) => event.data)).toEqual(['éé']);
    expect(ws.bufferedAmount).toBe(3);
    await advance(2 * LATENCY_MS);
    expect(server.received()).toEqual(['x', 'yz']);
  });

  it('should drop the new message and fire drop with it (drop-newest)', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { buffer: { maxMessages: 2, overflow: 'drop-newest' } });
    const drops = record(ws, 'drop');
    expect(['a', 'b', 'c'].map((message) => ws.send(message))).toEqual([false, false, false]);
    expect(drops.map((event) => [event.data, event.reason])).toEqual([['c', 'overflow']]);
    await advance(2 * LATENCY_MS);
    expect(server.received()).toEqual(['a', 'b']);
  });

  it("should throw ERR_BUFFER_OVERFLOW and queue nothing (throw)", async () => {
    const server = startServer();
    const ws = connect(server.url, [], { buffer: { maxMessages: 1, overflow: 'throw' } });
    const drops = record(ws, 'drop');
    ws.send('a');
    let thrown: unknown;
    try {
      ws.send('b');
    } catch (error) {
      thrown = error;
    }
    expect(isResilientWebSocketError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe('ERR_BUFFER_OVERFLOW');
    expect(drops).toHaveLength(0);
    await advance(2 * LATENCY_MS);
    expect(server.received()).toEqual(['a']);
  });
});

describe('buffer: false', () => {
  it('should throw InvalidStateError while connecting and while waiting, like the native socket', async () => {
    const server = startServer();
    const ws = connect(server.url, [], { buffer: false });
    const sendAndCatch = (): unknown => {
      try {
        ws.send('x');
      } catch (error) {
        return error;
      }
      return undefined;
    };
    let thrown = sendAndCatch();
    expect(thrown).toBeInstanceOf(DOMException);
    expect((thrown as DOMException).name).toBe('InvalidStateError');

    await advance(LATENCY_MS);
    expect(ws.send('while open')).toBe(true);
    dropWithoutCloseFrame(server.latest());
    await advance(LATENCY_MS);
    expect(ws.state).toBe('waiting');
    thrown = sendAndCatch();
    expect((thrown as DOMException).name).toBe('InvalidStateError');
    expect(server.received()).toEqual(['while open']);
  });
});
