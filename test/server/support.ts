/**
 * A `ws` server with the companion attached, on 127.0.0.1:0, for the
 * companion's tests: an HTTP server, a WebSocketServer on it, the
 * application's own message log, a clock that counts pending timers, and
 * listener snapshots to prove that `close()` leaves nothing behind.
 */

import http from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { systemClock, type Clock, type TimerHandle } from '../../src/index.js';
import { ServerCompanion, type CloseRecord, type ServerCompanionOptions } from '../../src/server/index.js';
import { listenOnLoopback } from '../support/listen.js';

/** A clock on the system's time that knows how many of its timers are pending. */
export interface CountingClock extends Clock {
  readonly pending: number;
}

export function countingClock(): CountingClock {
  const live = new Set<TimerHandle>();
  return {
    now: systemClock.now,
    random: systemClock.random,
    setTimeout(callback, delayMs) {
      const handle = systemClock.setTimeout(() => {
        live.delete(handle);
        callback();
      }, delayMs);
      live.add(handle);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle);
      systemClock.clearTimeout(handle);
    },
    get pending() {
      return live.size;
    },
  };
}

/** Every event name of an emitter with its listener count. */
export function listenerCounts(emitter: NodeJS.EventEmitter): Record<string, number> {
  return Object.fromEntries(emitter.eventNames().map((name) => [String(name), emitter.listenerCount(name)]));
}

export interface CompanionServer {
  readonly port: number;
  readonly url: string;
  readonly http: http.Server;
  readonly wss: WebSocketServer;
  readonly companion: ServerCompanion;
  readonly clock: CountingClock;
  /** Text messages the application's `message` listeners received, over all connections. */
  readonly appMessages: string[];
  /** Every close record, in order. */
  readonly records: CloseRecord[];
  /** Every log line. */
  readonly lines: string[];
  /** Server-side sockets, in order of arrival. */
  readonly sockets: WebSocket[];
  /** Listener counts on the HTTP server and the WebSocketServer before the companion was attached, and on the HTTP server before the WebSocketServer was. */
  readonly baseline: { readonly http: Record<string, number>; readonly wss: Record<string, number>; readonly bareHttp: Record<string, number> };
  close(): Promise<void>;
}

/**
 * Starts the server; the application echoes every message (so a heartbeat
 * ping that leaked to it would come back as 'ping', not 'pong').
 */
export async function startCompanionServer(options: Omit<ServerCompanionOptions, 'clock' | 'logger'> = {}): Promise<CompanionServer> {
  const server = http.createServer();
  const bareHttp = listenerCounts(server);
  const wss = new WebSocketServer({ server });
  const appMessages: string[] = [];
  const sockets: WebSocket[] = [];
  const baseline = { http: listenerCounts(server), wss: listenerCounts(wss), bareHttp };
  const clock = countingClock();
  const records: CloseRecord[] = [];
  const lines: string[] = [];
  const companion = new ServerCompanion(wss, { ...options, clock, logger: (line) => lines.push(line) });
  companion.on('disconnect', (record) => records.push(record));
  // The application, attached after the companion as an application would be.
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      const text = isBinary ? '<binary>' : (data as Buffer).toString();
      appMessages.push(text);
      if (socket.readyState === socket.OPEN) socket.send(text);
    });
  });
  const port = await listenOnLoopback(server);
  return {
    port,
    url: `ws://127.0.0.1:${port}/`,
    http: server,
    wss,
    companion,
    clock,
    appMessages,
    records,
    lines,
    sockets,
    baseline,
    async close() {
      companion.close();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
