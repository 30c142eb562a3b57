/**
 * phoenix.js (the official Phoenix client, `phoenix` on npm) over
 * ResilientWebSocket against a stand-in for Phoenix's channel server
 * (./phoenix-server.ts: the V2 JSON wire format on a `ws` server; there is
 * no Phoenix server on npm). phoenix.js reconnects (`reconnectAfterMs`) and
 * rejoins its channels (`rejoinAfterMs`) on its own, so the socket runs
 * with `reconnect: false`; the heartbeat is Phoenix's own `heartbeat` on
 * topic `phoenix` with a ref of the recipe's (`phoenixHeartbeat()`), which
 * the server answers with a `phx_reply`. phoenix.js keeps a channel's
 * pushes while it is not joined and sends them once it has rejoined,
 * unless their timeout (10 s by default; 30 s here) ran out first; a push
 * already sent on a connection that died is not sent again.
 */

import { Socket, type Channel, type SocketOptions } from 'phoenix';
import { describe, expect, it } from 'vitest';
import { ResilientWebSocket, type HeartbeatOptions } from '../../src/index.js';
import { phoenixHeartbeat, phoenixHeartbeatRef } from '../../src/recipes/phoenix/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { useHarness } from '../support/harness.js';
import type { TestServer } from '../support/ws-server.js';
import { delay, waitUntil } from '../support/wait.js';
import { phoenixServer, type PhoenixServer } from './phoenix-server.js';
import { countClients, measured, range, transport, type ClientCounts, type TransportLog } from './support.js';

const h = useHarness();
const topic = 'room:lobby';
/** Short enough for a test to see several intervals; the recipe's default is 5 s each. */
const fast = { intervalMs: 1_000, timeoutMs: 1_000 } as const;
/** phoenix.js's retry and rejoin steps in these tests (its defaults start at 10 ms and 1 s). */
const retryMs = 100;

interface PServer {
  readonly server: TestServer;
  readonly counts: ClientCounts;
  readonly phoenix: PhoenixServer;
}

async function startPhoenix(): Promise<PServer> {
  const server = await h.server({ behaviour: { kind: 'manual' } });
  return { server, counts: countClients(server.wss), phoenix: phoenixServer(server.wss) };
}

interface PClient {
  readonly socket: Socket;
  readonly channel: Channel;
  readonly log: TransportLog;
  /** The `body` of each `new_msg` broadcast on the channel, in order. */
  readonly received: string[];
  /** Successful joins of the channel (the first and each rejoin). */
  joins: number;
  /** Replies to the recipe's heartbeat that reached phoenix.js: none, as the recipe claims them. */
  heartbeatRepliesSeen: number;
}

/** A phoenix.js socket named `id` (its `client` param) on `port`, through the recipe's transport, joining `topic`. */
function pClient(port: number, id: string, heartbeat: HeartbeatOptions | false = phoenixHeartbeat(fast), options: SocketOptions = {}): PClient {
  const { Transport, log } = transport({ reconnect: false, buffer: false, heartbeat });
  const socket = new Socket(`ws://127.0.0.1:${port}/socket`, {
    transport: Transport,
    params: { client: id },
    reconnectAfterMs: () => retryMs,
    rejoinAfterMs: () => retryMs,
    timeout: 30_000,
    ...options,
  });
  const channel = socket.channel(topic);
  const client: PClient = { socket, channel, log, received: [], joins: 0, heartbeatRepliesSeen: 0 };
  channel.on('new_msg', (payload) => client.received.push((payload as { body: string }).body));
  channel.join().receive('ok', () => {
    client.joins += 1;
  });
  socket.onMessage((message) => {
    if (message.ref === phoenixHeartbeatRef) client.heartbeatRepliesSeen += 1;
  });
  socket.connect();
  // Teardown runs in reverse: disconnect first, then dispose whatever phoenix.js left closing (a dead socket it gave up on).
  h.defer(() => {
    for (const made of log.sockets) made.dispose();
  });
  h.defer(() => new Promise<void>((resolve) => socket.disconnect(resolve)));
  return client;
}

const joined = (client: PClient, times = 1): Promise<void> => waitUntil(() => client.joins >= times, `the channel has joined ${times} time(s)`);

/** Pushes a `new_msg` per body; resolves once the server has acknowledged each, rejects on a push's error or timeout. */
function pushAll(client: PClient, bodies: readonly string[], timeoutMs?: number): Promise<unknown> {
  return Promise.all(
    bodies.map(
      (body) =>
        new Promise((resolve, reject) => {
          client.channel
            .push('new_msg', { body }, timeoutMs)
            .receive('ok', resolve)
            .receive('error', () => reject(new Error(`push ${body}: error`)))
            .receive('timeout', () => reject(new Error(`push ${body}: timeout`)));
        }),
    ),
  );
}

