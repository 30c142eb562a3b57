/**
 * The harness itself, checked with the plain `ws` client, so a failure in
 * the other files points at the library and not at the test servers.
 */

import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';

const h = useHarness();

function plainClient(url: string, options: ConstructorParameters<typeof WebSocket>[2] = {}): WebSocket {
  const socket = new WebSocket(url, options);
  socket.on('error', () => undefined);
  h.defer(() => socket.terminate());
  return socket;
}

const opened = (socket: WebSocket): Promise<void> => new Promise((resolve, reject) => {
  socket.once('open', () => resolve());
  socket.once('error', reject);
});
const closed = (socket: WebSocket): Promise<{ code: number; reason: string }> => new Promise((resolve) => {
  socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
});
const message = (socket: WebSocket): Promise<string> => new Promise((resolve) => {
  socket.once('message', (data: Buffer) => resolve(data.toString()));
});

describe('the test servers', () => {
  it('should echo, answer ping with pong, record messages in order, and count connections', async () => {
    const server = await h.server();
    const socket = plainClient(server.url);
    await opened(socket);
    socket.send('ping');
    expect(await message(socket)).toBe('pong');
    socket.send('hello');
    expect(await message(socket)).toBe('hello');
    expect(server.messages).toEqual(['ping', 'hello']);
    expect(server.connectionCount).toBe(1);
    expect(server.openCount).toBe(1);
  });

  it('should crash with no close frame (1006), then accept again on the same port after stop and restart', async () => {
    const server = await h.server();
    const { port } = server;
    const first = plainClient(server.url);
    await opened(first);
    const firstClosed = closed(first);
    await server.stop();
    expect((await firstClosed).code).toBe(1006);
    expect(server.listening).toBe(false);
    expect(server.openCount).toBe(0);

    const refused = plainClient(server.url);
    await expect(opened(refused)).rejects.toThrow(/ECONNREFUSED/);

    await server.restart();
    expect(server.port).toBe(port);
    const second = plainClient(server.url);
    await opened(second);
    await server.connection(2);
    expect(server.maxOpen).toBe(1);
  });

  it('should close every connection with the configured code and reason', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 4321, reason: 'bye' } });
    const socket = plainClient(server.url);
    expect(await closed(socket)).toEqual({ code: 4321, reason: 'bye' });
  });

  it('should accept TCP and never answer the upgrade on the blackhole', async () => {
    const blackhole = await h.blackhole();
    const socket = plainClient(blackhole.url, { handshakeTimeout: 200 });
    await expect(opened(socket)).rejects.toThrow(/handshake has timed out/);
    expect(blackhole.connectionCount).toBe(1);
    await waitUntil(() => blackhole.openCount === 0, 'the abandoned connection is closed');
  });
});
