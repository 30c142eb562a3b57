/**
 * The test's side of a page: open a page that loads one build of the
 * library, create clients in it, drive them, read their timelines and wait
 * on them with `page.waitForFunction` (no fixed sleeps).
 */

import type { BrowserContext, Page } from 'playwright-core';
import type { Diagnosis } from '../../../src/index.js';
import { probeScript } from './page-scripts.js';
import type { LibraryBuild, PageServer } from './page-server.js';
import { describeTimeline, type EntryOf, type EntryType, type Match, type TimelineEntry } from './timeline.js';

/** A native WebSocket the page constructed (one connection attempt). */
export interface NativeConstruct {
  readonly url: string;
  /** `performance.now()` in the page. */
  readonly t: number;
  /** `Date.now()` in the page. */
  readonly at: number;
}

/** A timer callback that ran in the page. */
export interface TimerRun {
  readonly kind: 'setTimeout' | 'setInterval';
  /** The delay it was scheduled with, in ms. */
  readonly delay: number;
  /** `performance.now()` when it ran. */
  readonly t: number;
}

/** A client's live properties. */
export interface ClientStatus {
  readonly state: string;
  readonly readyState: number;
  readonly attempt: number;
  readonly bufferedAmount: number;
}

/** An entry found by {@link PageClient.waitFor}, with its position in the timeline. */
export interface Found<T extends EntryType> {
  readonly index: number;
  readonly entry: EntryOf<T>;
}

/** What `page-scripts.ts` installs in the page, as seen from `page.evaluate`. */
interface PageGlobals {
  readonly harness: {
    readonly ready: boolean;
    create(name: string, url: string, options: object, diagnosed: boolean): void;
    diagnosis(name: string): Diagnosis | null;
    send(name: string, data: string): boolean;
    sendNumbered(name: string, prefix: string, count: number): boolean[];
    call(name: string, method: string, args: unknown[]): void;
    status(name: string): ClientStatus;
    timeline(name: string): TimelineEntry[];
    find(name: string, match: Match, after: number): { index: number; entry: TimelineEntry } | null;
  };
  readonly __probe: { readonly constructs: NativeConstruct[]; readonly timers: TimerRun[] };
}

/** How long a page may take to load the library. */
const loadTimeoutMs = 20_000;
/** The default bound of a wait: generous, the machine is shared. */
export const defaultWaitMs = 15_000;

/** A page that has loaded one build of the library and records its clients. */
export class TestPage {
  /** Uncaught errors in the page, in order. */
  readonly errors: string[] = [];

  private constructor(
    /** The Playwright page. */
    readonly page: Page,
    /** Which build the page loaded. */
    readonly build: LibraryBuild,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  /**
   * Opens a page in `context` that loads `build`, with the probe (native
   * WebSocket and timer counters) installed before any page script.
   */
  static async open(context: BrowserContext, server: PageServer, build: LibraryBuild): Promise<TestPage> {
    const page = new TestPage(await context.newPage(), build);
    const failedLoads: string[] = []; // a missing build shows up here as a 500 naming the file
    page.page.on('response', (response) => {
      if (response.status() >= 400) failedLoads.push(`${response.url()}: ${response.status()} ${response.statusText()}`);
    });
    await page.page.addInitScript({ content: probeScript });
    await page.page.goto(server.pageUrl(build));
    await page.page
      .waitForFunction(() => (globalThis as unknown as PageGlobals).harness.ready, undefined, { timeout: loadTimeoutMs })
      .catch((error: unknown) => {
        throw new Error(`The ${build} page did not load the library: ${[...failedLoads, ...page.errors].join('; ') || String(error)}`);
      });
    return page;
  }

  /**
   * Creates a client (`new ResilientWebSocket(url, undefined, options)`) in
   * the page; it starts connecting at once.
   *
   * @param name - a name unique in this page
   * @param options - JSON-serializable options (no functions)
   * @param extras - `diagnose: true` passes the build's own `diagnose` as the option of that name
   */
  async client(name: string, url: string, options: object = {}, { diagnose = false }: { readonly diagnose?: boolean } = {}): Promise<PageClient> {
    await this.page.evaluate(([n, u, o, d]) => (globalThis as unknown as PageGlobals).harness.create(n, u, o, d), [name, url, options, diagnose] as const);
    return new PageClient(this, name, url);
  }

  /** Every native WebSocket the page constructed, in order. */
  async constructs(): Promise<NativeConstruct[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__probe.constructs);
  }

