/**
 * A minimal Chrome DevTools Protocol client over `--remote-debugging-pipe`:
 * Chromium is started by us, so nothing but this client talks to it, and no
 * domain is enabled on a page unless we enable it (Playwright's pages have
 * `Network` on, which makes every WebSocket frame several times slower).
 *
 * @module
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { chromiumFlags } from '../../scripts/chromium.js';

/** Flags Chromium is started with, besides the pipe and the profile directory. */
export const benchChromiumFlags: readonly string[] = [
  ...chromiumFlags,
  // As Playwright does: a page we drive must not be deprioritised as a background one.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

interface Pending {
  readonly method: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

type EventHandler = (params: unknown, sessionId: string | undefined) => void;

/** One CDP connection to a browser we launched. */
export class Browser {
  readonly #process: ChildProcess;
  readonly #out: Writable;
  readonly #profileDir: string;
  readonly #pending = new Map<number, Pending>();
  readonly #handlers = new Map<string, Set<EventHandler>>();
  #nextId = 1;
  #buffer = '';
  #exited = false;

  private constructor(process: ChildProcess, profileDir: string) {
    this.#process = process;
    this.#profileDir = profileDir;
    const [, , , out, input] = process.stdio as [unknown, unknown, unknown, Writable, Readable];
    this.#out = out;
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      this.#receive(chunk);
    });
    process.once('exit', () => {
      this.#exited = true;
      for (const [id, pending] of this.#pending) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`Chromium exited during ${pending.method}`));
        this.#pending.delete(id);
      }
    });
  }

  /**
   * Starts Chromium headless with a fresh profile and a CDP pipe.
   *
   * @param executable - the Chromium binary or launcher script
   */
  static async launch(executable: string): Promise<Browser> {
    const profileDir = await mkdtemp(join(tmpdir(), 'rws-bench-chromium-'));
    const child = spawn(executable, [...benchChromiumFlags, '--remote-debugging-pipe', `--user-data-dir=${profileDir}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    });
    const browser = new Browser(child, profileDir);
    await browser.send('Browser.getVersion', {}, undefined, 30_000);
    return browser;
  }

  /**
   * Sends a CDP command and resolves with its result.
   *
   * @param sessionId - a page session from {@link Browser.attach}; omitted for the browser itself
   * @param timeoutMs - reject if no answer comes in time
   */
  send<T = unknown>(method: string, params: object = {}, sessionId?: string, timeoutMs = 60_000): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`Chromium has exited; cannot send ${method}`));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`CDP ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.#out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Calls `handler` for every `method` event (of any session); returns the unsubscribe. */
  on(method: string, handler: EventHandler): () => void {
    let set = this.#handlers.get(method);
    if (!set) this.#handlers.set(method, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Opens a new page target at `url` and attaches a flat session to it. */
  async openPage(url: string): Promise<Page> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, targetId, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.navigate(url);
    return page;
  }

  /** Closes the browser and deletes its profile. */
  async close(): Promise<void> {
    if (!this.#exited) {
      const exited = new Promise<void>((resolve) => this.#process.once('exit', () => resolve()));
      this.send('Browser.close', {}, undefined, 5_000).catch(() => undefined);
      const killer = setTimeout(() => this.#process.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(this.#profileDir, { recursive: true, force: true });
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    for (let end = this.#buffer.indexOf('\0'); end !== -1; end = this.#buffer.indexOf('\0')) {
      const text = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 1);
      this.#handle(JSON.parse(text) as Message);
    }
  }

  #handle(message: Message): void {
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error) pending.reject(new Error(`CDP ${pending.method}: ${message.error.message}`));
      else pending.resolve(message.result);
      return;
    }
    if (message.method === undefined) return;
    for (const handler of this.#handlers.get(message.method) ?? []) handler(message.params, message.sessionId);
  }
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
  readonly sessionId?: string;
}

/** What `Runtime.evaluate` answers. */
interface EvaluateResult {
  readonly result: { readonly value?: unknown };
  readonly exceptionDetails?: { readonly text: string; readonly exception?: { readonly description?: string } };
}

/** A page target with its own flat CDP session. */
export class Page {
  readonly #browser: Browser;
  readonly #targetId: string;
  readonly #sessionId: string;

  /** @internal use {@link Browser.openPage} */
  constructor(browser: Browser, targetId: string, sessionId: string) {
    this.#browser = browser;
    this.#targetId = targetId;
    this.#sessionId = sessionId;
  }

  /** Sends a command on this page's session. */
  send<T = unknown>(method: string, params: object = {}, timeoutMs?: number): Promise<T> {
    return this.#browser.send<T>(method, params, this.#sessionId, timeoutMs);
  }

  /** Navigates and resolves once the `load` event has fired. */
  async navigate(url: string, timeoutMs = 30_000): Promise<void> {
    let unsubscribe = (): void => undefined;
    const loaded = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`${url} did not load within ${timeoutMs} ms`));
      }, timeoutMs);
      unsubscribe = this.#browser.on('Page.loadEventFired', (_params, sessionId) => {
        if (sessionId !== this.#sessionId) return;
        clearTimeout(timer);
        unsubscribe();
        resolve();
      });
    });
    await this.send('Page.navigate', { url });
    await loaded;
  }

  /**
   * Evaluates `expression` in the page, awaits it if it is a promise, and
   * returns its value (JSON-serialisable values only).
   *
   * @throws the page's exception, with its description
   */
  async evaluate<T>(expression: string, timeoutMs = 120_000): Promise<T> {
    const answer = await this.send<EvaluateResult>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, timeoutMs);
    if (answer.exceptionDetails) {
      throw new Error(`In the page: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
    }
    return answer.result.value as T;
  }

  /** Subscribes to this page's `method` events; returns the unsubscribe. */
  on(method: string, handler: (params: unknown) => void): () => void {
    return this.#browser.on(method, (params, sessionId) => {
      if (sessionId === this.#sessionId) handler(params);
    });
  }

  /** Closes the target. */
  async close(): Promise<void> {
    await this.#browser.send('Target.closeTarget', { targetId: this.#targetId });
  }
}
