/**
 * The companion against real `ws` servers and clients: it answers the
 * client heartbeat out of sight of the application, pings clients and ends
 * the dead ones, logs every close without secrets, and leaves nothing
 * behind when closed.
 */

import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import type { ResilientCloseEvent } from '../../src/index.js';
import type { CloseRecord } from '../../src/server/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { useHarness } from '../support/harness.js';
import { delay, nextEvent, recordEvents, waitUntil } from '../support/wait.js';
import { listenerCounts, startCompanionServer } from './support.js';

const h = useHarness();

async function companionServer(...args: Parameters<typeof startCompanionServer>): ReturnType<typeof startCompanionServer> {
  const server = await startCompanionServer(...args);
  h.defer(() => server.close());
  return server;
}

function nextRecord(server: { companion: { once(event: 'disconnect', listener: (record: CloseRecord) => void): unknown } }): Promise<CloseRecord> {
  return new Promise((resolve) => server.companion.once('disconnect', resolve));
}

describe('the server companion', () => {
  it("should answer the client heartbeat, so a ResilientWebSocket with heartbeat on stays open, and keep 'ping' from every message listener", async () => {
    const server = await companionServer({ keepalive: false });
    // A pong may be late on a busy machine (client and server share one event loop): 500 ms of grace.
    const client = h.client(server.url, { heartbeat: { intervalMs: 100, timeoutMs: 500 } });
    const events = recordEvents(client, ['close', 'message']);
    await nextEvent(client, 'open');
    const socket = server.sockets[0]!;
    const onmessage: string[] = [];
    const viaEventTarget: string[] = [];
    socket.onmessage = (event) => onmessage.push((event.data as Buffer).toString());
    socket.addEventListener('message', (event) => viaEventTarget.push((event.data as Buffer).toString()));

    // Without answers the client would declare the connection dead after ~600 ms of silence; wait three times that.
    await delay(1_800);
    client.send('hello');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'hello' });

    expect(client.state).toBe('open');
    expect(events.of<ResilientCloseEvent>('close')).toEqual([]);
    expect(server.appMessages).toEqual(['hello']);
    expect(onmessage).toEqual(['hello']);
    expect(viaEventTarget).toEqual(['hello']);
    // The pongs reached the client's heartbeat, not its message listeners.
    expect(events.of<MessageEvent>('message').map((event) => event.data as unknown)).toEqual(['hello']);
  });

  it('should answer a configured ping with a configured pong, and pass other messages on', async () => {
    const server = await companionServer({ keepalive: false, heartbeat: { ping: '{"type":"ping"}', pong: () => '{"type":"pong"}' } });
    const raw = new WsWebSocket(server.url);
    h.defer(() => raw.terminate());
    const received: string[] = [];
    raw.on('message', (data: Buffer) => received.push(data.toString()));
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send('{"type":"ping"}');
    raw.send('ping');
    await waitUntil(() => received.length === 2, 'two answers arrived');
    expect(received).toEqual(['{"type":"pong"}', 'ping']);
    expect(server.appMessages).toEqual(['ping']);
  });

  it('should terminate a black-holed client within interval + timeout and count it, while answering clients stay', async () => {
    // The healthy client's pong shares this process's event loop: a timeout well above a late timer keeps it alive.
    const keepalive = { intervalMs: 200, timeoutMs: 600 };
    const server = await companionServer({ keepalive });
    const proxy = await FaultProxy.start({ targetPort: server.port });
    h.defer(() => proxy.close());
    const doomed = h.client(`ws://127.0.0.1:${proxy.port}/`, { reconnect: false });
    const healthy = h.client(server.url, { reconnect: false });
    await Promise.all([nextEvent(doomed, 'open'), nextEvent(healthy, 'open')]);
    await waitUntil(() => server.companion.clientCount === 2, 'the companion watches both clients');

    proxy.blackhole();
    const blackholedAt = Date.now();
    const record = await nextRecord(server);
    const elapsedMs = Date.now() - blackholedAt;

    expect(record).toMatchObject({ code: 1006, wasClean: false, cause: 'heartbeat-timeout' });
    // At most one interval until the next ping, then the timeout (the exact schedule is on a fake clock in
    // test/unit/keepalive.test.ts). Here, twice that, for late timers on a busy machine; a companion that
    // never ends the client never gets here, and the cause says it was the keepalive.
    console.log(`[companion] black-holed client terminated after ${elapsedMs} ms (interval ${keepalive.intervalMs} ms + timeout ${keepalive.timeoutMs} ms)`);
    expect(elapsedMs).toBeLessThanOrEqual(2 * (keepalive.intervalMs + keepalive.timeoutMs));
    // Silent since its last pong, which came before the ping that went unanswered.
    expect(record.idleMs).toBeGreaterThanOrEqual(keepalive.timeoutMs - 10);
    expect(server.companion.terminatedCount).toBe(1);
    // Three more ping rounds: the client that answers stays.
    await delay(3 * keepalive.intervalMs + keepalive.timeoutMs);
    expect(healthy.state).toBe('open');
    expect(server.companion.clientCount).toBe(1);
    expect(server.companion.terminatedCount).toBe(1);
  });

  it('should log every close with code, reason, cleanliness, duration and idle time, and no credential from the URL', async () => {
    const server = await companionServer({ keepalive: false });
    const secretUrl = `ws://alice:hunter2@127.0.0.1:${server.port}/feed?token=s3cr3t-t0ken&room=42`;
    const client = h.client(secretUrl, { reconnect: false });
    await nextEvent(client, 'open');
    client.send('hi');
    await nextEvent(client, 'message');
    await delay(300);
    const closed = nextRecord(server);
    client.close(4001, 'bye');
    const record = await closed;

    expect(record).toMatchObject({ code: 4001, reason: 'bye', wasClean: true, cause: null, remoteAddress: '127.0.0.1' });
    expect(record.url).toBe(`ws://127.0.0.1:${server.port}/feed?token=***&room=***`);
    expect(record.durationMs).toBeGreaterThanOrEqual(290);
    expect(record.idleMs).toBeGreaterThanOrEqual(290);
    expect(record.idleMs).toBeLessThanOrEqual(record.durationMs);

    // A connection cut without a close frame.
    const raw = new WsWebSocket(`${server.url}?key=abc`);
    await new Promise((resolve) => raw.once('open', resolve));
    const cut = nextRecord(server);
    raw.terminate();
    expect(await cut).toMatchObject({ code: 1006, wasClean: false, url: `${server.url}?key=***` });

    expect(server.lines).toHaveLength(2);
    // The durations printed are the record's, in seconds to one decimal (a busy machine may make them longer than 0.3 s).
    const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;
    expect(server.lines[0]).toBe(`websocket closed 4001 "bye" clean after ${seconds(record.durationMs)} (idle ${seconds(record.idleMs)}) ws://127.0.0.1:${server.port}/feed?token=***&room=*** from 127.0.0.1`);
    expect(server.lines[1]).toContain('websocket closed 1006 not clean');
    for (const text of [...server.lines, JSON.stringify(server.records)]) {
      for (const secret of ['hunter2', 'alice', 's3cr3t', 'abc']) expect(text).not.toContain(secret);
    }
  });

  it('should leave no timer and no listener behind on close(), with clients still connected', async () => {
    const server = await companionServer({ keepalive: { intervalMs: 50, timeoutMs: 50 } });
    const client = h.client(server.url, { reconnect: false });
    await nextEvent(client, 'open');
    const socket = server.sockets[0]!;
    expect(Object.hasOwn(socket, 'emit')).toBe(true);
    expect(server.clock.pending).toBe(1);

    server.companion.close();

    expect(server.clock.pending).toBe(0);
    expect(listenerCounts(server.wss)).toEqual({ ...server.baseline.wss, connection: 1 }); // the application's own
    expect(listenerCounts(server.http)).toEqual(server.baseline.http);
    expect(Object.hasOwn(socket, 'emit')).toBe(false);
    // The connection itself is untouched, and 'ping' now reaches the application.
    client.send('ping');
    await nextEvent(client, 'message', { filter: (event) => event.data === 'ping' });
    expect(server.appMessages).toEqual(['ping']);
  });

  it('should reject a bad option with a message naming it', async () => {
    const server = await companionServer();
    const { ServerCompanion } = await import('../../src/server/index.js');
    expect(() => new ServerCompanion(server.wss, { keepalive: { intervalMs: 0 } })).toThrow('Expected `keepalive.intervalMs` to be a finite number of milliseconds of at least 1, got 0');
    expect(() => new ServerCompanion(server.wss, { heartbeat: { pingg: 'x' } as never })).toThrow(/`heartbeat\.pingg`.*did you mean `heartbeat\.ping`/);
    expect(() => new ServerCompanion(server.wss, { logger: 'console' as never })).toThrow('Expected `logger` to be a function or false, got "console"');
    expect(() => new ServerCompanion({} as never)).toThrow(/Expected `wss` to be a WebSocketServer/);
    expect(() => server.companion.shutdown({ code: 1006 })).toThrow('Expected `shutdown.code` to be a close code a server may send');
    expect(() => server.companion.shutdown({ drainMs: -1 })).toThrow('Expected `shutdown.drainMs` to be a finite number of milliseconds of at least 0, got -1');
  });
});
