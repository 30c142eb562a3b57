/**
 * The bounded queue of messages sent while the socket is not open.
 *
 * @module
 */

/** Anything `WebSocket#send` accepts. */
export type SendData = string | ArrayBufferLike | Blob | ArrayBufferView;

/** What happens when a message does not fit in the send buffer. */
export const OverflowPolicy = {
  /** Drop the oldest queued messages until the new one fits. */
  DropOldest: 'drop-oldest',
  /** Drop the new message. */
  DropNewest: 'drop-newest',
  /** Throw from `send()`; the message is not queued. */
  Throw: 'throw',
} as const;

/** One of the {@link OverflowPolicy} values. */
export type OverflowPolicy = (typeof OverflowPolicy)[keyof typeof OverflowPolicy];

/** The bounds of a {@link SendBuffer}. */
export interface SendBufferLimits {
  /** The most messages held at once. */
  readonly maxMessages: number;
  /** The most bytes held at once (strings counted as UTF-8). */
  readonly maxBytes: number;
  /** What to do with a message that does not fit. */
  readonly overflow: OverflowPolicy;
}

/** The outcome of {@link SendBuffer.push}. */
export interface PushResult {
  /** Whether the new message was queued. */
  readonly queued: boolean;
  /** Messages dropped to honour the limits, oldest first (may include the new one). */
  readonly dropped: readonly SendData[];
}

/** The size in bytes a message takes on the wire: UTF-8 for strings. */
export function byteLength(data: SendData): number {
  if (typeof data === 'string') return utf8Length(data);
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return (data as ArrayBufferLike | ArrayBufferView).byteLength;
}

/** Made on first use, so that importing the library creates nothing. */
let encoder: TextEncoder | undefined;

/**
 * The number of bytes `text` takes in UTF-8 (lone surrogates count as U+FFFD: 3 bytes). Only queued
 * messages and close reasons are measured, never a message on an open socket: the platform's encoder
 * does it in less code than a loop over the string, and faster for long strings.
 */
export function utf8Length(text: string): number {
  return (encoder ??= new TextEncoder()).encode(text).length;
}

/** A queued message, linked to the next one. */
interface Item {
  readonly data: SendData;
  readonly bytes: number;
  next: Item | undefined;
}

/** A FIFO of messages bounded by count and bytes: a linked list, so every operation costs the same at any length. */
export class SendBuffer {
  readonly #limits: SendBufferLimits;
  #first: Item | undefined;
  #last: Item | undefined;
  #length = 0;
  #bytes = 0;

  /** @param limits - the bounds and the overflow policy */
  constructor(limits: SendBufferLimits) {
    this.#limits = limits;
  }

  /** How many messages are queued. */
  get length(): number {
    return this.#length;
  }

  /** How many bytes are queued. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Queues `data`, dropping per the overflow policy if it does not fit.
   * With the `throw` policy nothing is dropped and `queued` is false: the
   * caller throws.
   */
  push(data: SendData): PushResult {
    const bytes = byteLength(data);
    const { maxMessages, maxBytes, overflow } = this.#limits;
    const dropped: SendData[] = [];
    const fits = (): boolean => this.#length < maxMessages && this.#bytes + bytes <= maxBytes;
    if (!fits()) {
      // Literal values, not OverflowPolicy.X reads, so that the exported object tree-shakes when unused.
      if (overflow === 'throw') return { queued: false, dropped };
      if (overflow === 'drop-newest' || bytes > maxBytes || maxMessages < 1) return { queued: false, dropped: [data] };
      for (let oldest = this.#first; oldest && !fits(); oldest = this.#first) {
        this.shift();
        dropped.push(oldest.data);
      }
    }
    const item: Item = { data, bytes, next: undefined };
    if (this.#last) this.#last.next = item;
    else this.#first = item;
    this.#last = item;
    this.#length++;
    this.#bytes += bytes;
    return { queued: true, dropped };
  }

  /** Removes and returns the oldest message, or `undefined` when empty. */
  shift(): SendData | undefined {
    const item = this.#first;
    if (item === undefined) return undefined;
    this.#first = item.next;
    if (this.#first === undefined) this.#last = undefined;
    this.#length--;
    this.#bytes -= item.bytes;
    return item.data;
  }

  /** Puts `data` back at the front (a flush that could not finish). */
  unshift(data: SendData): void {
    const bytes = byteLength(data);
    this.#first = { data, bytes, next: this.#first };
    this.#last ??= this.#first;
    this.#length++;
    this.#bytes += bytes;
  }

  /** Empties the queue and returns what it held, oldest first. */
  clear(): SendData[] {
    const rest: SendData[] = [];
    for (let data = this.shift(); data !== undefined; data = this.shift()) rest.push(data);
    return rest;
  }
}
