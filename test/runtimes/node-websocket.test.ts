/**
 * Node's built-in WebSocket (undici; global in Node 22+, behind
 * `--experimental-websocket` on Node 20) against the `ws` package's class:
 * the same faults, the same close codes, `wasClean` and reports. Each
 * client runs in a child process started with the flag (see
 * support/node-child.ts); the servers and the fault proxy run here.
 *
 * Both rows assert the same expectations, which are what the `ws` class
 * gives: a row that differs fails.
 */

import http from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { listenOnLoopback } from '../support/listen.js';
import { startServer, type TestServer } from '../support/ws-server.js';
import { startNodeClient, type NodeClientProcess } from './support/node-child.js';
import type { ClientImplementation, ReportFacts } from './support/protocol.js';

const teardowns: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) await teardown();
});

async function server(): Promise<TestServer> {
  const started = await startServer();
  teardowns.push(() => started.close());
  return started;
}

async function client(): Promise<NodeClientProcess> {
  const started = await startNodeClient();
  teardowns.push(() => started.stop());
  return started;
}

/** A port nothing listens on: listened on, then released. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  const port = await listenOnLoopback(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** An HTTP server that answers every upgrade with 401 (an expired token). */
async function unauthorizedServer(): Promise<{ port: number; upgrades: () => number }> {
  let upgrades = 0;
  const sockets = new Set<Socket>();
  const http401 = http.createServer((_request, response) => response.writeHead(401).end());
  http401.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  http401.on('upgrade', (_request, socket: Socket) => {
    upgrades += 1;
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  const port = await listenOnLoopback(http401);
  teardowns.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => http401.close(() => resolve()));
  });
  return { port, upgrades: () => upgrades };
}

/** Waits in [10, 200] ms between attempts, and never as long as a test. */
const fast = { reconnect: { baseDelayMs: 50, minDelayMs: 10, maxDelayMs: 200 }, connectTimeoutMs: 60_000 } as const;

/** What the `ws` class reports for a connection that failed before the handshake completed. */
const failedHandshake: ReportFacts = {
  code: 1006,
  class: 'abnormal',
  initiator: 'network',
  phase: 'handshake',
  libraryCause: null,
  errorFirst: true,
  decision: 'reconnect',
};

const majorNode = process.versions.node.split('.')[0] ?? '';
const rows: readonly { readonly title: string; readonly implementation: ClientImplementation }[] = [
  { title: `Node ${majorNode} built-in WebSocket (undici)`, implementation: 'undici' },
  { title: 'ws package', implementation: 'ws' },
];

