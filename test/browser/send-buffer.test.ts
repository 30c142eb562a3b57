/**
 * Scenario 6: messages sent while disconnected are queued and delivered
 * after the reconnect, in order, exactly once; a small buffer overflows by
 * its policy (drop-oldest by default) and says so with `drop` events.
 */

import { describe, expect, it } from 'vitest';
import type { TestServer } from '../support/ws-server.js';
import { printFigure, useBrowserSuite } from './support/suite.js';
import type { PageClient } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

const count = 100;
const numbered = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `m${from + i}`);

/**
 * Connects a client, stops the server, sends `m1`..`m100` while
 * disconnected, restarts the server and waits until the last message
 * expected on the new connection has been echoed back.
 */
async function sendWhileDown(options: object, lastDelivered: string): Promise<{ server: TestServer; client: PageClient }> {
  const server = await suite.server();
  const page = await suite.page();
  const client = await page.client('buffered', server.url, options);
  const open = await client.waitFor({ type: 'open' });
  await server.stop();
  const close = await client.waitFor({ type: 'close' }, { after: open.index });

  const results = await client.sendNumbered('m', count);
  expect(results).toEqual(Array<boolean>(count).fill(false)); // false: queued, not sent
  expect((await client.status()).bufferedAmount).toBeGreaterThan(0);
  expect(server.messages).toEqual([]);

  await server.restart();
  const reopen = await client.waitFor({ type: 'open' }, { after: close.index });
  await client.waitFor({ type: 'message', data: lastDelivered }, { after: reopen.index });
  expect((await client.status()).bufferedAmount).toBe(0);
  return { server, client };
}

describe(`the send buffer, seen from ${suite.engineTitle}`, () => {
  it('should deliver 100 messages sent while disconnected after the reconnect, in order, exactly once', async () => {
    const { server, client } = await sendWhileDown({}, `m${count}`);
    expect(server.connectionCount).toBe(2);
    expect(server.connections[0]!.messages).toEqual([]);
    expect(server.connections[1]!.messages).toEqual(numbered(1, count));
    expect(server.messages).toHaveLength(count);
    const timeline = await client.timeline();
    expect(entriesOf(timeline, 'message').map((entry) => entry.data)).toEqual(numbered(1, count));
    expect(entriesOf(timeline, 'drop')).toEqual([]);
    printFigure('6 buffer', `${count} sends while down: the server received ${server.connections[1]!.messages.length}, in order, no duplicate, no drop`);
  }, 60_000);

  it('should keep the newest 10 with maxMessages 10 and report each dropped message with a drop event', async () => {
    const maxMessages = 10;
    const { server, client } = await sendWhileDown({ buffer: { maxMessages } }, `m${count}`);
    const kept = numbered(count - maxMessages + 1, count);
    expect(server.connections[1]!.messages).toEqual(kept);
    expect(server.messages).toHaveLength(maxMessages);
    const drops = entriesOf(await client.timeline(), 'drop');
    expect(drops.map((entry) => entry.data)).toEqual(numbered(1, count - maxMessages));
    for (const drop of drops) expect(drop.reason).toBe('overflow');
    printFigure('6 buffer overflow', `maxMessages ${maxMessages}, drop-oldest: ${drops.length} drop events (m1..m${count - maxMessages}), the server received ${kept[0]}..${kept.at(-1)} in order`);
  }, 60_000);
});
