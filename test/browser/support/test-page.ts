/**
 * The test's side of a page: open a page that loads one build of the
 * library, create clients in it, drive them, read their timelines and wait
 * on them with `page.waitForFunction` (no fixed sleeps). Written against
 * the driver-neutral {@link DriverPage}, so it works the same in every
 * engine.
 */

import { engineTitles, type EngineName } from '../../../scripts/browsers.js';
import { pollUntil, type DriverPage, type EngineCapabilities, type OfflineMode } from './driver.js';
import type { LifecycleEntry } from './lifecycle.js';
import type { Diagnosis } from '../../../src/index.js';
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
  readonly __probe: { readonly constructs: NativeConstruct[]; readonly timers: TimerRun[]; readonly errors: string[] };
  readonly __lifecycle: LifecycleEntry[];
}

/** The engine a page runs in, and what it can do. */
export interface PageEngine {
  readonly name: EngineName;
  readonly capabilities: EngineCapabilities;
}

/** How long a page may take to load the library. */
const loadTimeoutMs = 20_000;
/** The default bound of a wait: generous, the machine is shared. */
export const defaultWaitMs = 15_000;

/** A page that has loaded one build of the library and records its clients. */
export class TestPage {
  private constructor(
    /** The driver's page (Playwright's `evaluate` / `waitForFunction` / `goto` shapes, in every engine). */
    readonly page: DriverPage,
    /** Which build the page loaded. */
    readonly build: LibraryBuild,
    /** The engine the page runs in. */
    readonly engine: PageEngine,
    /** A plain page of the same origin: somewhere to navigate to and come back from. */
    readonly elsewhereUrl: string,
  ) {}

  /** The engine's name for titles and printed lines: `Chromium`, `Firefox` or `WebKit`. */
  get engineTitle(): string {
    return engineTitles[this.engine.name];
  }

  /** Opens `server`'s page for `build` in `page` and waits until it has loaded the library. */
  static async open(page: DriverPage, server: PageServer, build: LibraryBuild, engine: PageEngine): Promise<TestPage> {
    const opened = new TestPage(page, build, engine, server.elsewhereUrl);
    await opened.load(server.pageUrl(build));
    return opened;
  }

  /**
   * Navigates to `url`, a page that loads the library and the harness, and
   * waits until it is ready (the probe installed first, then the library).
   *
   * @throws Error with the page's errors (a script that failed to load is one) when it is not ready in time
   */
  async load(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForFunction(() => (globalThis as unknown as Partial<PageGlobals>).harness?.ready, undefined, { timeout: loadTimeoutMs }).catch(async (error: unknown) => {
      const errors = await this.pageErrors().catch(() => []);
      throw new Error(`The ${this.build} page did not load the library: ${errors.join('; ') || String(error)}`);
    });
  }

  /** Uncaught errors and unhandled rejections in the page so far, in order (recorded by the probe). */
  async pageErrors(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as Partial<PageGlobals>).__probe?.errors ?? []);
  }

  /**
   * Takes the page offline (or back online) the way the engine can:
   * `emulated` is the browser's own network emulation (new connections
   * fail); `simulated` (WebKit) overrides `navigator.onLine` and dispatches
   * `offline` / `online` in the page, so the test must cut the line itself.
   * Returns which, for the scenario to print.
   */
  async setOffline(offline: boolean): Promise<OfflineMode> {
    await this.page.setOffline(offline);
    await this.page.waitForFunction((expected) => navigator.onLine === expected, !offline, { timeout: defaultWaitMs });
    return this.engine.capabilities.offline;
  }

  /** Fires `freeze` or `resume` on the document (no engine's driver can freeze a page; see `lifecycle.ts`). */
  async dispatchLifecycleEvent(type: 'freeze' | 'resume'): Promise<void> {
    await this.page.evaluate((name) => document.dispatchEvent(new Event(name)), type);
  }

  /** The lifecycle events the page recorded so far (`pageshow`, `pagehide`, `freeze`, `resume`, `visibilitychange`). */
  async lifecycle(): Promise<LifecycleEntry[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__lifecycle);
  }

  /** Navigates away to `url` (its `load` awaited). */
  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }

  /**
   * Goes back in history to this page and waits until it is shown again:
   * `restored` from the back/forward cache (the same document, `pageshow`
   * with `persisted`), or `reloaded` (a new document that has loaded the
   * library again; its clients are new).
   */
  async goBack(): Promise<'restored' | 'reloaded'> {
    await this.page.goBack();
    // Polled from here: a navigation under way makes an evaluate fail, which only means "not yet".
    return pollUntil(
      () =>
        this.page
          .evaluate(() => {
            const globals = globalThis as unknown as Partial<PageGlobals>;
            const entries = globals.__lifecycle ?? [];
            if (entries.some((entry) => entry.type === 'pageshow' && entry.persisted === true)) return 'restored' as const;
            return globals.harness?.ready === true && !entries.some((entry) => entry.type === 'pagehide') ? ('reloaded' as const) : null;
          })
          .catch(() => null),
      loadTimeoutMs,
    );
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
        `${this.name} (${this.page.build}, ${this.page.engineTitle}): no ${JSON.stringify(match)} after entry ${after} within ${timeoutMs} ms.` +
          `\nPage errors: ${(await this.page.pageErrors().catch(() => [])).join('; ') || 'none'}\nTimeline:\n${describeTimeline(timeline)}`,
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
