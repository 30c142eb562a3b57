/**
 * A TCP proxy that injects the faults a WebSocket meets in production: an
 * idle timeout (nginx's `proxy_read_timeout`, an AWS ALB), half-open TCP,
 * refused connections, a handshake that never answers, latency, and
 * connections cut without a close frame. It knows nothing of WebSockets:
 * it forwards bytes, so what the client sees is what a real network does.
 *
 * @example
 * ```ts
 * const proxy = await FaultProxy.start({ targetPort: server.port });
 * const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/`);
 * proxy.blackhole(); // the live connection goes silent; new ones still work
 * await proxy.close();
 * ```
 *
 * @module
 */

import net from 'node:net';

const noop = (): void => undefined;

/** Where a {@link FaultProxy} forwards to. */
export interface FaultProxyOptions {
  /** The port of the upstream server. */
  readonly targetPort: number;
  /** The host of the upstream server. @defaultValue `'127.0.0.1'` */
  readonly targetHost?: string;
}

/** Connection counters of a {@link FaultProxy}, since it started. */
export interface FaultProxyStats {
  /** TCP connections accepted from clients (refused ones included). */
  readonly accepted: number;
  /** Connections destroyed at once because `refuse(true)` was on. */
  readonly refused: number;
  /** Connections the proxy cut itself (`idleTimeout`, `dropAll`). */
  readonly dropped: number;
  /**
   * Connections the proxy holds now: black-holed ones included, even if one
   * side has gone; hung ones until their client gives up (closes its side).
   */
  readonly live: number;
}

/** Delivers chunks, then the end (FIN), in order, each `ms` after it arrived. */
class DelayLine {
  readonly #queue: { due: number; chunk: Buffer | null }[] = [];
  readonly #target: () => net.Socket | null;
  #timer: NodeJS.Timeout | undefined;

  /** @param target - where to deliver (`null`: nowhere, a hung connection) */
  constructor(target: () => net.Socket | null) {
    this.#target = target;
  }

  /** Queues a chunk, or the end of the stream for `null`. */
  push(chunk: Buffer | null, ms: number): void {
    // With no delay and nothing queued ahead, skip the timer; never overtake queued chunks.
    if (ms <= 0 && this.#queue.length === 0) return this.#deliver(chunk);
    const last = this.#queue.at(-1)?.due ?? 0;
    this.#queue.push({ due: Math.max(Date.now() + ms, last), chunk });
    if (this.#timer === undefined) this.#arm();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
  }

  #deliver(chunk: Buffer | null): void {
    const socket = this.#target();
    if (socket === null || socket.destroyed) return;
    if (chunk === null) socket.end();
    else socket.write(chunk);
  }

  #arm(): void {
    const head = this.#queue[0];
    if (head === undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = Date.now();
      for (let next = this.#queue[0]; next !== undefined && next.due <= now; next = this.#queue[0]) {
        this.#queue.shift();
        this.#deliver(next.chunk);
      }
      this.#arm();
    }, Math.max(0, head.due - Date.now()));
  }
}

/** One client connection and, unless hung, its upstream twin. */
interface Pair {
  readonly client: net.Socket;
  readonly upstream: net.Socket | null;
  readonly toUpstream: DelayLine;
  readonly toClient: DelayLine;
  blackholed: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

/**
 * A fault-injecting TCP proxy on `127.0.0.1`, controllable at runtime.
 * Start it with {@link FaultProxy.start}; every fault is off until set,
 * and {@link FaultProxy.forward} turns them all off again.
 */
export class FaultProxy {
  readonly #server: net.Server;
  readonly #target: { port: number; host: string };
  readonly #pairs = new Set<Pair>();
  #idleTimeoutMs = 0;
  #latencyMs = 0;
  #refusing = false;
  #hanging = false;
  #stats = { accepted: 0, refused: 0, dropped: 0 };

