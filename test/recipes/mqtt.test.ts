/**
 * MQTT.js over ResilientWebSocket against aedes, a real broker, served over
 * WebSocket with `ws`'s `createWebSocketStream`. MQTT.js retries on its own
 * (`reconnectPeriod`), so the socket runs with `reconnect: false`; the
 * heartbeat is MQTT's own PINGREQ (`mqttHeartbeat()`), which the broker
 * answers with PINGRESP. The broker outlives the transport's crash (as a
 * broker with persistence does), so persistent sessions (`clean: false`,
 * QoS 1) carry what was published during the outage.
 */

import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { createWebSocketStream } from 'ws';
import { ResilientWebSocket, type HeartbeatOptions } from '../../src/index.js';
import { mqttHeartbeat } from '../../src/recipes/mqtt/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { useHarness } from '../support/harness.js';
import type { TestServer } from '../support/ws-server.js';
import { delay, waitUntil } from '../support/wait.js';
import { countClients, measured, range, transport, type ClientCounts, type TransportLog } from './support.js';

const h = useHarness();
const topic = 'recipes/mqtt';
/** Short enough for a test to see several intervals; the recipe's default is 5 s each. */
const fast = { intervalMs: 1_000, timeoutMs: 1_000 } as const;

interface Broker {
  readonly server: TestServer;
  readonly counts: ClientCounts;
  /** PINGREQs the broker answered, per client id. */
  readonly pings: Map<string, number>;
  /** How many times the broker received each payload from a client. */
  readonly published: Map<string, number>;
}

async function startBroker(): Promise<Broker> {
  const aedes = await Aedes.createBroker();
  h.defer(() => new Promise<void>((resolve) => aedes.close(() => resolve())));
  const server = await h.server({ behaviour: { kind: 'manual' } });
  server.wss.on('connection', (socket) => aedes.handle(createWebSocketStream(socket)));
  const pings = new Map<string, number>();
  aedes.on('ping', (_packet, client) => pings.set(client.id, (pings.get(client.id) ?? 0) + 1));
  const published = new Map<string, number>();
  aedes.on('publish', (packet, client) => {
    if (client !== null) published.set(packet.payload.toString(), (published.get(packet.payload.toString()) ?? 0) + 1);
  });
  return { server, counts: countClients(server.wss), pings, published };
}

interface Client {
  readonly mqtt: MqttClient;
  readonly log: TransportLog;
  /** Payloads received on `topic`, in order. */
  readonly received: string[];
  connects: number;
}

/** An MQTT.js client named `id` (its client id and its `client` query) on `port`, through the recipe's transport. */
function connect(port: number, id: string, heartbeat: HeartbeatOptions = mqttHeartbeat(fast)): Client {
  const { Transport, log } = transport({ reconnect: false, buffer: false, heartbeat });
  const client = mqtt.connect(`ws://127.0.0.1:${port}/mqtt?client=${id}`, {
    clientId: id,
    clean: false,
    reconnectPeriod: 100,
    connectTimeout: 5_000,
    forceNativeWebSocket: true,
    createWebsocket: (url: string, protocols: string[]) => new Transport(url, protocols),
  });
  const record: Client = { mqtt: client, log, received: [], connects: 0 };
  client.on('connect', () => {
    record.connects += 1;
  });
  client.on('message', (_topic, payload) => record.received.push(payload.toString()));
  // MQTT.js emits 'error' for a refused reconnect; without a listener Node would throw it.
  client.on('error', () => undefined);
  h.defer(() => client.endAsync(true));
  return record;
}

async function subscribed(client: Client): Promise<void> {
  await waitUntil(() => client.connects >= 1, `${client.mqtt.options.clientId} has connected`);
  await client.mqtt.subscribeAsync(topic, { qos: 1 });
}

const publishAll = (client: Client, payloads: readonly string[]): Promise<unknown> => Promise.all(payloads.map((payload) => client.mqtt.publishAsync(topic, payload, { qos: 1 })));


/**
 * An outage: `down()` takes the server away and messages are published
 * meanwhile; the server comes back on the same port. The publisher goes
 * through `gate`, which holds it out until the subscriber is back: aedes
 * may deliver a QoS 1 message twice to a session that is resuming while it
 * arrives (which QoS 1 allows), and that race is the broker's, not the
 * transport's.
 */
