/**
 * Graceful shutdown against real clients: every client gets the close code
 * (1012 for a deploy), the companion leaves nothing behind, the clients
 * come back spread out by their default policy, and a batched shutdown
 * spreads the closes themselves.
 */

import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket, WebSocketServer } from 'ws';
import type { ResilientCloseEvent, ResilientWebSocket } from '../../src/index.js';
import { planBatches } from '../../src/server/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { useHarness } from '../support/harness.js';
import { nextEvent, waitUntil } from '../support/wait.js';
import { listenerCounts, startCompanionServer } from './support.js';

const h = useHarness();

async function companionServer(): ReturnType<typeof startCompanionServer> {
  // A keepalive runs (shutdown must stop it), with a timeout no late pong on a busy machine reaches.
  const server = await startCompanionServer({ keepalive: { intervalMs: 1_000, timeoutMs: 5_000 } });
  h.defer(() => server.close());
  return server;
}

async function openClients(url: string, count: number): Promise<{ clients: ResilientWebSocket[]; closes: ResilientCloseEvent[] }> {
  const closes: ResilientCloseEvent[] = [];
  const clients = Array.from({ length: count }, () => h.client(url, { heartbeat: true }));
  for (const client of clients) client.addEventListener('close', (event) => closes.push(event));
  await Promise.all(clients.map((client) => nextEvent(client, 'open')));
  return { clients, closes };
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

describe('shutdown()', () => {
  it('should close 100 clients with 1012, leave no timer and no listener behind, and see them return spread out', { timeout: 90_000 }, async () => {
    const server = await companionServer();
    const { clients, closes } = await openClients(server.url, 100);
    await waitUntil(() => server.companion.clientCount === 100, 'the companion watches 100 clients');

    const startedAt = Date.now();
    const drainMs = 20_000;
    const result = await server.companion.shutdown({ code: 1012, reason: 'deploy', drainMs });

    // Every client finished the closing handshake, and shutdown() resolved then, not at the end of the drain.
    expect(result).toMatchObject({ clients: 100, closed: 100, terminated: 0 });
    expect(result.durationMs).toBeLessThan(drainMs);
    await waitUntil(() => closes.length === 100, 'every client saw its close');
    expect(new Set(closes.map((event) => `${event.code} ${event.reason} ${event.wasClean}`))).toEqual(new Set(['1012 deploy true']));
    expect(server.records.every((record) => record.code === 1012 && record.cause === 'shutdown')).toBe(true);
    // Nothing left: no timer, no listener on the WebSocketServer beyond the application's own, and
    // on the HTTP server only what it had before ws was attached (the closed WebSocketServer removed its own).
    expect(server.clock.pending).toBe(0);
    expect(listenerCounts(server.wss)).toEqual({ ...server.baseline.wss, connection: 1 });
    expect(listenerCounts(server.http)).toEqual(server.baseline.bareHttp);

    // The new release takes over the same port; record when each client arrives.
    const arrivalsMs: number[] = [];
    const next = new WebSocketServer({ server: server.http });
    h.defer(() => {
      for (const socket of next.clients) socket.terminate();
      next.close();
    });
    next.on('connection', (socket) => {
      arrivalsMs.push(Date.now() - startedAt);
      socket.on('message', (data: Buffer) => socket.send(data.toString() === 'ping' ? 'pong' : data));
    });
    await waitUntil(() => arrivalsMs.length === 100, '100 clients reconnected', 60_000);
    const sorted = [...arrivalsMs].sort((a, b) => a - b);
    const window100 = Math.max(...sorted.map((t, i) => sorted.slice(i).filter((u) => u < t + 100).length));
    console.log(
      `1012 arrival spread of 100 clients (default policy), ms after shutdown(): min ${sorted[0]}, p10 ${percentile(sorted, 10)}, median ${percentile(sorted, 50)}, p90 ${percentile(sorted, 90)}, max ${sorted.at(-1)}; most in any 100 ms: ${window100}`,
    );
    // The spread is the clients' 1012 delays, which their policy chose (not the companion): bounds on those
    // are free of the machine's load. Arrivals bunch when a busy machine fires late timers together, so
    // on arrivals only what late timers cannot cause: none came before the shortest delay.
    const delays = closes.map((event) => event.report.delayMs ?? NaN).sort((a, b) => a - b);
    const delayWindow100 = Math.max(...delays.map((t, i) => delays.slice(i).filter((u) => u < t + 100).length));
    console.log(`1012 delays chosen: min ${Math.round(delays[0] ?? NaN)}, median ${Math.round(percentile(delays, 50))}, max ${Math.round(delays.at(-1) ?? NaN)} ms; most in any 100 ms: ${delayWindow100}`);
    expect(delays.every((ms) => Number.isFinite(ms))).toBe(true);
    expect(delays[0]).toBeGreaterThanOrEqual(200);
    expect((delays.at(-1) ?? 0) - (delays[0] ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(delayWindow100).toBeLessThanOrEqual(30);
    expect(sorted[0]).toBeGreaterThanOrEqual(delays[0] ?? Infinity);
    await waitUntil(() => clients.every((client) => client.state === 'open'), 'every client is open again');
  });

  it('should terminate a client that never completes the closing handshake once drainMs has passed', async () => {
    const server = await companionServer();
    const proxy = await FaultProxy.start({ targetPort: server.port });
    h.defer(() => proxy.close());
    await openClients(server.url, 3);
    const stuck = h.client(`ws://127.0.0.1:${proxy.port}/`, { reconnect: false });
    await nextEvent(stuck, 'open');
    await waitUntil(() => server.companion.clientCount === 4, 'the companion watches 4 clients');
    proxy.blackhole();

    const result = await server.companion.shutdown({ code: 1001, drainMs: 300 });

    expect(result).toMatchObject({ clients: 4, closed: 3, terminated: 1 });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    expect(server.records.map((record) => record.code).sort()).toEqual([1001, 1001, 1001, 1006]);
    expect(server.clock.pending).toBe(0);
  });

  it('should spread a batched shutdown over spreadMs, one batch per 100 ms', async () => {
    const server = await companionServer();
    const { closes } = await openClients(server.url, 20);
    await waitUntil(() => server.companion.clientCount === 20, 'the companion watches 20 clients');
    const closedAt: number[] = [];
    server.companion.on('disconnect', () => closedAt.push(Date.now()));

    const startedAt = Date.now();
    const drainMs = 10_000;
    const result = await server.companion.shutdown({ code: 1012, spreadMs: 400, drainMs });

    expect(result).toMatchObject({ clients: 20, closed: 20, terminated: 0 });
    // The last batch is sent no earlier than spreadMs after the start (timers never fire early, so a
    // busy machine cannot break this); an unspread shutdown closes everyone at once, well before.
    expect(Math.max(...closedAt) - startedAt).toBeGreaterThanOrEqual(390);
    expect(result.durationMs).toBeGreaterThanOrEqual(390);
    // Done when the last client finished its handshake, not at the end of the drain.
    expect(result.durationMs).toBeLessThan(drainMs);
    expect(closes.every((event) => event.code === 1012)).toBe(true);
  });

  it('should answer an upgrade that reaches the HTTP server during the drain with 503', async () => {
    const server = await companionServer();
    const proxy = await FaultProxy.start({ targetPort: server.port });
    h.defer(() => proxy.close());
    const stuck = h.client(`ws://127.0.0.1:${proxy.port}/`, { reconnect: false });
    await nextEvent(stuck, 'open');
    proxy.blackhole();
    const done = server.companion.shutdown({ drainMs: 1_000 });
    const late = new WsWebSocket(server.url);
    late.on('error', () => undefined);
    const status = await new Promise<number | undefined>((resolve) => late.once('unexpected-response', (_request, response) => resolve(response.statusCode)));
    late.terminate();
    expect(status).toBe(503);
    expect(await done).toMatchObject({ clients: 1, terminated: 1 });
    expect(listenerCounts(server.http)).toEqual(server.baseline.bareHttp);
  });

  it('should plan batches that add up to every client, as even as the division allows', () => {
    expect(planBatches(100, 0)).toEqual([100]);
    expect(planBatches(10, 450)).toEqual([2, 2, 2, 2, 2]);
    expect(planBatches(7, 250)).toEqual([2, 2, 3]);
    expect(planBatches(3, 10_000)).toEqual([1, 1, 1]);
    expect(planBatches(0, 1_000)).toEqual([0]);
    for (const [clients, spread] of [[1_000, 9_999], [5, 5_000], [12_345, 30_000]] as const) {
      expect(planBatches(clients, spread).reduce((a, b) => a + b, 0)).toBe(clients);
    }
  });
});
