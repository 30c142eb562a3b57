/**
 * The server side of the conformance suite: one HTTP server on 127.0.0.1,
 * port 0, whose upgrade handlers play the parts the web-platform-tests
 * `websockets/handlers/*_wsh.py` scripts play for the browser suite. Most
 * paths run on the `ws` package; a few speak raw frames, because they must
 * do what a well-behaved library refuses to (send after a close frame, send
 * a reserved opcode) or must not answer the handshake at all.
 *
 * Paths:
 * - `/echo`: echoes text as text and binary as binary; selects the `echo`
 *   sub-protocol when offered; after echoing `Goodbye` it closes (1000).
 * - `/echo_exit`: echoes nothing; closes (1000) when it receives `Goodbye`;
 *   selects `echo` when offered.
 * - `/echo_close_data` (raw): on the first text message, closes with 1000
 *   and that text as the reason, then writes a text frame after its close
 *   frame, which the client must ignore.
 * - `/remote-close?code=N&reason=R`: closes with that code and reason right
 *   after the handshake (no `code`: a close frame without a status).
 * - `/handshake_protocol`: selects the first offered sub-protocol.
 * - `/echo-query`: sends the raw query string of its URL once open.
 * - `/empty-message`: answers `pass` to an empty message, `fail` otherwise.
 *   Like every path not named above, it selects no sub-protocol.
 * - `/bad-opcode` (raw): on the first message, sends a text frame `test`
 *   and then a frame with the reserved opcode 3, which fails the connection.
 * - `/sleep` (raw): accepts the TCP connection and never answers the handshake.
 * - anything else: `404`, a failed handshake.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket as ServerSocket } from 'ws';

/** A running conformance server. */
export interface ConformanceServer {
  /** `ws://127.0.0.1:<port>` (no trailing slash). */
  readonly base: string;
  /** The HTTP origin the client's `MessageEvent.origin` reports: `ws://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** `base` + `path` (path starts with `/`). */
  url(path: string): string;
  /** How many upgrade requests reached `pathname` (handshakes attempted). */
  upgrades(pathname: string): number;
  /** Closes every connection at once and stops listening. */
  close(): Promise<void>;
}

const wsPaths = new Set(['/echo', '/echo_exit', '/remote-close', '/handshake_protocol', '/echo-query', '/empty-message']);
const rawPaths = new Set(['/echo_close_data', '/bad-opcode', '/sleep']);

/** Starts a server on 127.0.0.1 and an ephemeral port. */
export async function startConformanceServer(): Promise<ConformanceServer> {
  const sockets = new Set<Duplex>();
  const clients = new Set<ServerSocket>();
  const upgrades = new Map<string, number>();

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered, request) => {
      const path = pathOf(request);
      if (path === '/handshake_protocol') return offered.values().next().value ?? false;
      if ((path === '/echo' || path === '/echo_exit') && offered.has('echo')) return 'echo';
      return false;
    },
  });

  const http = createServer((_request, response) => {
    response.writeHead(404).end();
  });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that gives up mid-handshake resets the connection: not our failure.
    socket.on('error', () => undefined);
    const path = pathOf(request);
    upgrades.set(path, (upgrades.get(path) ?? 0) + 1);
    if (rawPaths.has(path)) {
      runRaw(path, request, socket);
      return;
    }
    if (!wsPaths.has(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => undefined);
      runWs(path, request, ws);
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const base = `ws://127.0.0.1:${port}`;

  return {
    base,
    origin: base,
    port,
    url: (path) => `${base}${path}`,
    upgrades: (pathname) => upgrades.get(pathname) ?? 0,
    async close() {
      for (const client of clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          http.close(() => {
            resolve();
          });
        });
      });
    },
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://placeholder').pathname;
}

function runWs(path: string, request: IncomingMessage, ws: ServerSocket): void {
  switch (path) {
    case '/echo':
      ws.on('message', (data, isBinary) => {
        ws.send(data, { binary: isBinary });
        if (!isBinary && (data as Buffer).toString() === 'Goodbye') ws.close(1000);
      });
      return;
    case '/echo_exit':
      ws.on('message', (data, isBinary) => {
        if (!isBinary && (data as Buffer).toString() === 'Goodbye') ws.close(1000);
      });
      return;
    case '/remote-close': {
      const params = new URL(request.url ?? '/', 'http://placeholder').searchParams;
      const code = params.get('code');
      if (code === null) ws.close();
      else ws.close(Number(code), params.get('reason') ?? '');
      return;
    }
    case '/handshake_protocol':
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
      return;
    case '/echo-query': {
      const raw = request.url ?? '';
      const at = raw.indexOf('?');
      ws.send(at === -1 ? '' : raw.slice(at + 1));
      return;
    }
    case '/empty-message':
      ws.on('message', (data) => ws.send((data as Buffer).length === 0 ? 'pass' : 'fail'));
      return;
  }
}

// ---- raw frames: only what the few raw paths need ---------------------------

const acceptGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const opcode = { text: 0x1, close: 0x8 } as const;

interface Frame {
  readonly opcode: number;
  readonly payload: Buffer;
}

function runRaw(path: string, request: IncomingMessage, socket: Duplex): void {
  if (path === '/sleep') return; // hold the handshake until the client gives up or the server closes
  const key = request.headers['sec-websocket-key'] ?? '';
  const accept = createHash('sha1').update(key + acceptGuid).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  let acted = false;
  readFrames(socket, (frame) => {
    if (frame.opcode === opcode.close) {
      // The client answered (or started) the closing handshake: finish it by closing TCP.
      socket.end();
      return;
    }
    if (acted || frame.opcode !== opcode.text) return;
    acted = true;
    if (path === '/echo_close_data') {
      const status = Buffer.alloc(2);
      status.writeUInt16BE(1000);
      socket.write(encodeFrame(opcode.close, Buffer.concat([status, frame.payload])));
      socket.write(encodeFrame(opcode.text, Buffer.from('data after the close frame')));
    } else {
      socket.write(encodeFrame(opcode.text, Buffer.from('test')));
      socket.write(encodeFrame(0x3, Buffer.from('LOL')));
    }
  });
}

/** Calls `onFrame` for each complete (masked, client-to-server) frame read from `socket`. */
function readFrames(socket: Duplex, onFrame: (frame: Frame) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let frame = takeFrame(); frame !== null; frame = takeFrame()) onFrame(frame);
  });
  function takeFrame(): Frame | null {
    if (pending.length < 2) return null;
    const first = pending[0]!;
    const second = pending[1]!;
    let length = second & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (pending.length < 4) return null;
      length = pending.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (pending.length < 10) return null;
      length = Number(pending.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (second & 0x80) !== 0;
    const maskLength = masked ? 4 : 0;
    if (pending.length < offset + maskLength + length) return null;
    const mask = pending.subarray(offset, offset + maskLength);
    const payload = Buffer.from(pending.subarray(offset + maskLength, offset + maskLength + length));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
    pending = pending.subarray(offset + maskLength + length);
    return { opcode: first & 0x0f, payload };
  }
}

/** An unmasked, final, server-to-client frame (payloads here are all under 126 bytes). */
function encodeFrame(code: number, payload: Buffer): Buffer {
  if (payload.length > 125) throw new RangeError(`raw test frames carry at most 125 bytes, got ${payload.length}`);
  return Buffer.concat([Buffer.from([0x80 | code, payload.length]), payload]);
}