/** A proxy in front of the server, closed after the test. */
async function proxyTo(ps: PServer): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ targetPort: ps.server.port });
  h.defer(() => proxy.close());
  return proxy;
}

/**
 * An outage: `down()` takes the server away and the pusher pushes
 * meanwhile; the server comes back on the same port. The pusher goes
 * through `gate`, which holds it out until the listener has rejoined: a
 * Phoenix broadcast reaches the topic's members of the moment and is kept
 * nowhere, so pushes flushed before the listener is back are not its to
 * receive (Phoenix's semantics, not the transport's).
 */
async function outage(ps: PServer, pusher: PClient, gate: FaultProxy, listener: PClient, down: () => Promise<void>): Promise<void> {
  const before = ps.counts.total('pub');
  const listenerJoins = listener.joins;
  const closes = pusher.log.closes.length;
  await down();
  gate.refuse(true);
  // A push sent before phoenix.js has seen the connection close goes out on it and is lost with it (see the
  // half-open test), so the outage's pushes start once it has.
  await waitUntil(() => pusher.log.closes.length > closes && pusher.channel.state !== 'joined', 'phoenix.js has seen the connection close');
  // While it is down: phoenix.js keeps the pushes in the channel's buffer until it has rejoined.
  const during = pushAll(pusher, range('during', 5));
  await waitUntil(() => pusher.log.sockets.length >= 3, 'phoenix.js has retried against the stopped server');
  expect(ps.counts.total('pub')).toBe(before);
  await ps.server.restart();
  await waitUntil(() => listener.joins > listenerJoins, 'the listener has rejoined');
  gate.refuse(false);
  await during;
}

/** The server received each body from the pusher exactly once, and the listener got each exactly once, in order. */
function expectDeliveredOnce(ps: PServer, listener: PClient, bodies: readonly string[]): void {
  expect(listener.received).toEqual(bodies);
  for (const body of bodies) expect(ps.phoenix.pushes.get(body)).toBe(1);
}

