/**
 * Puts a server on a free port of 127.0.0.1, for tests: port 0, loopback
 * only, and a listen error rejects instead of being thrown later.
 */

import type { AddressInfo, Server } from 'node:net';

/**
 * Listens on 127.0.0.1 on a port the system picks.
 *
 * @returns the port
 */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
