/**
 * A raw TCP server that accepts connections and never answers anything,
 * in particular not the WebSocket upgrade: what a client sees behind a
 * proxy or firewall that swallows upgrades. The handshake never completes
 * and never fails on its own.
 */

import net from 'node:net';
import { defaultTimeoutMs, waitUntil } from './wait.js';
import { listenOnLoopback } from './listen.js';

export interface BlackholeServer {
  readonly port: number;
  /** `ws://127.0.0.1:<port>/` */
  readonly url: string;
  /** How many TCP connections were ever accepted. */
  readonly connectionCount: number;
  /** How many are still open. */
  readonly openCount: number;
  /** Resolves once at least `n` connections were accepted. */
  connections(n: number, timeoutMs?: number): Promise<void>;
  /** Destroys every socket and stops listening (idempotent). */
  close(): Promise<void>;
}

/** Starts a blackhole server on 127.0.0.1, port 0. */
export async function startBlackhole(): Promise<BlackholeServer> {
  const sockets = new Set<net.Socket>();
  let connectionCount = 0;
  const server = net.createServer((socket) => {
    connectionCount += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    // Read (and drop) the upgrade request so the client's writes never
    // block, but never write a byte back.
    socket.resume();
  });
  const port = await listenOnLoopback(server);
  let closing: Promise<void> | null = null;
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    get connectionCount() {
      return connectionCount;
    },
    get openCount() {
      return sockets.size;
    },
    async connections(n, timeoutMs = defaultTimeoutMs) {
      await waitUntil(() => connectionCount >= n, `the TCP server has accepted ${n} connection(s) (has ${connectionCount})`, timeoutMs);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
