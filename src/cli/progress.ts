/**
 * Progress while the probe waits, on stderr (stdout carries the report):
 * a countdown rewritten in place on a terminal, plain lines otherwise.
 *
 * @module
 */

import { seconds } from './verdict.js';

/** A wait in progress. */
export interface Waiting {
  /** Ends the wait's display and its ticker. */
  stop(): void;
}

/** Where progress goes. */
export interface Progress {
  /** A line of its own. */
  line(text: string): void;
  /** A wait of up to `totalMs`, shown while it lasts. */
  wait(label: string, totalMs: number): Waiting;
}

/** A stream progress can write to. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Plain lines repeat at most this often, in ms. */
const plainEveryMs = 10_000;

/** Progress on `stream`: a countdown on a terminal, a line every 10 s otherwise; `quiet` shows nothing. */
export function createProgress(stream: ProgressStream, quiet = false): Progress {
  if (quiet) return { line: () => undefined, wait: () => ({ stop: () => undefined }) };
  const tty = stream.isTTY === true;
  return {
    line(text) {
      stream.write(`${text}\n`);
    },
    wait(label, totalMs) {
      const startedAt = performance.now();
      const status = (): string => `${label}: ${seconds(performance.now() - startedAt)} of ${seconds(totalMs)} (Ctrl-C prints what was measured so far)`;
      if (!tty) stream.write(`${label}: waiting up to ${seconds(totalMs)}\n`);
      // One ticker per wait, owned by it and cleared by stop().
      const ticker = setInterval(() => stream.write(tty ? `\r\x1b[2K${status()}` : `${status()}\n`), tty ? 250 : plainEveryMs);
      ticker.unref();
      return {
        stop() {
          clearInterval(ticker);
          if (tty) stream.write('\r\x1b[2K');
        },
      };
    },
  };
}
