/**
 * The demo's WebSocket server: echoes messages, answers `ping` with `pong`,
 * and can crash, close with a code, refuse by policy and restart on the
 * same port, so the tour can make every kind of close happen for real.
 */

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A `ws` server on 127.0.0.1 with switches for the tour. */
export class DemoServer {
  /** Connections accepted since start. */
  connections = 0;
  /** Heartbeat pings received. */
  pings = 0;
  /** Heartbeat pongs sent (one per ping). */
  pongs = 0;
  readonly #http: http.Server;
  readonly #wss: WebSocketServer;
  #port = 0;
  #closeOnConnect: { code: number; reason: string } | null = null;

  private constructor() {
    this.#http = http.createServer();
    this.#wss = new WebSocketServer({ server: this.#http });
    this.#wss.on('connection', (socket) => this.#accept(socket));
  }

  /** Starts listening on a free port. */
  static async start(): Promise<DemoServer> {
    const server = new DemoServer();
    await server.restart();
    return server;
  }

  /** The port, kept across crashes and restarts. */
  get port(): number {
    return this.#port;
  }

  /** From now on, every new connection is closed at once with `code` (`null`: accept again). */
  closeNewConnectionsWith(code: number | null, reason = ''): void {
    this.#closeOnConnect = code === null ? null : { code, reason };
  }

  /** Closes every open connection cleanly with `code`. */
  closeAll(code: number, reason: string): void {
    for (const socket of this.#wss.clients) socket.close(code, reason);
  }

  /** Simulates a crash: stops listening and destroys every socket (no close frame). */
  crash(): void {
    this.#http.close();
    for (const socket of this.#wss.clients) socket.terminate();
  }

  /** Listens again, on the same port after a crash. */
  async restart(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(this.#port, '127.0.0.1', () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#http.address() as AddressInfo).port;
  }

  /** Stops for good: destroys every socket and closes the port. */
  async stop(): Promise<void> {
    for (const socket of this.#wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    if (this.#http.listening) await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    this.connections += 1;
    if (this.#closeOnConnect) {
      socket.close(this.#closeOnConnect.code, this.#closeOnConnect.reason);
      return;
    }
    socket.on('message', (data, isBinary) => {
      if (!isBinary && Buffer.isBuffer(data) && data.toString() === 'ping') {
        this.pings += 1;
        this.pongs += 1;
        socket.send('pong');
        return;
      }
      socket.send(data, { binary: isBinary });
    });
  }
}
