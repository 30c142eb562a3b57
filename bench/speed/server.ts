/**
 * The benchmark's server on 127.0.0.1: serves the page (cross-origin
 * isolated, so `performance.now()` has 5 µs resolution) and a `ws` echo
 * endpoint that answers the text `ping` with `pong` (for the heartbeat).
 *
 * @module
 */

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket as ServerSocket } from 'ws';

/** A running server. */
export interface BenchServer {
  /** `http://127.0.0.1:<port>/` */
  readonly pageUrl: string;
  /** `ws://127.0.0.1:<port>/echo` */
  readonly echoUrl: string;
  /** WebSocket connections open right now. */
  readonly openConnections: number;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

/** The scripts the page loads, in order, by path. */
export type Scripts = ReadonlyMap<string, string>;

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** The page: the scripts in order, nothing else. */
function pageHtml(scripts: Scripts): string {
  const tags = [...scripts.keys()].map((path) => `<script src="${path}"></script>`).join('\n');
  return `<!doctype html>\n<meta charset="utf-8">\n<title>resilient-websocket speed</title>\n${tags}\n`;
}

const pong = Buffer.from('pong');

/** Echoes a message back as it came (text or binary), except `ping`, answered with `pong`. */
function echo(this: ServerSocket, data: RawData, isBinary: boolean): void {
  const buffer = data as Buffer;
  if (!isBinary && buffer.length === 4 && buffer.toString() === 'ping') this.send(pong, { binary: false });
  else this.send(buffer, { binary: isBinary });
}

/**
 * Starts the server on an ephemeral port.
 *
 * @param scripts - path to JavaScript source, loaded by the page in this order
 */
export async function startServer(scripts: Scripts): Promise<BenchServer> {
  const html = pageHtml(scripts);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const sockets = new Set<Socket>();
  wss.on('connection', (ws) => {
    ws.on('error', () => undefined);
    ws.on('message', echo);
  });
  const server = http.createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const script = scripts.get(path);
    if (path === '/') response.writeHead(200, { ...isolationHeaders, 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    else if (script !== undefined) response.writeHead(200, { ...isolationHeaders, 'Content-Type': 'text/javascript; charset=utf-8' }).end(script);
    else response.writeHead(404, isolationHeaders).end();
  });
  server.on('connection', (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Socket, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    pageUrl: `http://127.0.0.1:${port}/`,
    echoUrl: `ws://127.0.0.1:${port}/echo`,
    get openConnections() {
      return wss.clients.size;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of wss.clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
