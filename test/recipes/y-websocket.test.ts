/**
 * Yjs's y-websocket provider over ResilientWebSocket against the real
 * y-websocket server (`@y/websocket-server`'s `setupWSConnection`). The
 * provider retries on its own (up to `maxBackoffTime`), so the socket runs
 * with `reconnect: false`; the heartbeat is a y-protocols sync step 1
 * (`yWebsocketHeartbeat()`), which the server answers with a sync step 2.
 * A crash also drops the server's copy of the document, as a real one
 * without persistence does: the clients bring it back.
 */

import { docs, setupWSConnection } from '@y/websocket-server/utils';
import { describe, expect, it } from 'vitest';
import type { RawData } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ResilientWebSocket, type HeartbeatOptions } from '../../src/index.js';
import { yWebsocketHeartbeat } from '../../src/recipes/y-websocket/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { useHarness } from '../support/harness.js';
import type { TestServer } from '../support/ws-server.js';
import { delay, waitUntil } from '../support/wait.js';
import { clientOf, converged, countClients, measured, range, synced, transport, type ClientCounts, type TransportLog } from './support.js';

const h = useHarness();
/** Short enough for a test to see several intervals; the recipe's default is 5 s each. */
const fast = { intervalMs: 1_000, timeoutMs: 1_000 } as const;
let rooms = 0;

interface YServer {
  readonly server: TestServer;
  readonly counts: ClientCounts;
  /** Sync step 1 messages received, per client: the provider's first one on each connection, then the heartbeat's. */
  readonly syncStep1s: Map<string, number>;
  /** Forgets the server's copy of `room`, as a crash of a server without persistence does. */
  forget(room: string): void;
}

async function startYServer(): Promise<YServer> {
  const server = await h.server({ behaviour: { kind: 'manual' } });
  const syncStep1s = new Map<string, number>();
  server.wss.on('connection', (conn, request) => {
    const client = clientOf(request);
    conn.on('message', (data: RawData) => {
      const bytes = new Uint8Array(data as Buffer);
      if (bytes[0] === 0 && bytes[1] === 0) syncStep1s.set(client, (syncStep1s.get(client) ?? 0) + 1);
    });
    setupWSConnection(conn, request);
  });
  const forget = (room: string): void => {
    const doc = docs.get(room);
    if (doc === undefined) return;
    docs.delete(room);
    doc.awareness.destroy();
    doc.destroy();
  };
  h.defer(() => {
    for (const room of [...docs.keys()]) forget(room);
  });
  return { server, counts: countClients(server.wss), syncStep1s, forget };
}

interface YClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly log: TransportLog;
  /** The shared list every test edits. */
  readonly items: Y.Array<string>;
  syncs: number;
}