  private constructor(server: net.Server, options: FaultProxyOptions) {
    this.#server = server;
    this.#target = { port: options.targetPort, host: options.targetHost ?? '127.0.0.1' };
    server.on('connection', (socket) => this.#accept(socket));
  }

  /**
   * Starts a proxy listening on `127.0.0.1`, on a free port.
   *
   * @param options - where to forward
   * @returns the listening proxy; read its port from {@link FaultProxy.port}
   */
  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    // allowHalfOpen: a client's FIN is passed on (or swallowed) by us, not answered by Node.
    const server = net.createServer({ allowHalfOpen: true });
    const proxy = new FaultProxy(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  /** The port the proxy listens on. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** A snapshot of the connection counters. */
  stats(): FaultProxyStats {
    return { ...this.#stats, live: this.#pairs.size };
  }

  /**
   * Back to normal forwarding: turns off the idle timeout, refusing,
   * hanging and latency. Connections already black-holed stay silent
   * (a half-open path does not heal); use {@link FaultProxy.dropAll} to end them.
   */
  forward(): void {
    this.idleTimeout(0);
    this.refuse(false);
    this.hang(false);
    this.latency(0);
  }

  /**
   * Cuts a connection (both sockets destroyed, no close frame) after `ms`
   * without any data from the server, like nginx's `proxy_read_timeout`.
   * Client traffic does not keep a connection alive; applies to live
   * connections from now on, and to new ones. `0` turns it off.
   *
   * @param ms - the allowed upstream silence, in ms
   */
  idleTimeout(ms: number): void {
    this.#idleTimeoutMs = ms;
    for (const pair of this.#pairs) this.#armIdle(pair);
  }

  /**
   * Makes every live connection half-open: nothing is forwarded either way
   * (not even a FIN) but both sockets stay open, so neither end learns
   * anything. New connections are forwarded normally.
   */
  blackhole(): void {
    for (const pair of this.#pairs) pair.blackholed = true;
  }

  /**
   * While on, new connections are destroyed as soon as they are accepted
   * (the client sees a reset or an immediate close). Live ones are kept.
   *
   * @param on - whether to refuse
   */
  refuse(on: boolean): void {
    this.#refusing = on;
  }

  /**
   * While on, new connections are accepted but never forwarded: a
   * handshake that never answers. They stay open until the client gives
   * up (closes its side), {@link FaultProxy.dropAll} or {@link FaultProxy.close}.
   *
   * @param on - whether to hang
   */
  hang(on: boolean): void {
    this.#hanging = on;
  }

  /**
   * Delays every chunk, both ways, by `ms` (order is kept). Applies to data
   * arriving from now on, on live and new connections.
   *
   * @param ms - the one-way delay, in ms; `0` for none
   */
  latency(ms: number): void {
    this.#latencyMs = ms;
  }

  /** Destroys every live connection, both sides, without a close frame. */
  dropAll(): void {
    for (const pair of this.#pairs) this.#destroy(pair, true);
  }

  /** Stops listening and destroys every connection; resolves when the port is closed. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const pair of this.#pairs) this.#destroy(pair, false);
    await closed;
  }

  #accept(client: net.Socket): void {
    this.#stats.accepted += 1;
    if (this.#refusing) {
      this.#stats.refused += 1;
      client.destroy();
      return;
    }
    const upstream = this.#hanging ? null : net.connect({ ...this.#target, allowHalfOpen: true });
    const pair: Pair = {
      client,
      upstream,
      toUpstream: new DelayLine(() => upstream),
      toClient: new DelayLine(() => client),
      blackholed: false,
      idleTimer: undefined,
    };
    this.#pairs.add(pair);
    // An error (reset, refused upstream) is always followed by 'close', which ends the pair.
    client.on('error', noop);
    client.on('close', () => this.#closed(pair));
    client.on('data', (chunk: Buffer) => {
      if (!pair.blackholed) pair.toUpstream.push(chunk, this.#latencyMs);
    });
    if (upstream === null) {
      // Hung: read and discard, never answer; a client that gives up (FIN) ends it, as there is no one to pass the FIN to.
      client.on('end', () => this.#destroy(pair, false));
      return;
    }
    upstream.on('error', noop);
    upstream.on('close', () => this.#closed(pair));
    upstream.on('data', (chunk: Buffer) => {
      this.#armIdle(pair);
      if (!pair.blackholed) pair.toClient.push(chunk, this.#latencyMs);
    });
    // Pass FINs on, behind the data, so clean closes stay clean; a black-holed pair passes nothing.
    client.on('end', () => {
      if (!pair.blackholed) pair.toUpstream.push(null, this.#latencyMs);
    });
    upstream.on('end', () => {
      if (!pair.blackholed) pair.toClient.push(null, this.#latencyMs);
    });
    this.#armIdle(pair);
  }

  #armIdle(pair: Pair): void {
    clearTimeout(pair.idleTimer);
    pair.idleTimer = undefined;
    if (this.#idleTimeoutMs <= 0 || pair.upstream === null) return;
    pair.idleTimer = setTimeout(() => this.#destroy(pair, true), this.#idleTimeoutMs);
  }

  /** One side closed: end the other, unless the pair is black-holed (half-open means the other side never learns). */
  #closed(pair: Pair): void {
    if (!pair.blackholed || (pair.client.destroyed && (pair.upstream?.destroyed ?? true))) this.#destroy(pair, false);
  }

  #destroy(pair: Pair, byProxy: boolean): void {
    if (!this.#pairs.delete(pair)) return;
    if (byProxy) this.#stats.dropped += 1;
    clearTimeout(pair.idleTimer);
    pair.toUpstream.clear();
    pair.toClient.clear();
    pair.client.destroy();
    pair.upstream?.destroy();
  }
}
