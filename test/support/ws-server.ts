/**
 * A controllable `ws` server on 127.0.0.1 for integration tests.
 *
 * One `WebSocketServer` in `noServer` mode sits behind an HTTP listener
 * that can be stopped and started again on the same port, so the same
 * `wss` (and whatever is attached to it, e.g. graphql-ws's `useServer`)
 * survives a restart. Every connection and every message is recorded.
 */

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { defaultTimeoutMs, delay, waitUntil } from './wait.js';

/**
 * What the server does with a new connection; captured when the connection
 * arrives, so changing it affects only later connections.
 */
export type Behaviour =
  /** Answers the text message 'ping' with 'pong' and echoes everything else (binary as binary). */
  | { readonly kind: 'echo' }
  /** Closes with `code` and `reason` right after the handshake. */
  | { readonly kind: 'close'; readonly code: number; readonly reason?: string }
  /**
   * A dead peer that keeps TCP open: completes the handshake, then stops
   * reading from the socket and never sends anything (no pong, no close).
   */
  | { readonly kind: 'dead' }
  /** Handles nothing: no echo, no pong, no close. Records what it reads. */
  | { readonly kind: 'manual' };

/** One server-side connection. */
export interface ServerConnection {
  /** 1 for the first connection the server ever accepted. */
  readonly id: number;
  readonly socket: WebSocket;
  /** The request path and query. */
  readonly path: string;
  /** The sub-protocol the server selected. */
  readonly protocol: string;
  /** Messages received on this connection, in order (binary ones as `<binary N bytes>`). */
  readonly messages: string[];
  /** How the connection ended, once it has. `code` 1006 means no close frame. */
  closed: { readonly code: number; readonly reason: string } | null;
  /** Resolves when the connection ends. */
  readonly whenClosed: Promise<{ readonly code: number; readonly reason: string }>;
}

export interface TestServerOptions {
  /** @defaultValue `{kind: 'echo'}` */
  readonly behaviour?: Behaviour;
  /** Options given to the WebSocketServer (besides `noServer`). */
  readonly handleProtocols?: (protocols: Set<string>) => string | false;
}

export interface TestServer {
  /** The port, the same across restarts. */
  readonly port: number;
  /** `ws://127.0.0.1:<port>/` */
  readonly url: string;
  /** The WebSocketServer, for attaching a protocol server (graphql-ws). */
  readonly wss: WebSocketServer;
  /** The behaviour for connections that arrive from now on. */
  behaviour: Behaviour;
  /** Every connection ever accepted, oldest first. */
  readonly connections: readonly ServerConnection[];
  /** How many connections were ever accepted. */
  readonly connectionCount: number;
  /** How many connections are open right now. */
  readonly openCount: number;
  /** The most connections that were ever open at the same moment. */
  readonly maxOpen: number;
  /** Every text message received, over all connections, in arrival order. */
  readonly messages: readonly string[];
  /** Whether the listener is accepting connections. */
  readonly listening: boolean;
  /** Resolves with the `n`th connection (1-based) once it has arrived. */
  connection(n: number, timeoutMs?: number): Promise<ServerConnection>;
  /** Resolves once at least `n` messages have arrived in total. */
  messagesReceived(n: number, timeoutMs?: number): Promise<void>;
  /** Closes every open connection with a close frame. */
  closeAll(code: number, reason?: string): void;
  /** Destroys every open socket with no close frame (a crash); the listener stays up. */
  crash(): void;
  /** Crashes every connection and stops listening; the port is released. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  /** Stops for good (idempotent); for afterEach. */
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0. */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const wss = new WebSocketServer({ noServer: true, ...(options.handleProtocols ? { handleProtocols: options.handleProtocols } : {}) });
  const connections: ServerConnection[] = [];
  const messages: string[] = [];
  const rawSockets = new Set<Socket>();
  let behaviour: Behaviour = options.behaviour ?? { kind: 'echo' };
  let openCount = 0;
  let maxOpen = 0;
  let http_: http.Server | null = null;
  let port = 0;
  let closedForGood = false;

