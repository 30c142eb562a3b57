/**
 * The test side of a Node client process (node-client.ts): forks it with
 * `--experimental-websocket` (Node 20 needs the flag for the global
 * WebSocket; later versions ignore it), records what it reports, waits
 * for events, and kills it after the test.
 */

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildCommand, ChildEvent } from './protocol.js';

const clientPath = fileURLToPath(new URL('node-client.ts', import.meta.url));

/** A client process and everything it has reported. */
export interface NodeClientProcess {
  /** Every event so far, oldest first. */
  readonly events: readonly ChildEvent[];
  /** The process's `ready` event: Node and undici versions, whether a global WebSocket exists. */
  readonly ready: Extract<ChildEvent, { type: 'ready' }>;
  send(command: ChildCommand): void;
  /** Resolves with the `n`th event (1-based) of `type`, counting from the process's start. */
  nth<T extends ChildEvent['type']>(type: T, n: number, timeoutMs?: number): Promise<Extract<ChildEvent, { type: T }>>;
  /** How many events of `type` have arrived. */
  count(type: ChildEvent['type']): number;
  /** Asks the process to dispose its socket and exit; kills it if it does not within 2 s. */
  stop(): Promise<void>;
}

/** Forks a client process and waits for it to be ready. */
export async function startNodeClient(): Promise<NodeClientProcess> {
  const child: ChildProcess = fork(clientPath, [], {
    execArgv: ['--experimental-websocket', '--no-warnings', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const events: ChildEvent[] = [];
  const waiters = new Set<() => void>();
  let exited = false;
  child.on('message', (event: ChildEvent) => {
    events.push(event);
    for (const wake of [...waiters]) wake();
  });
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      for (const wake of [...waiters]) wake();
      resolve();
    });
  });

  const nth = async <T extends ChildEvent['type']>(type: T, n: number, timeoutMs = 15_000): Promise<Extract<ChildEvent, { type: T }>> => {
    const find = () => events.filter((event): event is Extract<ChildEvent, { type: T }> => event.type === type)[n - 1];
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found !== undefined || exited) {
          clearTimeout(timer);
          waiters.delete(check);
          if (found !== undefined) resolve(found);
          else reject(new Error(`the client process exited before its ${type} event #${n}; it reported: ${JSON.stringify(events)}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${type} event #${n} from the client process within ${timeoutMs} ms; it reported: ${JSON.stringify(events)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  };

  const ready = await nth('ready', 1, 20_000);
  return {
    events,
    ready,
    send: (command) => child.send(command),
    nth,
    count: (type) => events.filter((event) => event.type === type).length,
    async stop() {
      if (exited) return;
      if (child.connected) child.send({ type: 'exit' } satisfies ChildCommand);
      const killer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exit;
      clearTimeout(killer);
    },
  };
}
