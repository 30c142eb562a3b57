import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket } from '../../src/index.js';
import { fakeSockets } from './fake-socket.js';
import { LATENCY_MS, advance, cleanup, connect, record, startServer, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(cleanup);

function expectDOMException(fn: () => unknown, name: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(DOMException);
  expect((thrown as DOMException).name).toBe(name);
}

describe('constants', () => {
  it('should expose CONNECTING, OPEN, CLOSING and CLOSED statically and on instances', () => {
    const { Impl } = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: Impl, environment: false }));
    expect([ResilientWebSocket.CONNECTING, ResilientWebSocket.OPEN, ResilientWebSocket.CLOSING, ResilientWebSocket.CLOSED]).toEqual([0, 1, 2, 3]);
    expect([ws.CONNECTING, ws.OPEN, ws.CLOSING, ws.CLOSED]).toEqual([0, 1, 2, 3]);
  });
});

describe('url and protocols', () => {
  it.each([
    ['http://example.test/live?room=1', 'ws://example.test/live?room=1'],
    ['https://example.test', 'wss://example.test/'],
    ['ws://example.test:8080/a/../b', 'ws://example.test:8080/b'],
    [new URL('wss://example.test/x'), 'wss://example.test/x'],
  ])('should read back %s as %s at once', (input, expected) => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket(input, [], { WebSocket: sockets.Impl, environment: false }));
    expect(ws.url).toBe(expected);
    expect(sockets.latest().url).toBe(expected);
  });

  it.each(['not a url', 'ftp://example.test/', 'ws://example.test/#fragment', 'ws://example.test/#', ''])(
    'should throw a SyntaxError DOMException synchronously for the URL %j',
    (url) => {
      const sockets = fakeSockets();
      expectDOMException(() => new ResilientWebSocket(url, [], { WebSocket: sockets.Impl, environment: false }), 'SyntaxError');
      expect(sockets.instances).toHaveLength(0);
    },
  );

  it.each([
    [['a b']],
    [['']],
    ['chat,json'],
    [['chat', 'chat']],
    [['json', 'chat', 'json']],
  ])('should throw a SyntaxError DOMException synchronously for the protocols %j', (protocols) => {
    const sockets = fakeSockets();
    expectDOMException(() => new ResilientWebSocket('ws://example.test/', protocols, { WebSocket: sockets.Impl, environment: false }), 'SyntaxError');
    expect(sockets.instances).toHaveLength(0);
  });

  it('should read the protocol the server selected', async () => {
    const server = startServer({ selectProtocol: (protocols) => protocols[1] ?? null });
    const ws = connect(server.url, ['v1', 'v2']);
    expect(ws.protocol).toBe('');
    await advance(LATENCY_MS);
    expect(ws.readyState).toBe(ws.OPEN);
    expect(ws.protocol).toBe('v2');
  });
});

describe('readyState', () => {
  it('should follow the status, reading waiting as CONNECTING', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const seen = (): [string, number] => [ws.state, ws.readyState];
    expect(seen()).toEqual(['connecting', 0]);
    sockets.latest().accept();
    expect(seen()).toEqual(['open', 1]);
    sockets.latest().drop();
    expect(seen()).toEqual(['waiting', 0]);
    await advance(1_000);
    expect(seen()).toEqual(['connecting', 0]);
    sockets.latest().accept();
    expect(seen()).toEqual(['open', 1]);
    ws.close();
    expect(seen()).toEqual(['closing', 2]);
    sockets.latest().finishClose();
    expect(seen()).toEqual(['closed', 3]);
  });
});

describe('close() arguments', () => {
  it.each([0, 999, 1001, 2999, 5000, Number.NaN, 'abc', null])('should throw InvalidAccessError for the code %j and stay open', async (code) => {
    const server = startServer();
    const ws = connect(server.url);
    await advance(LATENCY_MS);
    expectDOMException(() => ws.close(code as number), 'InvalidAccessError');
    expect(ws.readyState).toBe(ws.OPEN);
    await advance(LATENCY_MS);
    expect(server.latest().closed).toBeNull();
  });

  it.each([
    [1000, 1000],
    [3000, 3000],
    [4999, 4999],
    ['1000', 1000],
  ])('should accept the code %j and close with %j', async (code, sent) => {
    const server = startServer();
    const ws = connect(server.url);
    const closes = record(ws, 'close');
    await advance(LATENCY_MS);
    ws.close(code as number, 'bye');
    await advance(LATENCY_MS);
    expect(server.latest().closed).toEqual({ code: sent, reason: 'bye' });
    expect(closes.map((event) => [event.code, event.reason])).toEqual([[sent, 'bye']]);
  });

  it('should throw SyntaxError for a reason over 123 UTF-8 bytes and accept exactly 123', async () => {
    const server = startServer();
    const ws = connect(server.url);
    await advance(LATENCY_MS);
    expectDOMException(() => ws.close(1000, '€'.repeat(42)), 'SyntaxError'); // 126 bytes
    expectDOMException(() => ws.close(1000, 'a'.repeat(124)), 'SyntaxError');
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close(1000, '€'.repeat(41)); // 123 bytes
    await advance(LATENCY_MS);
    expect(server.latest().closed).toEqual({ code: 1000, reason: '€'.repeat(41) });
  });

  it('should read CLOSING after close() and fire close later, with readyState CLOSED inside the listener', async () => {
    const server = startServer();
    const ws = connect(server.url);
    await advance(LATENCY_MS);
    const inListener: number[] = [];
    ws.addEventListener('close', () => inListener.push(ws.readyState));
    ws.close();
    expect(ws.readyState).toBe(ws.CLOSING);
    expect(inListener).toEqual([]);
    await advance(LATENCY_MS);
    expect(inListener).toEqual([ws.CLOSED]);
  });

  it('should not fire close inside close() while waiting for a retry either', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    sockets.latest().accept();
    sockets.latest().drop();
    expect(ws.state).toBe('waiting');
    const closes = record(ws, 'close');
    ws.close(4000, 'done');
    expect(ws.readyState).toBe(ws.CLOSING);
    expect(closes).toHaveLength(0);
    await Promise.resolve();
    expect(closes.map((event) => [event.code, event.reason, event.wasClean])).toEqual([[4000, 'done', true]]);
    expect(ws.readyState).toBe(ws.CLOSED);
  });
});

