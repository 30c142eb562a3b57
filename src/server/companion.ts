/**
 * The server side of a resilient connection, for the `ws` package: answers
 * the client heartbeat, pings clients and drops the dead ones, logs every
 * close, and shuts down with a close frame instead of a 1006.
 *
 * @module
 */

import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { Timer, type Clock } from '../core/clock.js';
import { optionTypeError } from '../core/errors.js';
import { isDevelopment } from '../core/mode.js';
import { KeepaliveSweep } from './keepalive.js';
import { normalizeCompanionOptions, type NormalizedCompanionOptions, type ServerCompanionOptions } from './options.js';
import { formatCloseRecord, requestPath, requestUrl, type CloseRecord, type CompanionCause } from './record.js';
import { normalizeShutdown, planBatches, shutdownBatchStepMs, type ShutdownOptions, type ShutdownResult } from './shutdown.js';

/** The events of a {@link ServerCompanion}. */
export interface ServerCompanionEventMap {
  /** A connection closed: what the logger receives, as data. */
  disconnect: [record: CloseRecord];
}

/** One connection the companion watches. */
interface Tracked {
  readonly url: string;
  readonly remoteAddress: string | null;
  readonly openedAt: number;
  lastInboundAt: number;
  /** When the unanswered protocol ping went out, or `null` when none is pending. */
  pingSentAt: number | null;
  cause: CompanionCause;
  /** Puts the socket's own `emit` back. */
  readonly restore: () => void;
}

/** A shutdown in progress. */
interface Draining {
  readonly startedAt: number;
  readonly clients: number;
  closed: number;
  terminated: number;
  readonly done: Promise<ShutdownResult>;
  readonly finish: () => void;
}

const OPEN = 1;
const serviceUnavailable = 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n';

/**
 * Watches a `ws` `WebSocketServer`: attach it once, next to your own
 * `connection` handler.
 *
 * How heartbeat pings stay away from `message` handlers: `ws` delivers every
 * event through the socket's `emit` (the `on('message')` listeners, the
 * `onmessage` attribute and `addEventListener` all hang off it), and an
 * EventEmitter cannot stop one listener's event from reaching the next.
 * So the companion registers its `connection` listener first
 * (`prependListener`) and, before any application code sees the socket,
 * wraps that socket's `emit`: a message the heartbeat recognizes is answered
 * and not emitted; every other event goes through unchanged. The wrapper is
 * removed when the socket closes or the companion is closed.
 *
 * @example
 * ```ts
 * import { WebSocketServer } from 'ws';
 * import { ServerCompanion } from 'resilient-websocket/server';
 *
 * const wss = new WebSocketServer({ server });
 * const companion = new ServerCompanion(wss, { logger: (line) => console.log(line) });
 * wss.on('connection', (socket) => socket.on('message', (data) => { ... })); // never sees 'ping'
 * process.on('SIGTERM', async () => {
 *   console.log(await companion.shutdown({ code: 1012, reason: 'deploy', drainMs: 5000 }));
 *   server.close();
 * });
 * ```
 */
