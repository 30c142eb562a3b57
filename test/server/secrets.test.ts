/**
 * No secret in anything the companion logs or emits: clients connect with
 * credentials in every part of the URL (userinfo, query values), in
 * Authorization and Cookie headers and in a sub-protocol, through a ws
 * client and as raw requests (absolute-form targets, odd schemes); their
 * connections end every way the companion records (client close, heartbeat
 * termination, shutdown); and an upgrade whose target no URL parser accepts
 * arrives during the drain. Every log line, record and event is searched.
 */

import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket, WebSocketServer } from 'ws';
import type { IncomingMessage } from 'node:http';
import { requestUrl } from '../../src/server/record.js';
import { ServerCompanion, type CloseRecord } from '../../src/server/index.js';
import { useHarness } from '../support/harness.js';
import { listenOnLoopback } from '../support/listen.js';
import { waitUntil } from '../support/wait.js';
import { startCompanionServer } from './support.js';

const h = useHarness();

const secrets = ['S3CRET-user', 'S3CRET-password', 'S3CRET-query', 'S3CRET-bare', 'S3CRET-bearer', 'S3CRET-cookie', 'S3CRET-protocol', 'S3CRET-opaque'];

function expectNoSecret(texts: readonly string[]): void {
  const all = texts.join('\n');
  for (const secret of secrets) expect(all).not.toContain(secret);
  expect(all).not.toContain('S3CRET');
}

/** A raw upgrade request with `target` as its request-target; the socket stays open and answers nothing (no pongs). */
function rawUpgrade(port: number, target: string): Promise<{ socket: net.Socket; response: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
          `Authorization: Bearer S3CRET-bearer\r\nCookie: session=S3CRET-cookie\r\nSec-WebSocket-Protocol: S3CRET-protocol\r\n\r\n`,
      );
      let received = '';
      const response = new Promise<string>((done) => {
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
          if (received.includes('\r\n\r\n')) done(received.slice(0, received.indexOf('\r\n')));
        });
        socket.on('close', () => done(received));
      });
      resolve({ socket, response });
    });
    socket.on('error', reject);
  });
}

describe('the companion never logs a secret', () => {
  it('in the lines, records and events of connections ended by the client, by the heartbeat and by a shutdown', async () => {
    const server = await startCompanionServer({ keepalive: { intervalMs: 100, timeoutMs: 100 } });
    h.defer(() => server.close());
    const events: CloseRecord[] = [];
    server.companion.on('disconnect', (record) => events.push(record));
    const path = '/live/SHOWN-path?token=S3CRET-query&S3CRET-bare';

    // A ws client: userinfo becomes a Basic Authorization header, the rest is sent as given.
    const client = new WsWebSocket(`ws://S3CRET-user:S3CRET-password@127.0.0.1:${server.port}${path}`, ['S3CRET-protocol'], { headers: { Cookie: 'session=S3CRET-cookie' } });
    client.on('error', () => undefined);
    await new Promise((resolve) => client.once('open', resolve));
    client.close(4001, 'bye');
    await waitUntil(() => server.records.length === 1, 'the client close was recorded');

    // Raw requests that answer no ping: terminated by the heartbeat.
    const absolute = await rawUpgrade(server.port, `ws://S3CRET-user:S3CRET-password@127.0.0.1:${server.port}${path}`);
    const schemeRelative = await rawUpgrade(server.port, `//S3CRET-user:S3CRET-password@127.0.0.1:${server.port}${path}`);
    // ws refuses a target with another scheme before the companion sees it.
    const opaque = await rawUpgrade(server.port, 'foo:S3CRET-user:S3CRET-opaque@127.0.0.1/live');
    for (const raw of [absolute, opaque, schemeRelative]) h.defer(() => raw.socket.destroy());
    expect(await absolute.response).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await schemeRelative.response).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await opaque.response).toBe('HTTP/1.1 400 Bad Request');
    await waitUntil(() => server.records.length === 3, 'the heartbeat ended the two silent clients');

    // One more, ended by the shutdown.
    const last = new WsWebSocket(`ws://127.0.0.1:${server.port}${path}`, { headers: { Authorization: 'Bearer S3CRET-bearer' } });
    last.on('error', () => undefined);
    await new Promise((resolve) => last.once('open', resolve));
    const result = await server.companion.shutdown({ code: 1012, drainMs: 1_000 });
    expect(result.clients).toBe(1);

    expect(server.lines).toHaveLength(4);
    expect(events).toEqual(server.records);
    expectNoSecret([...server.lines, JSON.stringify(server.records), JSON.stringify(result)]);
    // Still useful: the host, port and path, the parameter names, the cause.
    expect(server.records.map((record) => [record.url, record.cause])).toEqual([
      [`ws://127.0.0.1:${server.port}/live/SHOWN-path?token=***&***`, null],
      [`ws://***:***@127.0.0.1:${server.port}/live/SHOWN-path?token=***&***`, 'heartbeat-timeout'],
      [`ws://***:***@127.0.0.1:${server.port}/live/SHOWN-path?token=***&***`, 'heartbeat-timeout'],
      [`ws://127.0.0.1:${server.port}/live/SHOWN-path?token=***&***`, 'shutdown'],
    ]);
  });

  it('nor throws it, when an upgrade whose target no URL parser accepts arrives during the drain', async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server, path: '/live' });
    const companion = new ServerCompanion(wss, { keepalive: false });
    const sockets = new Set<net.Socket>();
    server.on('connection', (socket) => sockets.add(socket));
    const port = await listenOnLoopback(server);
    h.defer(() => {
      companion.close();
      wss.close();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    // A client that never answers the close frame keeps the drain going.
    const stuck = await rawUpgrade(port, '/live');
    h.defer(() => stuck.socket.destroy());
    await waitUntil(() => companion.clientCount === 1, 'the companion watches the client');
    const done = companion.shutdown({ drainMs: 1_000 });

    const invalid = await rawUpgrade(port, `//S3CRET-user:S3CRET-password@127.0.0.1:99999/live?token=S3CRET-query`);
    h.defer(() => invalid.socket.destroy());
    const valid = await rawUpgrade(port, '/live?token=S3CRET-query');
    h.defer(() => valid.socket.destroy());
    // The server is still up and the companion still answers its own path.
    expect(await valid.response).toBe('HTTP/1.1 503 Service Unavailable');
    expect(await done).toMatchObject({ clients: 1, terminated: 1 });
  });
});

describe('requestUrl()', () => {
  const request = (url: string, host = '127.0.0.1:8080'): IncomingMessage => ({ url, headers: { host }, socket: {} }) as unknown as IncomingMessage;
  it.each([
    ['/live?token=S3CRET-query', 'ws://127.0.0.1:8080/live?token=***'],
    ['ws://S3CRET-user:S3CRET-password@h/live?S3CRET-bare', 'ws://***:***@h/live?***'],
    ['//S3CRET-user:S3CRET-password@h:99999/live', '[invalid URL]'],
    ['foo:S3CRET-user:S3CRET-opaque@h/live', '[invalid URL]'],
    ['mailto:S3CRET-user@h', '[invalid URL]'],
  ])('should log the target %s as %s', (target, logged) => {
    expect(requestUrl(request(target))).toBe(logged);
  });
});
