/**
 * Measures how soon a client is back after a `ws` server crashed and
 * listened again 1 s later on the same port, for Node's built-in
 * WebSocket (undici) and the `ws` package's class. The backoff is a fast
 * one (every wait in [10, 200] ms), so that what is measured is the
 * implementation, not the fleet spread of the default schedule; the
 * connect timeout is the default 10 s. Each run
 * uses a fresh client process (support/node-client.ts), so the backoff
 * starts from zero every time.
 *
 *   npx tsx test/runtimes/return-time.ts [runs=10]
 *
 * Prints, per class, the time from the server's return to the client's
 * next `open`, each run and the median.
 */

import { startServer } from '../support/ws-server.js';
import { startNodeClient } from './support/node-child.js';
import type { ClientImplementation } from './support/protocol.js';

const runs = Number(process.argv[2] ?? 10);
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

for (const implementation of ['ws', 'undici'] as const satisfies readonly ClientImplementation[]) {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const server = await startServer();
    const client = await startNodeClient();
    try {
      client.send({ type: 'connect', implementation, url: server.url, options: { reconnect: { baseDelayMs: 50, minDelayMs: 10, maxDelayMs: 200 } } });
      await client.nth('open', 1);
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const back = Date.now();
      await server.restart();
      const open = await client.nth('open', 2, 30_000);
      times.push(open.at - back);
    } finally {
      await client.stop();
      await server.close();
    }
  }
  console.log(`${implementation.padEnd(6)} back after (ms): ${times.join(', ')}  median ${median(times)}  max ${Math.max(...times)}`);
}