export class ServerCompanion extends EventEmitter<ServerCompanionEventMap> {
  readonly #wss: WebSocketServer;
  readonly #http: HttpServer | null;
  readonly #options: NormalizedCompanionOptions;
  readonly #clock: Clock;
  readonly #clients = new Map<WebSocket, Tracked>();
  readonly #keepalive: KeepaliveSweep | null;
  readonly #shutdownTimer: Timer;
  #status: 'running' | 'draining' | 'closed' = 'running';
  #terminated = 0;
  #draining: Draining | null = null;
  readonly #onConnection = (socket: WebSocket, request: IncomingMessage): void => this.#track(socket, request);
  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex): void => {
    const path = this.#wss.options.path;
    if (path === undefined || path === null || path === '' || requestPath(request) === path) socket.end(serviceUnavailable);
  };

  /**
   * @param wss - the `ws` server; connections already open are adopted
   * @param options - see {@link ServerCompanionOptions}
   * @throws TypeError or RangeError for a bad option, naming it
   */
  constructor(wss: WebSocketServer, options?: ServerCompanionOptions) {
    super();
    if (typeof wss !== 'object' || wss === null || typeof (wss as Partial<WebSocketServer>).prependListener !== 'function') {
      throw optionTypeError('wss', isDevelopment && 'a WebSocketServer from the ws package', wss);
    }
    this.#options = normalizeCompanionOptions(options);
    this.#clock = this.#options.clock;
    const keepalive = this.#options.keepalive;
    this.#keepalive = keepalive === null ? null : new KeepaliveSweep(this.#clock, keepalive, { ping: (now) => this.#pingAll(now), expire: (pingedBy) => this.#expire(pingedBy) });
    this.#shutdownTimer = new Timer(this.#clock);
    this.#wss = wss;
    this.#http = (wss.options.server as HttpServer | undefined) ?? null;
    wss.prependListener('connection', this.#onConnection);
    for (const socket of wss.clients) this.#track(socket, undefined);
    this.#keepalive?.start();
  }

  /** How many clients were terminated for not answering protocol pings, since the companion started. */
  get terminatedCount(): number {
    return this.#terminated;
  }

  /** How many connections the companion watches now. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /**
   * Shuts down gracefully: stops accepting (the `WebSocketServer` is closed;
   * an upgrade that still reaches its HTTP server gets a 503), closes every
   * client with `code` (in batches when `spreadMs` is set), waits up to
   * `drainMs` after the last batch for the closing handshakes, terminates
   * the rest, and resolves once every connection is gone. Then the
   * companion is closed: no timer and no listener remains. The HTTP server
   * stays yours to close. Calling it again returns the same promise.
   *
   * @returns how many clients there were, closed cleanly, and terminated
   * @throws TypeError or RangeError for a bad option (synchronously), or when the companion is closed
   */
  shutdown(options?: ShutdownOptions): Promise<ShutdownResult> {
    if (this.#draining) return this.#draining.done;
    if (this.#status === 'closed') throw new Error('The companion is closed: shutdown() needs a running companion');
    const { code, reason, drainMs, spreadMs } = normalizeShutdown(options);
    this.#status = 'draining';
    this.#keepalive?.stop();
    this.#wss.close();
    this.#http?.on('upgrade', this.#onUpgrade);

    const sockets = [...this.#clients.keys()];
    let finish!: () => void;
    const done = new Promise<ShutdownResult>((resolve) => {
      finish = () => {
        const draining = this.#draining;
        if (draining === null) return;
        this.close();
        resolve({ clients: draining.clients, closed: draining.closed, terminated: draining.terminated, durationMs: this.#clock.now() - draining.startedAt });
      };
    });
    this.#draining = { startedAt: this.#clock.now(), clients: sockets.length, closed: 0, terminated: 0, done, finish };

    const batches = planBatches(sockets.length, spreadMs);
    const closeBatch = (index: number): void => {
      const start = batches.slice(0, index).reduce((sum, n) => sum + n, 0);
      for (const socket of sockets.slice(start, start + (batches[index] ?? 0))) {
        const tracked = this.#clients.get(socket);
        if (tracked === undefined) continue;
        tracked.cause = 'shutdown';
        socket.close(code, reason);
      }
      if (index + 1 < batches.length) this.#shutdownTimer.start(shutdownBatchStepMs, () => closeBatch(index + 1));
      else this.#shutdownTimer.start(drainMs, () => this.#terminateRest());
    };
    closeBatch(0);
    this.#finishIfDrained();
    return done;
  }

  /**
   * Detaches the companion without closing any connection: stops its
   * timers, removes every listener it added (on the server, its HTTP server
   * and each socket) and restores each socket's `emit`. A shutdown in
   * progress resolves with what it did so far. Idempotent.
   */
  close(): void {
    if (this.#status === 'closed') return;
    this.#status = 'closed';
    this.#keepalive?.stop();
    this.#shutdownTimer.stop();
    this.#wss.off('connection', this.#onConnection);
    this.#http?.off('upgrade', this.#onUpgrade);
    for (const tracked of this.#clients.values()) tracked.restore();
    this.#clients.clear();
    this.#draining?.finish();
    this.#draining = null;
  }

  #track(socket: WebSocket, request: IncomingMessage | undefined): void {
    if (this.#clients.has(socket)) return;
    const now = this.#clock.now();
    const hadOwnEmit = Object.prototype.hasOwnProperty.call(socket, 'emit');
    // Called with the socket as `this`, as EventEmitter's own emit expects.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const original = socket.emit;
    const tracked: Tracked = {
      url: requestUrl(request),
      remoteAddress: request?.socket.remoteAddress ?? null,
      openedAt: now,
      lastInboundAt: now,
      pingSentAt: null,
      cause: null,
      restore: () => {
        if (hadOwnEmit) socket.emit = original;
        else delete (socket as Partial<Pick<WebSocket, 'emit'>>).emit;
      },
    };
    this.#clients.set(socket, tracked);
    const intercept = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event === 'message' || event === 'ping' || event === 'pong') {
        tracked.lastInboundAt = this.#clock.now();
        tracked.pingSentAt = null;
      }
      if (event === 'message' && this.#answer(socket, args[0] as RawData, args[1] === true)) return true;
      if (event === 'close') this.#closed(socket, tracked, args[0] as number, args[1] as Buffer);
      return original.call(socket, event, ...args);
    };
    socket.emit = intercept as WebSocket['emit'];
  }

  /** Answers a heartbeat ping; says whether `data` was one (and so must not reach the application). */
  #answer(socket: WebSocket, data: RawData, isBinary: boolean): boolean {
    const { isPing, pong } = this.#options;
    if (!isPing?.(data, isBinary)) return false;
    if (socket.readyState === OPEN) socket.send(pong(data));
    return true;
  }

  #closed(socket: WebSocket, tracked: Tracked, code: number, reason: Buffer): void {
    if (this.#clients.get(socket) !== tracked) return;
    this.#clients.delete(socket);
    tracked.restore();
    const now = this.#clock.now();
    const record: CloseRecord = {
      url: tracked.url,
      remoteAddress: tracked.remoteAddress,
      code,
      reason: reason.toString(),
      wasClean: code !== 1006,
      durationMs: now - tracked.openedAt,
      idleMs: now - tracked.lastInboundAt,
      cause: tracked.cause,
      at: now,
    };
    if (this.#draining) {
      if (record.wasClean) this.#draining.closed += 1;
    }
    this.#options.logger?.(formatCloseRecord(record), record);
    this.emit('disconnect', record);
    this.#finishIfDrained();
  }

  #terminateRest(): void {
    const draining = this.#draining;
    if (draining === null) return;
    for (const socket of [...this.#clients.keys()]) {
      draining.terminated += 1;
      socket.terminate();
    }
    this.#finishIfDrained();
  }

  #finishIfDrained(): void {
    if (this.#draining !== null && this.#clients.size === 0) this.#draining.finish();
  }

  /** A protocol ping to every open client without an unanswered one. */
  #pingAll(now: number): void {
    for (const [socket, tracked] of this.#clients) {
      if (tracked.pingSentAt !== null || socket.readyState !== OPEN) continue;
      tracked.pingSentAt = now;
      socket.ping();
    }
  }

  /** Terminates the clients that have not answered a ping sent at or before `pingedBy`. */
  #expire(pingedBy: number): void {
    for (const [socket, tracked] of this.#clients) {
      if (tracked.pingSentAt === null || tracked.pingSentAt > pingedBy) continue;
      tracked.cause = 'heartbeat-timeout';
      this.#terminated += 1;
      socket.terminate();
    }
  }
}
