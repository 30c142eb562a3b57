/**
 * Scenarios 1 and 10: the server crashes (every socket destroyed, no close
 * frame) and is back after 1 s; and the script-tag bundle and the ESM
 * build go through it the same way.
 */

import { describe, expect, it } from 'vitest';
import { delay } from '../support/wait.js';
import type { LibraryBuild } from './support/page-server.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import { entriesOf, normalizeTimeline } from './support/timeline.js';

const suite = useBrowserSuite();

const downtimeMs = 1_000;

/** What one crash-and-restart run measured. */
interface CrashRun {
  /** The client's timeline, normalized for comparison across builds. */
  readonly normalized: string[];
  /** From the crash to the page's `close` event. */
  readonly detectionMs: number;
  /** From the restart to the page's next `open`. */
  readonly backMs: number;
  /** Handshakes that failed while the server was down. */
  readonly failedHandshakes: number;
}

/**
 * Crashes the server under a connected page client, restarts it after 1 s
 * and checks what the page and the server saw.
 */
async function crashAndRestart(build: LibraryBuild): Promise<CrashRun> {
  const server = await suite.server();
  const page = await suite.page(build);
  const client = await page.client('crash', server.url);

  await client.waitFor({ type: 'open' });
  expect(await client.send('before')).toBe(true);
  const before = await client.waitFor({ type: 'message', data: 'before' });

  const crashedAt = Date.now();
  await server.stop(); // every socket destroyed without a close frame, and the port closed
  const close = await client.waitFor({ type: 'close' }, { after: before.index });
  expect(close.entry).toMatchObject({ code: 1006, wasClean: false, phase: 'open', initiator: 'network', decision: 'reconnect' });

  await delay(crashedAt + downtimeMs - Date.now()); // the scenario: the server is down for 1 s
  await server.restart();
  const restartedAt = Date.now();
  const open = await client.waitFor({ type: 'open' }, { after: close.index });
  expect(await client.send('after')).toBe(true);
  await client.waitFor({ type: 'message', data: 'after' }, { after: open.index });

  // The server saw two connections: the crashed one (no close frame: 1006) and the new one.
  expect(server.connectionCount).toBe(2);
  expect(server.connections[0]!.closed?.code).toBe(1006);
  expect(server.connections[0]!.messages).toEqual(['before']);
  expect(server.connections[1]!.messages).toEqual(['after']);
  expect(server.openCount).toBe(1);

  // Every attempt the page made was one native WebSocket: the two that opened and the failed ones.
  const timeline = await client.timeline();
  const failedHandshakes = entriesOf(timeline, 'close').filter((entry) => entry.phase === 'handshake');
  for (const failed of failedHandshakes) expect(failed).toMatchObject({ code: 1006, wasClean: false });
  expect(await client.constructs()).toHaveLength(2 + failedHandshakes.length);
  expect(entriesOf(timeline, 'open')).toHaveLength(2);
  expect(entriesOf(timeline, 'giveup')).toHaveLength(0);

  return {
    normalized: normalizeTimeline(timeline),
    detectionMs: close.entry.at - crashedAt,
    backMs: open.entry.at - restartedAt,
    failedHandshakes: failedHandshakes.length,
  };
}

describe(`a server crash, seen from ${suite.engineTitle}`, () => {
  it('should report 1006 with wasClean false, reconnect when the server is back after 1 s, and carry messages again', async () => {
    const run = await crashAndRestart('umd');
    printFigure(
      '1 crash',
      `close 1006 unclean ${ms(run.detectionMs)} after the crash; ${run.failedHandshakes} failed handshake(s) while down; open ${ms(run.backMs)} after the restart`,
    );
  }, 60_000);

  it('should behave the same with the script-tag bundle as with the ESM build', async () => {
    const umd = await crashAndRestart('umd');
    const esm = await crashAndRestart('esm');
    expect(esm.normalized).toEqual(umd.normalized);
    printFigure(
      '10 builds',
      `umd and esm agree on ${umd.normalized.join(' | ')}; umd close ${ms(umd.detectionMs)} after the crash, open ${ms(umd.backMs)} after the restart; esm ${ms(esm.detectionMs)}, ${ms(esm.backMs)}`,
    );
  }, 90_000);
});
