/**
 * A developer's local loop, for the browser test and the bench: a page with
 * default options connected to a local `ws` server; the server crashes
 * (every socket destroyed, the port closed) and comes back on the same port
 * after a while, again and again. Measures, each time, from the moment the
 * server listens again to the page's `open`.
 */

import { delay } from '../../support/wait.js';
import type { TestServer } from '../../support/ws-server.js';
import type { PageClient } from './test-page.js';
import { entriesOf } from './timeline.js';

/** What one restart measured. */
export interface Restart {
  /** From the server listening again to the page's `open`. */
  readonly backMs: number;
  /** The waits the library chose between the crash and the `open`. */
  readonly delaysMs: readonly number[];
  /** Handshakes that failed while the server was down. */
  readonly failedHandshakes: number;
}

/** Options of {@link restartLoop}. */
export interface RestartLoopOptions {
  /** How many crash-and-restart rounds (bounded). */
  readonly restarts: number;
  /** How long the server stays down each time. */
  readonly downMs: number;
  /** How long the page has to come back after each restart before the round fails. */
  readonly backWithinMs: number;
  /** How long the connection stays up between rounds. */
  readonly upMs: number;
}

/**
 * Runs the rounds on `client` (open on `server`) and returns what each
 * measured.
 *
 * @throws Error when the page is not back within `backWithinMs` of a restart
 */
export async function restartLoop(client: PageClient, server: TestServer, options: RestartLoopOptions): Promise<Restart[]> {
  const restarts: Restart[] = [];
  let mark = (await client.waitFor({ type: 'open' })).index;
  for (let round = 0; round < options.restarts; round++) {
    const crashedAt = Date.now();
    await server.stop();
    const close = await client.waitFor({ type: 'close', phase: 'open' }, { after: mark });
    await delay(crashedAt + options.downMs - Date.now());
    await server.restart();
    const backAt = Date.now();
    const open = await client.waitFor({ type: 'open' }, { after: close.index, timeoutMs: options.backWithinMs });
    const during = (await client.timeline()).slice(close.index, open.index);
    restarts.push({
      backMs: open.entry.at - backAt,
      delaysMs: entriesOf(during, 'reconnecting').map((entry) => entry.delayMs),
      failedHandshakes: entriesOf(during, 'close').filter((entry) => entry.phase === 'handshake').length,
    });
    mark = open.index;
    await delay(options.upMs);
  }
  return restarts;
}

/** The `q` quantile (0-1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
