/**
 * The bookkeeping that makes every tab's messages reach the server in
 * order and once, across changes of leader. Pure: no channel, no socket.
 *
 * Each tab numbers its messages 1, 2, 3... and keeps them in its
 * {@link Outbox} until the leader acknowledges them (an `ack` is
 * cumulative and seen by every tab). A tab sends each message once, and
 * all of its unacknowledged ones again to a new leader. The leader
 * accepts a tab's messages only in sequence ({@link accept}): a number it
 * has accepted (or seen acknowledged) is a duplicate, one past a gap waits
 * for the gap to fill.
 *
 * @module
 */

import type { SendData } from 'resilient-websocket';
import type { TabId } from './protocol.js';

/** One message of a tab, numbered. */
export interface Numbered {
  readonly tab: TabId;
  readonly seq: number;
  readonly data: SendData;
}

/** What every tab remembers about the messages of all tabs, and the leader about the ones it took. */
export interface Ledger {
  /** The highest number acknowledged per tab, as seen on the channel. */
  readonly acked: ReadonlyMap<TabId, number>;
  /** While leading: the highest number accepted per tab (acknowledged or waiting for the socket). */
  readonly accepted: ReadonlyMap<TabId, number>;
  /** While leading: messages that arrived past a gap, per tab, by number. */
  readonly early: ReadonlyMap<TabId, ReadonlyMap<number, SendData>>;
}

/** The most tabs remembered: an old tab forgotten is harmless, its next message carries its watermark. */
export const maxRememberedTabs = 256;

/** A ledger that knows nothing yet. */
export const emptyLedger: Ledger = /* @__PURE__ */ Object.freeze({ acked: new Map(), accepted: new Map(), early: new Map() });

/** `map` with `key` set to `value`, moved last, and the oldest keys dropped beyond {@link maxRememberedTabs}. */
function remember<V>(map: ReadonlyMap<TabId, V>, key: TabId, value: V): Map<TabId, V> {
  const next = new Map(map);
  next.delete(key);
  next.set(key, value);
  for (const oldest of next.keys()) {
    if (next.size <= maxRememberedTabs) break;
    next.delete(oldest);
  }
  return next;
}

/** Records an `ack` seen on the channel (from any leader): every message of `tab` up to `seq` went out. */
export function recordAck(ledger: Ledger, tab: TabId, seq: number): Ledger {
  if (seq <= (ledger.acked.get(tab) ?? 0)) return ledger;
  const accepted = ledger.accepted.has(tab) && (ledger.accepted.get(tab) ?? 0) < seq ? remember(ledger.accepted, tab, seq) : ledger.accepted;
  return { ...ledger, acked: remember(ledger.acked, tab, seq), accepted };
}

/** The ledger of a tab that takes the lead: it accepts from where the acknowledgements stand. */
export function startLeading(ledger: Ledger): Ledger {
  return { acked: ledger.acked, accepted: new Map(ledger.acked), early: new Map() };
}

/** The ledger of a tab that lets go: what it accepted but did not acknowledge will come again to the next leader. */
export function stopLeading(ledger: Ledger): Ledger {
  return { acked: ledger.acked, accepted: new Map(), early: new Map() };
}

/**
 * The leader takes message `seq` of `tab`, whose numbers below `base` are
 * all acknowledged. Returns the messages now ready for the socket, in
 * order: none for a duplicate or for a message past a gap, several when
 * it fills one.
 */
export function accept(ledger: Ledger, tab: TabId, seq: number, base: number, data: SendData): { readonly ledger: Ledger; readonly ready: readonly Numbered[] } {
  let last = Math.max(ledger.accepted.get(tab) ?? 0, ledger.acked.get(tab) ?? 0, base - 1);
  if (seq <= last) return { ledger: last === (ledger.accepted.get(tab) ?? 0) ? ledger : { ...ledger, accepted: remember(ledger.accepted, tab, last) }, ready: [] };
  const waiting = new Map(ledger.early.get(tab) ?? []);
  waiting.set(seq, data);
  const ready: Numbered[] = [];
  for (let next = waiting.get(last + 1); next !== undefined; next = waiting.get(last + 1)) {
    waiting.delete(last + 1);
    last += 1;
    ready.push({ tab, seq: last, data: next });
  }
  // Numbers at or below the watermark that waited (a base moved past them) are duplicates now.
  for (const number of waiting.keys()) if (number <= last) waiting.delete(number);
  const early = new Map(ledger.early);
  if (waiting.size > 0) early.set(tab, waiting);
  else early.delete(tab);
  return { ledger: { ...ledger, accepted: remember(ledger.accepted, tab, last), early }, ready };
}

