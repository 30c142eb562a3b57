/**
 * Helpers for end-to-end diagnosis tests: wait for a diagnosis, collect
 * log lines, a server that refuses every upgrade with an HTTP status, and
 * an environment whose network the test switches.
 */

import http from 'node:http';
import type { Socket } from 'node:net';
import type { Cause, CloseLogEntry, Confidence, Diagnosis, Environment, EnvironmentSignal, Logger, ResilientWebSocket } from '../../src/index.js';
import { listenOnLoopback } from './listen.js';
import { nextEvent } from './wait.js';

/**
 * Resolves with the socket's diagnosis once its first finding is `cause`
 * (at `confidence`, when given): at once if it already is, else on the
 * `diagnosis` event that makes it so.
 */
export async function diagnosedAs(client: ResilientWebSocket, cause: Cause, confidence?: Confidence, timeoutMs = 15_000): Promise<Diagnosis> {
  const matches = (d: Diagnosis | null): boolean => d?.cause === cause && (confidence === undefined || d.confidence === confidence);
  const now = client.diagnosis;
  if (now && matches(now)) return now;
  try {
    return (await nextEvent(client, 'diagnosis', { filter: (event) => matches(event.diagnosis), timeoutMs })).diagnosis;
  } catch (error) {
    throw new Error(`not diagnosed as ${cause} ${confidence ?? ''} within ${timeoutMs} ms; last: ${client.diagnosis?.summary ?? 'none'}`, { cause: error });
  }
}

/** A line written to a logger, with its level and entry. */
export interface LoggedLine {
  readonly level: string;
  readonly line: string;
  readonly entry: CloseLogEntry;
}

/** A `{info, warn, error}` logger that records every call. */
export function recordingLogger(): Logger & { readonly lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at = (level: string) => (line: string, entry: CloseLogEntry) => {
    lines.push({ level, line, entry });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** An HTTP server that answers every WebSocket upgrade with `status`. */
export interface RejectingServer {
  readonly port: number;
  /** Upgrade requests received, with their request line (path and query). */
  readonly upgrades: string[];
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 that refuses every upgrade with HTTP `status`. */
export async function startRejectingServer(status: number): Promise<RejectingServer> {
  const upgrades: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((_request, response) => response.writeHead(426).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Socket) => {
    upgrades.push(request.url ?? '');
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    upgrades,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An environment whose network the test turns off and on, sending the signal as a browser would. */
export interface SwitchedEnvironment extends Environment {
  setOnline(online: boolean): void;
}

export function switchedEnvironment(): SwitchedEnvironment {
  let online = true;
  const listeners = new Set<(signal: EnvironmentSignal) => void>();
  return {
    subscribe(notify) {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    isOnline: () => online,
    isVisible: () => null,
    setOnline(value) {
      online = value;
      for (const notify of [...listeners]) notify(value ? 'online' : 'offline');
    },
  };
}
