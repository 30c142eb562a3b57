/**
 * The test's side of a Web Worker that runs the library (see
 * `worker-script.ts`): started from a {@link TestPage}, ordered by
 * `postMessage` through the page, and read through the events it posts,
 * which the page keeps in order. Waits poll in the page
 * (`waitForFunction`), each bounded.
 */

import { defaultWaitMs, type TestPage } from './test-page.js';

/** Which kind of worker. */
export type WorkerKind = 'dedicated' | 'shared';

/** One message the worker posted: its `type`, `at` (`Date.now()` in the worker) and fields. */
export interface WorkerEvent {
  readonly type: string;
  readonly at: number;
  readonly [field: string]: unknown;
}

/** What the page keeps of its worker. */
interface HostGlobals {
  __worker: { events: WorkerEvent[]; post(order: object): void; ref: unknown };
}

/** A worker found by {@link WorkerHost.waitFor}, with its position among the events. */
export interface FoundEvent {
  readonly index: number;
  readonly event: WorkerEvent;
}

/** Whether the page's engine has `SharedWorker` (asked in the page). */
export async function hasSharedWorker(page: TestPage): Promise<boolean> {
  return page.page.evaluate(() => typeof SharedWorker === 'function');
}

/** A worker of one kind, started by a page, running `/worker.js`. */
export class WorkerHost {
  private constructor(
    readonly page: TestPage,
    readonly kind: WorkerKind,
  ) {}

  /** Starts the worker from `page` (a SharedWorker gets a name of its own) and waits for its `ready`. */
  static async start(page: TestPage, kind: WorkerKind): Promise<WorkerHost> {
    await page.page.evaluate((k) => {
      const events: WorkerEvent[] = [];
      const name = `rws-${Date.now()}-${Math.random()}`;
      let post: (order: object) => void;
      let ref: unknown;
      if (k === 'dedicated') {
        const worker = new Worker('/worker.js');
        worker.addEventListener('message', (event: MessageEvent<WorkerEvent>) => events.push(event.data));
        worker.addEventListener('error', (event) => events.push({ type: 'worker-error', at: Date.now(), message: String(event.message) }));
        post = (order) => worker.postMessage(order);
        ref = worker;
      } else {
        const worker = new SharedWorker('/worker.js', { name });
        worker.port.addEventListener('message', (event: MessageEvent<WorkerEvent>) => events.push(event.data));
        worker.addEventListener('error', () => events.push({ type: 'worker-error', at: Date.now(), message: 'SharedWorker error event' }));
        worker.port.start();
        post = (order) => worker.port.postMessage(order);
        ref = worker;
      }
      (globalThis as unknown as HostGlobals).__worker = { events, post, ref };
    }, kind);
    const host = new WorkerHost(page, kind);
    await host.waitFor({ type: 'ready' });
    return host;
  }

  /** Every event so far. */
  async events(): Promise<WorkerEvent[]> {
    return this.page.page.evaluate(() => (globalThis as unknown as HostGlobals).__worker.events);
  }

  /** How many events so far: pass it as `after` to wait only for what comes next. */
  async mark(): Promise<number> {
    return (await this.events()).length;
  }

  /** Sends an order to the worker. */
  async order(order: object): Promise<void> {
    await this.page.page.evaluate((o) => (globalThis as unknown as HostGlobals).__worker.post(o), order);
  }

  /**
   * Waits for the first event at or after `after` whose fields equal those of `match`.
   *
   * @throws Error with the worker's events when none comes within `timeoutMs`
   */
  async waitFor(match: Readonly<Record<string, unknown>>, { after = 0, timeoutMs = defaultWaitMs }: { readonly after?: number; readonly timeoutMs?: number } = {}): Promise<FoundEvent> {
    try {
      const handle = await this.page.page.waitForFunction(
        ([m, a]) => {
          const events = (globalThis as unknown as Partial<HostGlobals>).__worker?.events ?? [];
          for (let index = a; index < events.length; index++) {
            const event = events[index]!;
            if (Object.keys(m).every((key) => (event as Record<string, unknown>)[key] === m[key])) return { index, event };
          }
          return null;
        },
        [match, after] as const,
        { timeout: timeoutMs },
      );
      return (await handle.jsonValue()) as FoundEvent;
    } catch (error) {
      const events = await this.events().catch(() => []);
      throw new Error(
        `${this.kind} worker (${this.page.engineTitle}): no ${JSON.stringify(match)} after event ${after} within ${timeoutMs} ms.\nEvents:\n${events.map((event) => JSON.stringify(event)).join('\n')}`,
        { cause: error },
      );
    }
  }

  /** The worker's `ws.state`, `ws.attempt`, how many native WebSockets it has constructed, and its `navigator.onLine`. */
  async status(): Promise<{ state: string | null; attempt: number | null; constructs: number; onLine: boolean }> {
    const after = await this.mark();
    await this.order({ cmd: 'status' });
    const { event } = await this.waitFor({ type: 'status' }, { after });
    return { state: event.state as string | null, attempt: event.attempt as number | null, constructs: event.constructs as number, onLine: event.onLine as boolean };
  }

  /** The worker's errors so far (uncaught, rejected, or thrown by an order). */
  async errors(): Promise<WorkerEvent[]> {
    return (await this.events()).filter((event) => event.type === 'worker-error');
  }
}