  /** Every timer callback that ran in the page, in order. */
  async timers(): Promise<TimerRun[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__probe.timers);
  }
}

/** One `ResilientWebSocket` in a {@link TestPage}, driven by name. */
export class PageClient {
  /** The URL as the library resolves it, to pick this client's attempts out of the page's. */
  readonly #href: string;

  /** @internal use {@link TestPage.client} */
  constructor(
    /** The page the client lives in. */
    readonly page: TestPage,
    /** Its name in the page. */
    readonly name: string,
    url: string,
  ) {
    this.#href = new URL(url).href;
  }

  /** The whole timeline so far. */
  async timeline(): Promise<TimelineEntry[]> {
    return this.page.page.evaluate((n) => (globalThis as unknown as PageGlobals).harness.timeline(n), this.name);
  }

  /** How many entries the timeline has: pass it as `after` to wait only for what comes next. */
  async mark(): Promise<number> {
    return (await this.timeline()).length;
  }

  /**
   * Waits for the first entry at or after position `after` that matches
   * `match`, polling in the page (`waitForFunction`).
   *
   * @throws Error with the client's timeline when none comes within `timeoutMs`
   */
  async waitFor<T extends EntryType>(
    match: Match & { readonly type: T },
    { after = 0, timeoutMs = defaultWaitMs }: { readonly after?: number; readonly timeoutMs?: number } = {},
  ): Promise<Found<T>> {
    try {
      const handle = await this.page.page.waitForFunction(
        ([n, m, a]) => (globalThis as unknown as PageGlobals).harness.find(n, m, a),
        [this.name, match, after] as const,
        { timeout: timeoutMs },
      );
      return (await handle.jsonValue()) as Found<T>;
    } catch (error) {
      const timeline = await this.timeline().catch(() => []);
      throw new Error(
        `${this.name} (${this.page.build}): no ${JSON.stringify(match)} after entry ${after} within ${timeoutMs} ms.` +
          `\nPage errors: ${this.page.errors.join('; ') || 'none'}\nTimeline:\n${describeTimeline(timeline)}`,
        { cause: error },
      );
    }
  }

  /** `ws.send(data)`: `true` if sent on an open socket, `false` if queued. */
  async send(data: string): Promise<boolean> {
    return this.page.page.evaluate(([n, d]) => (globalThis as unknown as PageGlobals).harness.send(n, d), [this.name, data] as const);
  }

  /** Sends `prefix1` ... `prefix<count>` in one synchronous loop; the result of each `send`. */
  async sendNumbered(prefix: string, count: number): Promise<boolean[]> {
    return this.page.page.evaluate(
      ([n, p, c]) => (globalThis as unknown as PageGlobals).harness.sendNumbered(n, p, c),
      [this.name, prefix, count] as const,
    );
  }

  /** `ws.close(code, reason)`, recorded as a `call` entry. */
  async close(...args: [code?: number, reason?: string]): Promise<void> {
    await this.#call('close', args);
  }

  /** `ws.reconnect()`, recorded as a `call` entry. */
  async reconnect(): Promise<void> {
    await this.#call('reconnect', []);
  }

  /** `ws.dispose()`, recorded as a `call` entry. */
  async dispose(): Promise<void> {
    await this.#call('dispose', []);
  }

  /** `ws.diagnosis` now (a JSON copy), or `null`. */
  async diagnosis(): Promise<Diagnosis | null> {
    return this.page.page.evaluate((n) => (globalThis as unknown as PageGlobals).harness.diagnosis(n), this.name);
  }

  /** The client's `state`, `readyState`, `attempt` and `bufferedAmount` now. */
  async status(): Promise<ClientStatus> {
    return this.page.page.evaluate((n) => (globalThis as unknown as PageGlobals).harness.status(n), this.name);
  }

  /** The native WebSockets this client constructed (its connection attempts), in order. */
  async constructs(): Promise<NativeConstruct[]> {
    return (await this.page.constructs()).filter((construct) => construct.url === this.#href);
  }

  async #call(method: string, args: unknown[]): Promise<void> {
    await this.page.page.evaluate(
      ([n, m, a]) => (globalThis as unknown as PageGlobals).harness.call(n, m, a),
      [this.name, method, args] as const,
    );
  }
}