/** The bounds of an {@link Outbox}, as the socket's `buffer` option gives them. */
export interface OutboxLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly overflow: 'drop-oldest' | 'drop-newest' | 'throw';
}

/** What {@link Outbox.push} did. */
export interface OutboxPush {
  /** The number given to the message, or `null` when it was not kept. */
  readonly seq: number | null;
  /** Messages dropped to honour the limits, oldest first (the new one with `drop-newest`). */
  readonly dropped: readonly SendData[];
}

/** The size a message takes on the wire: UTF-8 for strings. */
export function byteLength(data: SendData): number {
  if (typeof data === 'string') return new TextEncoder().encode(data).length;
  if (typeof Blob !== 'undefined' && data instanceof Blob) return data.size;
  return (data as ArrayBufferLike | ArrayBufferView).byteLength;
}

/** A tab's own messages, numbered from 1 and kept until acknowledged; bounded like the socket's send buffer. */
export class Outbox {
  readonly #limits: OutboxLimits;
  #items: (Numbered & { readonly bytes: number })[] = [];
  #next = 1;
  #bytes = 0;
  readonly #tab: TabId;

  /** @param tab - the tab's id; @param limits - the bounds and the overflow policy */
  constructor(tab: TabId, limits: OutboxLimits) {
    this.#tab = tab;
    this.#limits = limits;
  }

  /** The lowest number not acknowledged yet (the next number when nothing waits). */
  get base(): number {
    return this.#items[0]?.seq ?? this.#next;
  }

  /** How many messages wait for an acknowledgement. */
  get length(): number {
    return this.#items.length;
  }

  /** Their bytes (strings as UTF-8). */
  get bytes(): number {
    return this.#bytes;
  }

  /** The unacknowledged messages, oldest first. */
  pending(): readonly Numbered[] {
    return this.#items;
  }

  /**
   * Numbers and keeps `data`, dropping per the overflow policy when it does
   * not fit. With `throw`, nothing is dropped and `seq` is `null`: the caller throws.
   */
  push(data: SendData): OutboxPush {
    const bytes = byteLength(data);
    const { maxMessages, maxBytes, overflow } = this.#limits;
    const fits = (): boolean => this.#items.length < maxMessages && this.#bytes + bytes <= maxBytes;
    const dropped: SendData[] = [];
    if (!fits()) {
      if (overflow === 'throw') return { seq: null, dropped };
      if (overflow === 'drop-newest' || bytes > maxBytes || maxMessages < 1) return { seq: null, dropped: [data] };
      while (!fits()) {
        const oldest = this.#items.shift();
        if (oldest === undefined) break;
        this.#bytes -= oldest.bytes;
        dropped.push(oldest.data);
      }
    }
    const seq = this.#next++;
    this.#items.push({ tab: this.#tab, seq, data, bytes });
    this.#bytes += bytes;
    return { seq, dropped };
  }

  /** Forgets every message up to `seq`: the leader acknowledged them. */
  ack(seq: number): void {
    let count = 0;
    while (count < this.#items.length && (this.#items[count]?.seq ?? Infinity) <= seq) {
      this.#bytes -= this.#items[count]?.bytes ?? 0;
      count++;
    }
    if (count > 0) this.#items = this.#items.slice(count);
  }

  /** Empties the outbox and returns what it held, oldest first. */
  clear(): SendData[] {
    const rest = this.#items.map((item) => item.data);
    this.#items = [];
    this.#bytes = 0;
    return rest;
  }
}