describe('on* handler attributes', () => {
  it('should read a non-function back as null', () => {
    const { Impl } = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: Impl, environment: false }));
    for (const value of ['handler', 42, {}, undefined]) {
      ws.onmessage = value as never;
      ws.onopen = value as never;
      ws.onclose = value as never;
      ws.onerror = value as never;
      expect([ws.onmessage, ws.onopen, ws.onclose, ws.onerror]).toEqual([null, null, null, null]);
    }
    const handler = (): void => undefined;
    ws.onopen = handler;
    expect(ws.onopen).toBe(handler);
    ws.onopen = 'not a function' as never;
    expect(ws.onopen).toBeNull();
  });

  it('should keep one listener in its place when replaced, drop it when set to null, and coexist with listeners', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const calls: string[] = [];
    ws.addEventListener('message', () => calls.push('before'));
    ws.onmessage = () => calls.push('first handler');
    ws.addEventListener('message', () => calls.push('after'));
    ws.onmessage = function (this: ResilientWebSocket, event) {
      calls.push(`second handler: ${String(event.data)} on ${this === ws ? 'ws' : 'other'}`);
    };
    sockets.latest().accept();
    sockets.latest().message('m1');
    expect(calls).toEqual(['before', 'second handler: m1 on ws', 'after']);

    calls.length = 0;
    ws.onmessage = null;
    sockets.latest().message('m2');
    expect(calls).toEqual(['before', 'after']);
    expect(ws.onmessage).toBeNull();
  });

  it('should call onopen, onclose and onerror', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const calls: string[] = [];
    ws.onopen = () => calls.push('open');
    ws.onerror = () => calls.push('error');
    ws.onclose = (event) => calls.push(`close ${event.code}`);
    sockets.latest().refuse();
    await advance(10_000);
    sockets.latest().accept();
    expect(calls).toEqual(['error', 'close 1006', 'open']);
  });
});

describe('addEventListener options', () => {
  it('should honour once across reconnects', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    let opens = 0;
    ws.addEventListener('open', () => opens++, { once: true });
    const allOpens = record(ws, 'open');
    sockets.latest().accept();
    sockets.latest().drop();
    await advance(1_000);
    sockets.latest().accept();
    expect(allOpens).toHaveLength(2);
    expect(opens).toBe(1);
  });

  it('should remove a listener when its AbortSignal aborts', () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const controller = new AbortController();
    const seen: unknown[] = [];
    ws.addEventListener('message', (event) => seen.push(event.data), { signal: controller.signal });
    sockets.latest().accept();
    sockets.latest().message('kept');
    controller.abort();
    sockets.latest().message('ignored');
    expect(seen).toEqual(['kept']);
  });
});

describe('binaryType', () => {
  it('should keep binaryType across a reconnect and ignore invalid values', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    expect(ws.binaryType).toBe('blob');
    ws.binaryType = 'arraybuffer';
    expect(sockets.latest().binaryType).toBe('arraybuffer');
    ws.binaryType = 'nonsense' as BinaryType;
    expect(ws.binaryType).toBe('arraybuffer');
    sockets.latest().accept();
    sockets.latest().drop();
    await advance(1_000);
    expect(sockets.instances).toHaveLength(2);
    expect(sockets.latest().binaryType).toBe('arraybuffer');
    expect(ws.binaryType).toBe('arraybuffer');
  });
});

describe('bufferedAmount', () => {
  it('should count queued messages in UTF-8 bytes, plus what the native socket holds', () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://example.test/', [], { WebSocket: sockets.Impl, environment: false }));
    expect(ws.bufferedAmount).toBe(0);
    ws.send('é');
    expect(ws.bufferedAmount).toBe(2);
    ws.send('abc');
    ws.send(new Uint8Array(5));
    expect(ws.bufferedAmount).toBe(10);
    sockets.latest().accept();
    expect(ws.bufferedAmount).toBe(0);
    sockets.latest().bufferedAmount = 7;
    expect(ws.bufferedAmount).toBe(7);
  });
});