describe.each(rows)('$title', ({ implementation }) => {
  it('import: the class is there without a WebSocket option (the global one) or with the ws class', async () => {
    const child = await client();
    // On Node 20 the global exists only behind --experimental-websocket, which the process was given.
    expect(child.ready.hasGlobalWebSocket).toBe(true);
    const echo = await server();
    child.send({ type: 'connect', implementation, url: echo.url, options: fast });
    await child.nth('open', 1);
    expect(echo.connectionCount).toBe(1);
  });

  it('connect: opens and carries messages both ways', async () => {
    const echo = await server();
    const child = await client();
    child.send({ type: 'connect', implementation, url: `${echo.url}live`, options: fast });
    await child.nth('open', 1);
    child.send({ type: 'send', data: 'hello' });
    expect(await child.nth('message', 1)).toEqual({ type: 'message', data: 'hello' });
    expect(echo.messages).toEqual(['hello']);
    expect(echo.connections[0]?.path).toBe('/live');
  });

  it('connect: a refused connect ends at once as 1006, wasClean false, in the handshake, and is retried', async () => {
    const port = await closedPort();
    const child = await client();
    // A connect timeout of 60 s: an implementation that never ends the attempt fails this test (15 s wait).
    child.send({ type: 'connect', implementation, url: `ws://127.0.0.1:${port}/`, options: fast });
    const close = await child.nth('close', 1);
    expect(close).toMatchObject({ code: 1006, wasClean: false, report: failedHandshake });
    expect(close.explanation).toMatch(/^the connection could not be established/);
    // The next attempts are refused and reported the same way.
    expect(await child.nth('close', 2)).toMatchObject({ code: 1006, wasClean: false, report: failedHandshake });
    expect(child.count('open')).toBe(0);
  });

  it('connect: a 401 handshake ends as 1006, wasClean false, in the handshake, and is retried', async () => {
    const refusing = await unauthorizedServer();
    const child = await client();
    child.send({ type: 'connect', implementation, url: `ws://127.0.0.1:${refusing.port}/?token=secret`, options: fast });
    const close = await child.nth('close', 1);
    expect(close).toMatchObject({ code: 1006, wasClean: false, report: failedHandshake });
    expect(close.explanation).not.toContain('secret');
    await child.nth('close', 2);
    expect(refusing.upgrades()).toBeGreaterThanOrEqual(2);
  });

  it('server crash: reports 1006, wasClean false, from the network while open, then reconnects', async () => {
    const echo = await server();
    const child = await client();
    child.send({ type: 'connect', implementation, url: echo.url, options: fast });
    await child.nth('open', 1);
    echo.crash();
    const close = await child.nth('close', 1);
    expect(close).toMatchObject({
      code: 1006,
      wasClean: false,
      report: { code: 1006, class: 'abnormal', initiator: 'network', phase: 'open', libraryCause: null, decision: 'reconnect' },
    });
    await child.nth('open', 2);
    expect(echo.connectionCount).toBe(2);
  });

  it('server crash: a server down for 1 s is reconnected to once it listens again, without waiting for a connect timeout', async () => {
    const echo = await server();
    const child = await client();
    child.send({ type: 'connect', implementation, url: echo.url, options: fast });
    await child.nth('open', 1);
    await echo.stop();
    await child.nth('close', 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await echo.restart();
    // Retries every 10-200 ms; the connect timeout is 60 s. 15 s is generous.
    await child.nth('open', 2, 15_000);
    expect(echo.connectionCount).toBe(2);
    // Every refused attempt in between ended as a close of its own.
    expect(child.count('close')).toBe(child.count('reconnecting'));
  });

  it('close 1008: retried twice, slowly, then given up', async () => {
    const echo = await server();
    echo.behaviour = { kind: 'close', code: 1008, reason: 'token expired' };
    const child = await client();
    // The clock runs 50x: the policy's 5 s floor passes in 100 ms.
    child.send({ type: 'connect', implementation, url: echo.url, options: { ...fast, connectTimeoutMs: 600_000 }, speed: 50 });
    const giveup = await child.nth('giveup', 1);
    expect(giveup.reason).toMatch(/1008/);
    const closes = child.events.filter((event) => event.type === 'close');
    expect(closes).toHaveLength(3);
    for (const close of closes) {
      expect(close).toMatchObject({ code: 1008, reason: 'token expired', wasClean: true, report: { class: 'policy-violation', initiator: 'server', phase: 'open' } });
    }
    expect(closes.map((close) => close.report.decision)).toEqual(['reconnect', 'reconnect', 'stop']);
    const waits = child.events.filter((event) => event.type === 'reconnecting').map((event) => event.delayMs);
    expect(waits).toHaveLength(2);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(5_000);
    expect(echo.connectionCount).toBe(3);
  });

  it.each([
    [1000, 'normal', /closed the connection normally/],
    [1001, 'going-away', /going away/],
    [1011, 'server-error', /internal error/],
    [4000, 'application', /4000/],
  ])('report: a server close %i is clean, classed %s, from the server while open, and reconnected', async (code, closeClass, explained) => {
    const echo = await server();
    const child = await client();
    child.send({ type: 'connect', implementation, url: echo.url, options: fast, speed: code === 1011 ? 20 : 1 });
    await child.nth('open', 1);
    echo.closeAll(code, 'bye');
    const close = await child.nth('close', 1);
    expect(close).toMatchObject({
      code,
      reason: 'bye',
      wasClean: true,
      report: { code, class: closeClass, initiator: 'server', phase: 'open', libraryCause: null, decision: 'reconnect' },
    });
    expect(close.explanation).toMatch(explained);
    await child.nth('open', 2);
  });

  it('half-open: a black-holed line is detected by the heartbeat, reported as 1006 from the library, and left for a new connection', async () => {
    const echo = await server();
    const proxy = await FaultProxy.start({ targetPort: echo.port });
    teardowns.push(() => proxy.close());
    const child = await client();
    child.send({ type: 'connect', implementation, url: `ws://127.0.0.1:${proxy.port}/`, options: { ...fast, heartbeat: { intervalMs: 200, timeoutMs: 400 } } });
    await child.nth('open', 1);
    proxy.blackhole();
    const close = await child.nth('close', 1);
    expect(close).toMatchObject({
      code: 1006,
      wasClean: false,
      report: { code: 1006, class: 'abnormal', initiator: 'library', phase: 'open', libraryCause: 'heartbeat-timeout', decision: 'reconnect' },
    });
    expect(close.explanation).toMatch(/despite a ping: the connection was half-open/);
    proxy.forward();
    await child.nth('open', 2);
    expect(echo.connectionCount).toBe(2);
  });

  it('heartbeat: pings go out on a quiet line, pongs are answered and never reach message listeners', async () => {
    const echo = await server();
    const child = await client();
    child.send({ type: 'connect', implementation, url: echo.url, options: { ...fast, heartbeat: { intervalMs: 100, timeoutMs: 2_000 } } });
    await child.nth('open', 1);
    await echo.messagesReceived(3);
    expect(echo.messages.slice(0, 3)).toEqual(['ping', 'ping', 'ping']);
    child.send({ type: 'send', data: 'after pings' });
    expect(await child.nth('message', 1)).toEqual({ type: 'message', data: 'after pings' });
    expect(child.count('close')).toBe(0);
    expect(echo.connectionCount).toBe(1);
  });
});