/** A provider for `room` named `id` (its `client` query) on `port`, through the recipe's transport. */
function yClient(port: number, room: string, id: string, heartbeat?: (doc: Y.Doc) => HeartbeatOptions): YClient {
  const doc = new Y.Doc();
  const { Transport, log } = transport({ reconnect: false, buffer: false, heartbeat: heartbeat ? heartbeat(doc) : yWebsocketHeartbeat(() => Y.encodeStateVector(doc), fast) });
  // disableBc: providers in one process would otherwise also sync through a BroadcastChannel, past the server.
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}`, room, doc, { WebSocketPolyfill: Transport, params: { client: id }, maxBackoffTime: 200, disableBc: true });
  const client: YClient = { doc, provider, log, items: doc.getArray<string>('items'), syncs: 0 };
  provider.on('sync', (synced: boolean) => {
    if (synced) client.syncs += 1;
  });
  h.defer(() => {
    provider.destroy();
    doc.destroy();
  });
  return client;
}

const newRoom = (): string => `room-${(rooms += 1)}`;

describe('y-websocket', () => {
  it('converge: two providers editing the same document end with equal documents, over one connection each', async () => {
    const y = await startYServer();
    const room = newRoom();
    const a = yClient(y.server.port, room, 'a');
    const b = yClient(y.server.port, room, 'b');
    await Promise.all([synced(a), synced(b)]);
    a.items.push(range('a', 5));
    b.items.push(range('b', 5));
    await converged(a, b, [...range('a', 5), ...range('b', 5)]);
    expect(y.counts.maxOpen('a')).toBe(1);
    expect(y.counts.maxOpen('b')).toBe(1);
  });

  for (const outage of ['server crash', '1012 restart'] as const) {
    it(`${outage}: edits made during the outage reach the other document after it, none twice, with at most one connection per client`, async () => {
      const y = await startYServer();
      const room = newRoom();
      const a = yClient(y.server.port, room, 'a');
      const b = yClient(y.server.port, room, 'b');
      await Promise.all([synced(a), synced(b)]);
      a.items.push(['a-before']);
      b.items.push(['b-before']);
      await converged(a, b, ['a-before', 'b-before']);

      if (outage === '1012 restart') {
        y.server.closeAll(1012, 'service restart');
        await waitUntil(() => y.counts.openAll === 0, 'every connection has closed with 1012');
      }
      await y.server.stop();
      y.forget(room);
      a.items.push(range('a-during', 3));
      b.items.push(range('b-during', 3));
      await waitUntil(() => a.log.sockets.length >= 3 && b.log.sockets.length >= 3, 'both providers have retried against the stopped server');
      await y.server.restart();

      await converged(a, b, ['a-before', 'b-before', ...range('a-during', 3), ...range('b-during', 3)]);
      const first = a.log.closes[0]!;
      expect(first.code).toBe(outage === '1012 restart' ? 1012 : 1006);
      expect(first.report.decision.action).toBe('stop');
      expect(y.counts.maxOpen('a')).toBe(1);
      expect(y.counts.maxOpen('b')).toBe(1);
      expect(y.counts.open('a')).toBe(1);
      expect(y.counts.open('b')).toBe(1);
    });
  }

  it('half-open: a black-holed connection is closed by the sync-step-1 heartbeat in under 5 s, and the provider resumes on a new one', async (context) => {
    const y = await startYServer();
    const proxy = await FaultProxy.start({ targetPort: y.server.port });
    h.defer(() => proxy.close());
    const room = newRoom();
    const a = yClient(proxy.port, room, 'a');
    const b = yClient(y.server.port, room, 'b');
    await Promise.all([synced(a), synced(b)]);

    const blackholedAt = Date.now();
    proxy.blackhole();
    b.items.push(['while-black-holed']);
    await waitUntil(() => a.log.closes.length >= 1, 'the black-holed socket has closed', 15_000);
    const noticedMs = Date.now() - blackholedAt;
    const close = a.log.closes[0]!;
    expect(close.code).toBe(1006);
    expect(close.reason).toBe('heartbeat timeout');
    expect(close.report.libraryCause).toBe('heartbeat-timeout');
    expect(noticedMs).toBeLessThan(5_000);
    await measured(context, `half-open noticed after ${noticedMs} ms (heartbeat interval ${fast.intervalMs} ms, timeout ${fast.timeoutMs} ms)`);

    await synced(a, 2);
    await converged(a, b, ['while-black-holed']);
    expect(a.log.sockets).toHaveLength(2);
  });

  it('idle healthy: an idle connection stays open over 5 heartbeat intervals, the server answering each sync step 1', async (context) => {
    const y = await startYServer();
    const a = yClient(y.server.port, newRoom(), 'a');
    await synced(a);
    await delay(5 * (fast.intervalMs + 200));
    expect(a.log.closes).toEqual([]);
    expect(a.log.sockets).toHaveLength(1);
    expect(y.counts.total('a')).toBe(1);
    // The provider's own on open, then at least 3 heartbeats.
    expect(y.syncStep1s.get('a') ?? 0).toBeGreaterThanOrEqual(4);
    await measured(context, `${(y.syncStep1s.get('a') ?? 1) - 1} sync step 1 heartbeats answered over ${5 * (fast.intervalMs + 200)} ms idle, 0 closes, 1 connection`);
  });

  it("idle healthy: the default text heartbeat ('ping') is what this fixes: the server never answers it, so a healthy connection is closed as dead", async () => {
    const y = await startYServer();
    const a = yClient(y.server.port, newRoom(), 'a', () => ({ ...fast }));
    await synced(a);
    await waitUntil(() => a.log.closes.length >= 1, 'the connection has been closed', 15_000);
    expect(a.log.closes[0]!.reason).toBe('heartbeat timeout');
    await waitUntil(() => y.counts.total('a') >= 2, 'the provider has had to reconnect');
  });

  it('destroy: disconnect() and destroy() leave no connection at the server, and none comes back', async () => {
    const y = await startYServer();
    const a = yClient(y.server.port, newRoom(), 'a');
    await synced(a);
    a.provider.disconnect();
    await waitUntil(() => y.counts.openAll === 0, 'the server has no open connection after disconnect()');
    await delay(500);
    expect(y.counts.openAll).toBe(0);

    a.provider.connect();
    await synced(a, 2);
    expect(y.counts.open('a')).toBe(1);
    a.provider.destroy();
    await waitUntil(() => y.counts.openAll === 0, 'the server has no open connection after destroy()');
    await delay(500 + fast.intervalMs);
    expect(y.counts.openAll).toBe(0);
    expect(y.counts.total('a')).toBe(2);
    expect(y.counts.maxOpen('a')).toBe(1);
    for (const socket of a.log.sockets) expect(socket.readyState).toBe(ResilientWebSocket.CLOSED);
  });

  it('connections: at most one per client across three crashes and a 1012, and each client ends with exactly one', async (context) => {
    const y = await startYServer();
    const room = newRoom();
    const a = yClient(y.server.port, room, 'a');
    const b = yClient(y.server.port, room, 'b');
    await Promise.all([synced(a), synced(b)]);
    for (let round = 1; round <= 4; round += 1) {
      if (round === 4) y.server.closeAll(1012, 'service restart');
      await y.server.stop();
      await delay(250);
      await y.server.restart();
      await Promise.all([synced(a, round + 1), synced(b, round + 1)]);
    }
    a.items.push(['last']);
    await converged(a, b, ['last']);
    expect(y.counts.maxOpen('a')).toBe(1);
    expect(y.counts.maxOpen('b')).toBe(1);
    expect(y.counts.open('a')).toBe(1);
    expect(y.counts.open('b')).toBe(1);
    await measured(context, `4 outages: ${y.counts.total('a')} and ${y.counts.total('b')} connections in all, at most ${y.counts.maxOpen('a')} and ${y.counts.maxOpen('b')} open at once`);
  });
});
