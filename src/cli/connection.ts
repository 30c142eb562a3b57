/**
 * An open WebSocket over the socket the handshake produced: what the probe
 * sends (text, protocol pings, close), what it hears (messages, pongs, the
 * server's pings, which it answers as a browser does) and how it ended.
 *
 * @module
 */

import type { Duplex } from 'node:stream';
import { closePayload, encodeFrame, FrameReader, Opcode } from './frames.js';

/** How a connection ended. */
export interface ConnectionEnd {
  /** `close-frame`: the server (or a proxy) sent a close frame; `fin`: TCP closed without one; `reset`: TCP reset; `error`: another socket error. */
  readonly how: 'close-frame' | 'fin' | 'reset' | 'error';
  /** The close code of a close frame, else `null`. */
  readonly code: number | null;
  /** The close reason of a close frame, else `''`. */
  readonly reason: string;
  /** When, on `performance.now()`. */
  readonly at: number;
  /** How long nothing had arrived before the end, in ms. */
  readonly silentMs: number;
}

type Listener = () => void;

/** A client WebSocket reduced to what a probe needs. */
export class ProbeConnection {
  readonly #socket: Duplex;
  readonly #reader = new FrameReader();
  readonly #listeners = new Set<Listener>();
  #fragments: Buffer[] = [];
  #end: ConnectionEnd | null = null;
  /** Text messages received, oldest first, with their arrival time. */
  readonly messages: { readonly text: string; readonly at: number }[] = [];
  /** Pongs received, with their arrival time. */
  readonly pongs: { readonly payload: string; readonly at: number }[] = [];
  /** Arrival times of the server's own protocol pings. */
  readonly serverPings: number[] = [];
  /** When the last byte arrived (or the connection opened). */
  lastInboundAt = performance.now();

  /** @param head - bytes that arrived with the 101 response, already frames */
  constructor(socket: Duplex, head: Buffer) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('end', () => this.#ended('fin'));
    socket.on('error', (error: NodeJS.ErrnoException) => this.#ended(error.code === 'ECONNRESET' ? 'reset' : 'error'));
    socket.on('close', () => this.#ended('fin'));
    if (head.length > 0) this.#receive(head);
  }

  /** How the connection ended, or `null` while it is open. */
  get end(): ConnectionEnd | null {
    return this.#end;
  }

  /** Sends a text message. */
  sendText(text: string): void {
    this.#write(encodeFrame(Opcode.text, Buffer.from(text)));
  }

  /** Sends a protocol ping. */
  sendPing(payload: string): void {
    this.#write(encodeFrame(Opcode.ping, Buffer.from(payload)));
  }

  /** Sends a close frame and ends the socket; a connection already ended is left alone. */
  close(code = 1000): void {
    if (this.#end === null) this.#write(encodeFrame(Opcode.close, closePayload(code)));
    this.#socket.end();
    this.#socket.destroy();
  }

  /**
   * Resolves with `true` once `condition()` holds (checked on every frame
   * and at the end), `false` after `timeoutMs`, on abort, or once the
   * connection has ended without it.
   */
  until(condition: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const check = (): void => {
        if (condition()) finish(true);
        else if (this.#end !== null) finish(false);
      };
      const onAbort = (): void => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      if (signal.aborted) return finish(false);
      signal.addEventListener('abort', onAbort);
      this.#listeners.add(check);
      check();
    });
  }

  #write(frame: Buffer): void {
    if (this.#end === null && this.#socket.writable) this.#socket.write(frame);
  }

  #receive(chunk: Buffer): void {
    const now = performance.now();
    const quietSince = this.lastInboundAt;
    this.lastInboundAt = now;
    for (const frame of this.#reader.push(chunk)) {
      switch (frame.opcode) {
        case Opcode.ping:
          this.serverPings.push(now);
          this.#write(encodeFrame(Opcode.pong, frame.payload));
          break;
        case Opcode.pong:
          this.pongs.push({ payload: frame.payload.toString(), at: now });
          break;
        case Opcode.close: {
          const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
          // Answer as a browser does, completing the closing handshake, then end.
          this.#write(encodeFrame(Opcode.close, frame.payload.subarray(0, 2)));
          this.#ended('close-frame', code, frame.payload.subarray(2).toString(), now - quietSince);
          this.#socket.end();
          break;
        }
        default:
          this.#fragments.push(frame.payload);
          if (frame.fin) {
            this.messages.push({ text: Buffer.concat(this.#fragments).toString(), at: now });
            this.#fragments = [];
          }
      }
    }
    this.#notify();
  }

  #ended(how: ConnectionEnd['how'], code: number | null = null, reason = '', silentMs?: number): void {
    if (this.#end !== null) return;
    const at = performance.now();
    this.#end = { how, code, reason, at, silentMs: Math.round(silentMs ?? at - this.lastInboundAt) };
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