async function outage(broker: Broker, publisher: Client, gate: FaultProxy, subscriber: Client, down: () => Promise<void>): Promise<void> {
  const before = broker.counts.total('pub');
  const subscriberConnects = subscriber.connects;
  await down();
  gate.refuse(true);
  // While it is down: MQTT.js keeps the QoS 1 messages until it is connected again.
  const during = publishAll(publisher, range('during', 5));
  await waitUntil(() => publisher.log.sockets.length >= 3, 'MQTT.js has retried against the stopped server');
  expect(broker.counts.total('pub')).toBe(before);
  await broker.server.restart();
  await waitUntil(() => subscriber.connects > subscriberConnects, 'the subscriber has resumed its session');
  gate.refuse(false);
  await during;
}

/** A proxy in front of the broker, closed after the test. */
async function proxyTo(broker: Broker): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ targetPort: broker.server.port });
  h.defer(() => proxy.close());
  return proxy;
}

/** The broker received each payload from the publisher exactly once, and the subscriber got each exactly once, in order. */
function expectDeliveredOnce(broker: Broker, subscriber: Client, payloads: readonly string[]): void {
  expect(subscriber.received).toEqual(payloads);
  for (const payload of payloads) expect(broker.published.get(payload)).toBe(1);
}

describe('MQTT.js', () => {
  it('converge: a subscriber receives every message a publisher sends, in order, over one connection each', async () => {
    const broker = await startBroker();
    const sub = connect(broker.server.port, 'sub');
    const pub = connect(broker.server.port, 'pub');
    await subscribed(sub);
    await publishAll(pub, range('m', 10));
    await waitUntil(() => sub.received.length >= 10, 'the subscriber has received 10 messages');
    expect(sub.received).toEqual(range('m', 10));
    expect(broker.counts.maxOpen('sub')).toBe(1);
    expect(broker.counts.maxOpen('pub')).toBe(1);
  });

  it('server crash: messages published during the outage are all delivered after it, none twice, with at most one connection per client', async () => {
    const broker = await startBroker();
    const gate = await proxyTo(broker);
    const sub = connect(broker.server.port, 'sub');
    const pub = connect(gate.port, 'pub');
    await subscribed(sub);
    await publishAll(pub, range('before', 3));
    await waitUntil(() => sub.received.length >= 3, 'the subscriber has received the first 3 messages');

    await outage(broker, pub, gate, sub, () => broker.server.stop());

    await waitUntil(() => sub.received.length >= 8, 'the subscriber has received the messages published during the outage');
    await delay(300);
    expectDeliveredOnce(broker, sub, [...range('before', 3), ...range('during', 5)]);
    // The crash reached MQTT.js as a 1006, and the socket left the retrying to it.
    const crashed = pub.log.closes[0]!;
    expect(crashed.code).toBe(1006);
    expect(crashed.report.decision.action).toBe('stop');
    expect(broker.counts.maxOpen('sub')).toBe(1);
    expect(broker.counts.maxOpen('pub')).toBe(1);
    expect(broker.counts.open('sub')).toBe(1);
    expect(broker.counts.open('pub')).toBe(1);
  });

  it('1012 restart: messages published while the server restarts are all delivered after it, none twice, with at most one connection per client', async () => {
    const broker = await startBroker();
    const gate = await proxyTo(broker);
    const sub = connect(broker.server.port, 'sub');
    const pub = connect(gate.port, 'pub');
    await subscribed(sub);
    await publishAll(pub, range('before', 3));
    await waitUntil(() => sub.received.length >= 3, 'the subscriber has received the first 3 messages');

    await outage(broker, pub, gate, sub, async () => {
      broker.server.closeAll(1012, 'service restart');
      await waitUntil(() => broker.counts.openAll === 0, 'every connection has closed with 1012');
      await broker.server.stop();
    });

    await waitUntil(() => sub.received.length >= 8, 'the subscriber has received the messages published during the restart');
    await delay(300);
    expectDeliveredOnce(broker, sub, [...range('before', 3), ...range('during', 5)]);
    const restarted = pub.log.closes[0]!;
    expect(restarted.code).toBe(1012);
    expect(restarted.report.decision.action).toBe('stop');
    expect(broker.counts.maxOpen('sub')).toBe(1);
    expect(broker.counts.maxOpen('pub')).toBe(1);
  });

  it('half-open: a black-holed connection is closed by the PINGREQ heartbeat in under 5 s, and MQTT.js resumes on a new one', async (context) => {
    const broker = await startBroker();
    const proxy = await proxyTo(broker);
    const sub = connect(proxy.port, 'sub');
    const pub = connect(broker.server.port, 'pub');
    await subscribed(sub);

    const blackholedAt = Date.now();
    proxy.blackhole();
    await waitUntil(() => sub.log.closes.length >= 1, 'the black-holed socket has closed', 15_000);
    const noticedMs = Date.now() - blackholedAt;
    const close = sub.log.closes[0]!;
    expect(close.code).toBe(1006);
    expect(close.reason).toBe('heartbeat timeout');
    expect(close.report.libraryCause).toBe('heartbeat-timeout');
    expect(noticedMs).toBeLessThan(5_000);
    await measured(context, `half-open noticed after ${noticedMs} ms (heartbeat interval ${fast.intervalMs} ms, timeout ${fast.timeoutMs} ms)`);

    await waitUntil(() => sub.connects >= 2, 'MQTT.js has connected again through the proxy');
    await publishAll(pub, ['after']);
    await waitUntil(() => sub.received.includes('after'), 'the subscriber has received a message on its new connection');
    expect(sub.log.sockets).toHaveLength(2);
  });

  it('idle healthy: an idle connection stays open over 5 heartbeat intervals, the broker answering each PINGREQ', async (context) => {
    const broker = await startBroker();
    const sub = connect(broker.server.port, 'sub');
    await subscribed(sub);
    await delay(5 * (fast.intervalMs + 200));
    expect(sub.log.closes).toEqual([]);
    expect(sub.log.sockets).toHaveLength(1);
    expect(broker.counts.total('sub')).toBe(1);
    expect(broker.pings.get('sub') ?? 0).toBeGreaterThanOrEqual(3);
    await measured(context, `${broker.pings.get('sub') ?? 0} PINGREQs answered over ${5 * (fast.intervalMs + 200)} ms idle, 0 closes, 1 connection`);
  });

  it("idle healthy: the default text heartbeat ('ping') is what this fixes: the broker reads 'pi' as the header of a 105-byte packet and answers nothing, so the healthy connection is closed as dead", async () => {
    const broker = await startBroker();
    const sub = connect(broker.server.port, 'sub', { ...fast });
    await subscribed(sub);
    await waitUntil(() => sub.log.closes.length >= 1, 'the connection has been dropped', 15_000);
    expect(sub.log.closes[0]!.reason).toBe('heartbeat timeout');
    expect(sub.log.sockets[0]!.readyState).toBe(ResilientWebSocket.CLOSED);
    await waitUntil(() => broker.counts.total('sub') >= 2, 'MQTT.js has had to reconnect');
  });

  it('destroy: end() leaves no connection at the server, and none comes back', async () => {
    const broker = await startBroker();
    const sub = connect(broker.server.port, 'sub');
    await subscribed(sub);
    expect(broker.counts.open('sub')).toBe(1);
    await sub.mqtt.endAsync();
    await waitUntil(() => broker.counts.openAll === 0, 'the server has no open connection');
    await delay(4 * 100 + fast.intervalMs);
    expect(broker.counts.openAll).toBe(0);
    expect(broker.counts.total('sub')).toBe(1);
    for (const socket of sub.log.sockets) expect(socket.readyState).toBe(ResilientWebSocket.CLOSED);
  });

  it('connections: at most one per client across three crashes and a 1012, and each client ends with exactly one', async (context) => {
    const broker = await startBroker();
    const sub = connect(broker.server.port, 'sub');
    const pub = connect(broker.server.port, 'pub');
    await subscribed(sub);
    for (let round = 1; round <= 4; round += 1) {
      if (round === 4) broker.server.closeAll(1012, 'service restart');
      await broker.server.stop();
      await delay(250);
      await broker.server.restart();
      await waitUntil(() => sub.connects > round && pub.connects > round, `both clients have reconnected after outage ${round}`);
    }
    await publishAll(pub, ['last']);
    await waitUntil(() => sub.received.includes('last'), 'the subscriber has received a message after the outages');
    expect(broker.counts.maxOpen('sub')).toBe(1);
    expect(broker.counts.maxOpen('pub')).toBe(1);
    expect(broker.counts.open('sub')).toBe(1);
    expect(broker.counts.open('pub')).toBe(1);
    await measured(context, `4 outages: ${broker.counts.total('sub')} and ${broker.counts.total('pub')} connections in all, at most ${broker.counts.maxOpen('sub')} and ${broker.counts.maxOpen('pub')} open at once`);
  });
});