describe('Phoenix (stand-in server)', () => {
  it('converge: two sockets pushing on the same channel each receive every message once, in the same order, over one connection each', async () => {
    const ps = await startPhoenix();
    const a = pClient(ps.server.port, 'a');
    const b = pClient(ps.server.port, 'b');
    await Promise.all([joined(a), joined(b)]);
    await Promise.all([pushAll(a, range('a', 5)), pushAll(b, range('b', 5))]);
    await waitUntil(() => a.received.length >= 10 && b.received.length >= 10, 'both sockets have received 10 messages');
    await delay(200);
    expect([...a.received].sort()).toEqual([...range('a', 5), ...range('b', 5)].sort());
    expect(b.received).toEqual(a.received);
    expect(ps.counts.maxOpen('a')).toBe(1);
    expect(ps.counts.maxOpen('b')).toBe(1);
  });

  it('converge: after the channel crashes (phx_error to each member), both rejoin over the connection they have, and messages flow again', async () => {
    const ps = await startPhoenix();
    const a = pClient(ps.server.port, 'a');
    const b = pClient(ps.server.port, 'b');
    await Promise.all([joined(a), joined(b)]);
    ps.phoenix.crashChannel(topic);
    await Promise.all([joined(a, 2), joined(b, 2)]);
    await pushAll(a, ['after-crash']);
    await waitUntil(() => b.received.includes('after-crash'), 'the other socket has received a message after the rejoin');
    expect(b.received).toEqual(['after-crash']);
    expect(ps.counts.total('a')).toBe(1);
    expect(ps.counts.total('b')).toBe(1);
    expect(a.log.closes).toEqual([]);
  });

  for (const kind of ['server crash', '1012 restart'] as const) {
    it(`${kind}: messages pushed during the outage are all delivered after it, none twice, with at most one connection per client`, async () => {
      const ps = await startPhoenix();
      const gate = await proxyTo(ps);
      const sub = pClient(ps.server.port, 'sub');
      const pub = pClient(gate.port, 'pub');
      await Promise.all([joined(sub), joined(pub)]);
      await pushAll(pub, range('before', 3));
      await waitUntil(() => sub.received.length >= 3, 'the listener has received the first 3 messages');

      await outage(ps, pub, gate, sub, async () => {
        if (kind === '1012 restart') {
          ps.server.closeAll(1012, 'service restart');
          await waitUntil(() => ps.counts.openAll === 0, 'every connection has closed with 1012');
        }
        await ps.server.stop();
      });

      await waitUntil(() => sub.received.length >= 8, 'the listener has received the messages pushed during the outage');
      await delay(300);
      expectDeliveredOnce(ps, sub, [...range('before', 3), ...range('during', 5)]);
      // The outage reached phoenix.js with its real code, and the socket left the retrying to it.
      const first = pub.log.closes[0]!;
      expect(first.code).toBe(kind === '1012 restart' ? 1012 : 1006);
      expect(first.report.decision.action).toBe('stop');
      expect(ps.counts.maxOpen('sub')).toBe(1);
      expect(ps.counts.maxOpen('pub')).toBe(1);
      expect(ps.counts.open('sub')).toBe(1);
      expect(ps.counts.open('pub')).toBe(1);
      expect(ps.phoenix.members(topic)).toBe(2);
    });
  }

  it("server crash: a push whose timeout runs out during the outage is reported as 'timeout' and never sent, as phoenix.js does; one still waiting is sent after", async () => {
    const ps = await startPhoenix();
    const a = pClient(ps.server.port, 'a');
    await joined(a);
    await ps.server.stop();
    const late = await new Promise((resolve) => {
      a.channel
        .push('new_msg', { body: 'late' }, 300)
        .receive('timeout', () => resolve('timeout'))
        .receive('ok', () => resolve('ok'));
    });
    expect(late).toBe('timeout');
    await waitUntil(() => a.log.closes.length >= 1 && a.channel.state !== 'joined', 'phoenix.js has seen the connection close');
    const kept = pushAll(a, ['kept']);
    await waitUntil(() => a.log.sockets.length >= 3, 'phoenix.js has retried against the stopped server');
    await ps.server.restart();
    await kept;
    // The server broadcasts to the sender too.
    await waitUntil(() => a.received.includes('kept'), 'the socket has received its own push back');
    await delay(300);
    expect(a.received).toEqual(['kept']);
    expect(ps.phoenix.pushes.get('late')).toBeUndefined();
    expect(ps.phoenix.pushes.get('kept')).toBe(1);
  });

  it("half-open: a black-holed connection is closed by Phoenix's heartbeat (the recipe's) in under 5 s, and phoenix.js rejoins on a new one", async (context) => {
    const ps = await startPhoenix();
    const proxy = await proxyTo(ps);
    const a = pClient(proxy.port, 'a');
    const b = pClient(ps.server.port, 'b');
    await Promise.all([joined(a), joined(b)]);

    const blackholedAt = Date.now();
    proxy.blackhole();
    await waitUntil(() => a.log.closes.length >= 1, 'the black-holed socket has closed', 15_000);
    const noticedMs = Date.now() - blackholedAt;
    const close = a.log.closes[0]!;
    expect(close.code).toBe(1006);
    expect(close.reason).toBe('heartbeat timeout');
    expect(close.report.libraryCause).toBe('heartbeat-timeout');
    expect(noticedMs).toBeLessThan(5_000);
    await measured(context, `half-open noticed after ${noticedMs} ms (heartbeat interval ${fast.intervalMs} ms, timeout ${fast.timeoutMs} ms; phoenix.js's own at its default 30 s)`);

    await joined(a, 2);
    await measured(context, `rejoined after ${Date.now() - blackholedAt} ms`);
    await pushAll(b, ['after']);
    await waitUntil(() => a.received.includes('after'), 'the socket has received a message on its new connection');
    expect(a.log.sockets).toHaveLength(2);
    expect(ps.counts.total('a')).toBe(2);
  });

  it("half-open: without the recipe, phoenix.js's own heartbeat (1 s here, 30 s by default) closes the dead socket with a close handshake that never completes: phoenix.js waits 1.5 s for it, then opens the next socket while the dead one is still closing, its close event not fired", async (context) => {
    const ps = await startPhoenix();
    const proxy = await proxyTo(ps);
    const a = pClient(proxy.port, 'a', false, { heartbeatIntervalMs: fast.intervalMs });
    await joined(a);
    const blackholedAt = Date.now();
    proxy.blackhole();
    await waitUntil(() => a.log.sockets.length >= 2, 'phoenix.js has opened a second socket', 15_000);
    const reopenedMs = Date.now() - blackholedAt;
    expect(a.log.sockets[0]!.readyState).toBe(ResilientWebSocket.CLOSING);
    expect(a.log.closes).toEqual([]);
    // Its own heartbeat needs one interval and as long again for the reply, then phoenix.js waits for the close.
    expect(reopenedMs).toBeGreaterThanOrEqual(2 * fast.intervalMs + 1_000);
    await joined(a, 2);
    await measured(context, `phoenix.js alone: next socket after ${reopenedMs} ms, the dead one still closing`);
  });

  it("half-open: a push sent into the black-holed connection is not sent again after phoenix.js rejoins: it reports 'timeout', as phoenix.js does for any push whose connection died", async () => {
    const ps = await startPhoenix();
    const proxy = await proxyTo(ps);
    const a = pClient(proxy.port, 'a');
    await joined(a);
    proxy.blackhole();
    // A timeout longer than the heartbeat needs to notice the black hole and phoenix.js to rejoin: the push is
    // still waiting on the new connection, and is not sent there.
    const lost = await new Promise((resolve) => {
      a.channel
        .push('new_msg', { body: 'lost' }, 3 * (fast.intervalMs + fast.timeoutMs))
        .receive('timeout', () => resolve(a.joins >= 2 ? 'timeout after the rejoin' : 'timeout before the rejoin'))
        .receive('ok', () => resolve('ok'));
    });
    expect(lost).toBe('timeout after the rejoin');
    await pushAll(a, ['after']);
    await waitUntil(() => a.received.includes('after'), 'the socket has received its own push back on its new connection');
    expect(a.received).toEqual(['after']);
    expect(ps.phoenix.pushes.get('lost')).toBeUndefined();
  });

  it('idle healthy: an idle connection stays open over 5 heartbeat intervals, the server answering each heartbeat, phoenix.js seeing none of the replies', async (context) => {
    const ps = await startPhoenix();
    const a = pClient(ps.server.port, 'a');
    await joined(a);
    await delay(5 * (fast.intervalMs + 200));
    const answered = ps.phoenix.recipeHeartbeats.get('a') ?? 0;
    expect(a.log.closes).toEqual([]);
    expect(a.log.sockets).toHaveLength(1);
    expect(ps.counts.total('a')).toBe(1);
    expect(answered).toBeGreaterThanOrEqual(3);
    expect(a.heartbeatRepliesSeen).toBe(0);
    expect(a.channel.state).toBe('joined');
    await measured(context, `${answered} heartbeats answered over ${5 * (fast.intervalMs + 200)} ms idle, 0 closes, 1 connection, 0 replies passed to phoenix.js`);
  });

  it("idle healthy: the default text heartbeat ('ping') is what this fixes: Phoenix cannot decode it, so the healthy connection is closed (1011 from the stand-in) and phoenix.js has to reconnect", async () => {
    const ps = await startPhoenix();
    const a = pClient(ps.server.port, 'a', { ...fast });
    await joined(a);
    await waitUntil(() => a.log.closes.length >= 1, 'the connection has been dropped', 15_000);
    expect(a.log.closes[0]!.code).toBe(1011);
    expect(ps.phoenix.undecodable).toBeGreaterThanOrEqual(1);
    expect(a.log.sockets[0]!.readyState).toBe(ResilientWebSocket.CLOSED);
    await waitUntil(() => ps.counts.total('a') >= 2, 'phoenix.js has had to reconnect');
  });

  it('destroy: disconnect() leaves no connection at the server, and none comes back', async () => {
    const ps = await startPhoenix();
    const a = pClient(ps.server.port, 'a');
    await joined(a);
    expect(ps.counts.open('a')).toBe(1);
    await new Promise<void>((resolve) => a.socket.disconnect(resolve));
    await waitUntil(() => ps.counts.openAll === 0, 'the server has no open connection');
    await delay(4 * retryMs + fast.intervalMs + fast.timeoutMs);
    expect(ps.counts.openAll).toBe(0);
    expect(ps.counts.total('a')).toBe(1);
    expect(ps.phoenix.members(topic)).toBe(0);
    for (const socket of a.log.sockets) expect(socket.readyState).toBe(ResilientWebSocket.CLOSED);
  });

  it('connections: at most one per client across three crashes and a 1012, and each client ends with exactly one, its channel joined', async (context) => {
    const ps = await startPhoenix();
    const sub = pClient(ps.server.port, 'sub');
    const pub = pClient(ps.server.port, 'pub');
    await Promise.all([joined(sub), joined(pub)]);
    for (let round = 1; round <= 4; round += 1) {
      if (round === 4) ps.server.closeAll(1012, 'service restart');
      await ps.server.stop();
      await delay(250);
      await ps.server.restart();
      await waitUntil(() => sub.joins > round && pub.joins > round, `both channels have rejoined after outage ${round}`);
    }
    await pushAll(pub, ['last']);
    await waitUntil(() => sub.received.includes('last'), 'the listener has received a message after the outages');
    expect(ps.counts.maxOpen('sub')).toBe(1);
    expect(ps.counts.maxOpen('pub')).toBe(1);
    expect(ps.counts.open('sub')).toBe(1);
    expect(ps.counts.open('pub')).toBe(1);
    expect(ps.phoenix.members(topic)).toBe(2);
    await measured(context, `4 outages: ${ps.counts.total('sub')} and ${ps.counts.total('pub')} connections in all, at most ${ps.counts.maxOpen('sub')} and ${ps.counts.maxOpen('pub')} open at once`);
  });
});
