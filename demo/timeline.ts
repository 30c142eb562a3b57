/**
 * The tour's timeline: prints every event of a socket as it happens, and
 * lets a step wait for the next event of a kind without racing it (events
 * are recorded, and a wait scans what already arrived before listening).
 */

import type { ResilientWebSocket, ResilientWebSocketEventMap } from '../src/index.js';

type Kind = 'open' | 'message' | 'close' | 'statechange' | 'reconnecting' | 'giveup';
type Recorded = { [K in Kind]: { readonly kind: K; readonly event: ResilientWebSocketEventMap[K] } }[Kind];

const startedAt = performance.now();

/** Prints one timeline line: elapsed time, a label, the text. */
export function log(label: string, text: string): void {
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2).padStart(6);
  console.log(`+${seconds}s  ${label.padEnd(8)} ${text}`);
}

/** Prints a step heading. */
export function heading(title: string): void {
  console.log(`\n── ${title} ${'─'.repeat(Math.max(3, 72 - title.length))}`);
}

/** Records a socket's events, prints them, and answers "wait for the next X". */
export class Timeline {
  readonly #events: Recorded[] = [];
  readonly #waiters = new Set<() => void>();
  /** Events before this index have been consumed by a wait (or skipped). */
  #cursor = 0;

  constructor(ws: ResilientWebSocket, describeOpen: () => string) {
    const record = (entry: Recorded): void => {
      this.#events.push(entry);
      for (const waiter of [...this.#waiters]) waiter();
    };
    ws.addEventListener('statechange', (e) => {
      log('state', `${e.from} → ${e.to} (${e.cause})`);
      record({ kind: 'statechange', event: e });
    });
    ws.addEventListener('open', (e) => {
      log('open', describeOpen());
      record({ kind: 'open', event: e });
    });
    ws.addEventListener('message', (e) => {
      log('message', JSON.stringify(e.data));
      record({ kind: 'message', event: e });
    });
    ws.addEventListener('close', (e) => {
      const r = e.report;
      const decision = r.decision.action === 'stop' ? `stop: ${r.decision.reason}` : `reconnect in ${formatMs(r.delayMs)}`;
      log('close', `${r.code} ${r.class}${r.reason ? ` "${r.reason}"` : ''} · wasClean ${r.wasClean} · by ${r.initiator} · phase ${r.phase} · ${decision}`);
      log('', `why: ${r.explanation}`);
      record({ kind: 'close', event: e });
    });
    ws.addEventListener('reconnecting', (e) => {
      log('retry', `attempt ${e.attempt} scheduled in ${formatMs(e.delayMs)}`);
      record({ kind: 'reconnecting', event: e });
    });
    ws.addEventListener('giveup', (e) => {
      log('giveup', e.reason);
      record({ kind: 'giveup', event: e });
    });
  }

  /** Forgets everything recorded so far: the next wait only sees new events. */
  skip(): void {
    this.#cursor = this.#events.length;
  }

  /** Events of `kind` recorded since index `from` (see {@link Timeline.mark}). */
  since<K extends Kind>(from: number, kind: K): ResilientWebSocketEventMap[K][] {
    return this.#events.slice(from).filter((e) => e.kind === kind).map((e) => e.event as ResilientWebSocketEventMap[K]);
  }

  /** The current position in the record, for {@link Timeline.since}. */
  mark(): number {
    return this.#events.length;
  }

  /**
   * Resolves with the first event of `kind` after the last one a wait
   * returned that passes `test`; rejects after `timeoutMs` naming `what`.
   */
  next<K extends Kind>(kind: K, what: string, timeoutMs: number, test: (e: ResilientWebSocketEventMap[K]) => boolean = () => true): Promise<ResilientWebSocketEventMap[K]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = this.#cursor; i < this.#events.length; i++) {
          const entry = this.#events[i];
          if (entry?.kind !== kind) continue;
          const event = entry.event as ResilientWebSocketEventMap[K];
          if (!test(event)) continue;
          this.#cursor = i + 1;
          this.#waiters.delete(check);
          clearTimeout(timer);
          resolve(event);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, Math.max(0, timeoutMs));
      if (!check()) this.#waiters.add(check);
    });
  }
}

/** `1234` → `1234 ms`; `null` → `-`. */
export function formatMs(ms: number | null): string {
  return ms === null ? '-' : `${Math.round(ms)} ms`;
}