  wss.on('connection', (socket: WebSocket, request: http.IncomingMessage) => {
    const mode = behaviour;
    openCount += 1;
    maxOpen = Math.max(maxOpen, openCount);
    let resolveClosed!: (value: { code: number; reason: string }) => void;
    const connection: ServerConnection = {
      id: connections.length + 1,
      socket,
      path: request.url ?? '',
      protocol: socket.protocol,
      messages: [],
      closed: null,
      whenClosed: new Promise((resolve) => (resolveClosed = resolve)),
    };
    connections.push(connection);
    socket.on('error', () => undefined);
    socket.on('close', (code: number, reason: Buffer) => {
      openCount -= 1;
      connection.closed = { code, reason: reason.toString() };
      resolveClosed(connection.closed);
    });
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const text = isBinary ? `<binary ${rawLength(data)} bytes>` : rawToString(data);
      connection.messages.push(text);
      messages.push(text);
      if (mode.kind !== 'echo' || socket.readyState !== socket.OPEN) return;
      if (isBinary) socket.send(data as Buffer, { binary: true });
      else socket.send(text === 'ping' ? 'pong' : text);
    });
    switch (mode.kind) {
      case 'close':
        socket.close(mode.code, mode.reason ?? '');
        break;
      case 'dead':
        // ws keeps the net.Socket private; pausing it means nothing is read
        // any more (not even a close frame), as with a vanished peer.
        (socket as unknown as { _socket: Socket })._socket.pause();
        break;
      case 'echo':
      case 'manual':
        break;
    }
  });

  const listen = async (): Promise<void> => {
    const server = http.createServer((_request, response) => {
      response.writeHead(426).end('upgrade required');
    });
    server.on('connection', (socket: Socket) => {
      rawSockets.add(socket);
      socket.once('close', () => rawSockets.delete(socket));
    });
    server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    });
    // Restarting on the same port can race the old listener's teardown on a
    // busy machine: retry EADDRINUSE a few times (bounded).
    for (let tries = 1; ; tries += 1) {
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || tries >= 20) throw error;
        await delay(50);
      }
    }
    port = (server.address() as AddressInfo).port;
    http_ = server;
  };

  const crash = (): void => {
    for (const client of wss.clients) client.terminate();
    for (const socket of rawSockets) socket.destroy();
  };

  const stop = async (): Promise<void> => {
    const server = http_;
    if (server === null) return;
    http_ = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    crash();
    await closed;
  };

  await listen();

  const api: TestServer = {
    get port() {
      return port;
    },
    get url() {
      return `ws://127.0.0.1:${port}/`;
    },
    wss,
    get behaviour() {
      return behaviour;
    },
    set behaviour(value: Behaviour) {
      behaviour = value;
    },
    get connections() {
      return connections;
    },
    get connectionCount() {
      return connections.length;
    },
    get openCount() {
      return openCount;
    },
    get maxOpen() {
      return maxOpen;
    },
    get messages() {
      return messages;
    },
    get listening() {
      return http_ !== null;
    },
    async connection(n, timeoutMs = defaultTimeoutMs) {
      await waitUntil(() => connections.length >= n, `the server has accepted ${n} connection(s) (has ${connections.length})`, timeoutMs);
      return connections[n - 1]!;
    },
    async messagesReceived(n, timeoutMs = defaultTimeoutMs) {
      await waitUntil(() => messages.length >= n, `the server has received ${n} message(s) (has ${messages.length})`, timeoutMs);
    },
    closeAll(code, reason = '') {
      for (const client of wss.clients) client.close(code, reason);
    },
    crash,
    stop,
    async restart() {
      if (closedForGood) throw new Error('restart() after close()');
      if (http_ === null) await listen();
    },
    async close() {
      closedForGood = true;
      await stop();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  return api;
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString();
  return data.toString();
}

function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}
