/**
 * Running the probe command in-process, with its output captured, and the
 * servers it is pointed at: a `ws` server with or without the companion,
 * one that rejects the upgrade with an HTTP status, and one that completes
 * the upgrade and then ignores everything.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { runCommand } from '../../src/cli/run.js';
import type { ProbeReport } from '../../src/cli/probe.js';
import { ServerCompanion } from '../../src/server/index.js';
import { repoRoot } from '../package/support.js';
import { listenOnLoopback } from '../support/listen.js';

export interface ProbeRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The report, when the run printed JSON. */
  readonly report: ProbeReport | null;
}

/** Runs `resilient-websocket <argv>` in this process; `signal` plays Ctrl-C. */
export async function runProbe(argv: readonly string[], signal: AbortSignal = new AbortController().signal): Promise<ProbeRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    signal,
    version: 'test',
  });
  let report: ProbeReport | null = null;
  if (argv.includes('--json') && stdout.trim().startsWith('{')) report = JSON.parse(stdout) as ProbeReport;
  return { code, stdout, stderr, report };
}

export interface ProbeTargetServer {
  readonly port: number;
  readonly url: string;
  /** Request headers of every upgrade that arrived. */
  readonly requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** How the target server behaves. */
export type TargetKind =
  /** A ws server with the companion: answers 'ping' and protocol pings, sends no pings of its own. */
  | { readonly kind: 'companion'; readonly protocols?: readonly string[] }
  /** A ws server without it: protocol pings answered (ws does), application pings not. */
  | { readonly kind: 'plain' }
  /** Rejects every upgrade with this HTTP status. */
  | { readonly kind: 'status'; readonly status: number }
  /** Completes the upgrade, then reads and ignores everything: no pong of either kind. */
  | { readonly kind: 'deaf' };

/** Starts a target on 127.0.0.1:0. */
export async function startTarget(target: TargetKind): Promise<ProbeTargetServer> {
  const server = http.createServer((_request, response) => response.writeHead(404).end());
  const requests: http.IncomingHttpHeaders[] = [];
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  let wss: WebSocketServer | null = null;
  let companion: ServerCompanion | null = null;
  if (target.kind === 'companion' || target.kind === 'plain') {
    const protocols = target.kind === 'companion' ? target.protocols : undefined;
    wss = new WebSocketServer({
      server,
      verifyClient: (info: { req: http.IncomingMessage }) => {
        requests.push(info.req.headers);
        return true;
      },
      ...(protocols ? { handleProtocols: (offered: Set<string>) => protocols.find((p) => offered.has(p)) ?? false } : {}),
    });
    if (target.kind === 'companion') companion = new ServerCompanion(wss, { keepalive: false });
    wss.on('connection', (socket: WebSocket) => socket.on('error', () => undefined));
  } else {
    server.on('upgrade', (request: http.IncomingMessage, socket: Socket) => {
      requests.push(request.headers);
      socket.on('error', () => undefined);
      if (target.kind === 'status') {
        socket.end(`HTTP/1.1 ${target.status} ${http.STATUS_CODES[target.status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      const accept = createHash('sha1').update(`${String(request.headers['sec-websocket-key'])}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.on('data', () => undefined);
      sockets.add(socket);
    });
  }
  const port = await listenOnLoopback(server);
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    requests,
    async close() {
      companion?.close();
      for (const socket of wss?.clients ?? []) socket.terminate();
      wss?.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound, then released. */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The built bin, dist/cli.js (`npm run build` first). */
export const binPath = path.join(repoRoot, 'dist', 'cli.js');

/** Runs the built bin as a child process, as `npx resilient-websocket` does; killed after 20 s. */
export function runBin(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [binPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
}
