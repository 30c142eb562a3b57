import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ResilientWebSocket, isResilientWebSocketError } from '../../src/index.js';
import { LATENCY_MS, MockSocket, advance, cleanup, record, startServer, track } from './helpers.js';

afterEach(cleanup);

describe('ResilientWebSocket.with(options)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  it('should return a subclass constructible as new X(url, protocols) with the options bound', async () => {
    const server = startServer({ selectProtocol: (protocols) => protocols[0] ?? null });
    const Bound = ResilientWebSocket.with({ WebSocket: MockSocket, environment: false, reconnect: false });
    const ws = track(new Bound(server.url, ['graphql-transport-ws']));
    expect(ws).toBeInstanceOf(ResilientWebSocket);
    expect(ws).toBeInstanceOf(Bound);
    expect(Bound.OPEN).toBe(1);
    const closes = record(ws, 'close');
    await advance(LATENCY_MS);
    expect(ws.protocol).toBe('graphql-transport-ws');

    server.latest().client.close({ code: 1001, reason: 'restart', wasClean: true });
    await advance(60_000);
    expect(closes.map((event) => event.code)).toEqual([1001]);
    expect(ws.state).toBe('closed');
    expect(server.connections).toHaveLength(1);
  });

  it('should merge constructor options over the bound ones', async () => {
    const server = startServer();
    const Bound = ResilientWebSocket.with({ WebSocket: MockSocket, environment: false, reconnect: false });
    const ws = track(new Bound(server.url, [], { reconnect: true }));
    await advance(LATENCY_MS);
    server.latest().client.close({ code: 1001, reason: 'restart', wasClean: true });
    await advance(LATENCY_MS);
    expect(ws.state).toBe('waiting');
    await advance(60_000);
    expect(server.connections).toHaveLength(2);
    expect(ws.state).toBe('open');
  });

  it.each([null, 'Stray argument', 42])('should keep the bound options when the third argument is %j, not an options object', async (stray) => {
    const server = startServer();
    const Bound = ResilientWebSocket.with({ WebSocket: MockSocket, environment: false, reconnect: false });
    const ws = track(new Bound(server.url, [], stray as never));
    await advance(LATENCY_MS);
    server.latest().client.close({ code: 1001, reason: 'restart', wasClean: true });
    await advance(60_000);
    expect(ws.state).toBe('closed');
    expect(server.connections).toHaveLength(1);
  });

  it('should validate the bound options at once', () => {
    expect(() => ResilientWebSocket.with({ heartbeat: 'yes' as never })).toThrow(TypeError);
  });
});

describe('in Node without a WebSocket', () => {
  it('should throw ERR_NO_WEBSOCKET_IMPLEMENTATION, telling to pass the WebSocket option', () => {
    expect((globalThis as { WebSocket?: unknown }).WebSocket).toBeUndefined();
    let thrown: unknown;
    try {
      new ResilientWebSocket('ws://example.test/');
    } catch (error) {
      thrown = error;
    }
    expect(isResilientWebSocketError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe('ERR_NO_WEBSOCKET_IMPLEMENTATION');
    expect((thrown as Error).message).toContain('`WebSocket` option');
  });

  it('should run with the default (browser) environment where there is no page', async () => {
    vi.useFakeTimers();
    const server = startServer();
    const ws = track(new ResilientWebSocket(server.url, [], { WebSocket: MockSocket }));
    const closes = record(ws, 'close');
    await advance(LATENCY_MS);
    expect(ws.state).toBe('open');
    server.latest().client.close({ code: 1006, reason: '', wasClean: false });
    await advance(LATENCY_MS);
    expect(closes[0]!.report).toMatchObject({ online: null, visible: null });
  });

  it('should touch no window, document or navigator when imported', async () => {
    const probe = fileURLToPath(new URL('fixtures/import-probe.ts', import.meta.url));
    const touchedBy = async (module: string): Promise<unknown> => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probe, pathToFileURL(fileURLToPath(new URL(module, import.meta.url))).href]);
      return JSON.parse(stdout);
    };
    // The control proves the trap sees a read.
    expect(await touchedBy('fixtures/touches-navigator.ts')).toEqual(['navigator']);
    expect(await touchedBy('../../src/index.ts')).toEqual([]);
  });
});
