/**
 * WebKit for the browser suite: WebKitGTK's MiniBrowser through its
 * WebDriver (`WebKitWebDriver`, classic WebDriver only, one session per
 * driver) with webdriverio. There is no headless mode: the browser draws on
 * a Broadway display (`broadwayd`, an in-memory display served over HTTP
 * on 127.0.0.1) started for the test file, with a private
 * `XDG_RUNTIME_DIR`. Each page is a driver and a browser of its own.
 * There is no network emulation: offline is simulated in the page.
 * Every process is stopped by the id it was started with.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { remote } from 'webdriverio';
import { engineHelp, findWebKit } from '../../../scripts/browsers.js';
import { defaultFunctionTimeoutMs, engineCapabilities, pollUntil, simulateOnLine, type BrowserDriver, type DriverPage, type PageFunction, type WaitOptions } from './driver.js';

/** How long a process may take to say it is ready, and to exit when asked. */
const startTimeoutMs = 30_000;
const stopTimeoutMs = 5_000;
const attempts = 3;

export type Session = Awaited<ReturnType<typeof remote>>;

/** A free TCP port on 127.0.0.1 (bound and released; the caller retries if it is taken meanwhile). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `command` and resolves once it is ready: its output contains the
 * text `ready`, or 127.0.0.1 accepts on the port `ready`. Rejects if it
 * exits or is not ready within {@link startTimeoutMs}.
 */
export async function startProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, ready: string | number): Promise<ChildProcess> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${path.basename(command)} did not start within ${startTimeoutMs} ms: ${output}`)), startTimeoutMs);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (typeof ready === 'string' && output.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      };
      if (typeof ready === 'number') {
        pollUntil(() => accepts(ready), startTimeoutMs, 25).then(
          () => {
            clearTimeout(timer);
            resolve();
          },
          () => undefined, // the timer reports it
        );
      }
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${path.basename(command)} exited (${code ?? signal ?? '?'}) before it was ready: ${output}`));
      });
    });
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Stops a process this module started, by its id: SIGTERM, then SIGKILL if it has not exited within {@link stopTimeoutMs}. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  }, stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Runs `start` up to {@link attempts} times (a port picked as free may be taken before it is bound). */
export async function withRetries<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/**
 * The page side of {@link WebKitPage.evaluate}: runs a function's source (or
 * a script) and resolves to its result or its error (WebDriver's Execute
 * Script awaits a returned promise).
 */
export const runInPage = async function (source: string, isFunction: boolean, arg: unknown): Promise<{ value?: unknown; error?: string }> {
  try {
    const indirectEval = eval;
    const value: unknown = await (isFunction ? (indirectEval(`(${source})`) as (arg: unknown) => unknown)(arg) : indirectEval(source));
    return { value: value === undefined ? null : value };
  } catch (error) {
    return { error: String(error instanceof Error && error.stack ? `${error.message}\n${error.stack}` : error) };
  }
};

/** A MiniBrowser window driven by its own WebKitWebDriver. */
class WebKitPage implements DriverPage {
  constructor(
    readonly session: Session,
    readonly driver: ChildProcess,
    /** Called once the page is closed. */
    readonly onClosed: () => void,
  ) {}

  async evaluate<R, A = undefined>(fn: PageFunction<A, R> | string, arg?: A): Promise<R> {
    const isFunction = typeof fn !== 'string';
    const payload: unknown = arg ?? null;
    const result = (await this.session.execute(runInPage, String(fn), isFunction, payload)) as { value?: R; error?: string };
    if (result.error !== undefined) throw new Error(`evaluate failed in WebKit: ${result.error}`);
    return result.value as R;
  }

  async waitForFunction<R, A = undefined>(fn: PageFunction<A, R>, arg?: A, options: WaitOptions = {}): Promise<{ jsonValue(): Promise<R> }> {
    const value = await pollUntil(() => this.evaluate(fn, arg), options.timeout ?? defaultFunctionTimeoutMs);
    return { jsonValue: () => Promise.resolve(value) };
  }

  async goto(url: string): Promise<void> {
    await this.session.url(url);
  }

  async goBack(): Promise<void> {
    await this.evaluate(() => {
      history.back();
    });
  }

  async setOffline(offline: boolean): Promise<void> {
    await this.evaluate(simulateOnLine, !offline);
  }

  async close(): Promise<void> {
    try {
      await this.session.deleteSession();
    } finally {
      await stopProcess(this.driver);
      this.onClosed();
    }
  }
}

/** Starts a Broadway display for one test file; each page starts its own driver and browser on it. */
export async function webkitDriver(): Promise<BrowserDriver> {
  const executables = findWebKit();
  if (executables === undefined) throw new Error(`The browser tests need WebKitGTK and it was not found. ${engineHelp.webkit}`);
  const runtimeDir = await mkdtemp(path.join(tmpdir(), 'webkit-runtime-'));
  await chmod(runtimeDir, 0o700);
  const baseEnv = { ...process.env, XDG_RUNTIME_DIR: runtimeDir };
  let display = '';
  const broadway = await withRetries(async () => {
    const port = await freePort();
    display = `:${port % 30_000 + 1_000}`;
    return startProcess(executables.broadwayd, ['-a', '127.0.0.1', '-p', String(port), display], baseEnv, 'Listening on');
  });
  const driverEnv = { ...baseEnv, GDK_BACKEND: 'broadway', BROADWAY_DISPLAY: display };
  const pages = new Set<WebKitPage>();

  return {
    engine: 'webkit',
    capabilities: engineCapabilities.webkit,
    async newPage() {
      const { driver, session } = await withRetries(async () => {
        const port = await freePort();
        const driver = await startProcess(executables.driver, [`--port=${port}`, '--host=127.0.0.1'], driverEnv, port);
        try {
          const session = await remote({
            hostname: '127.0.0.1',
            port,
            path: '/',
            logLevel: 'error',
            connectionRetryCount: 0,
            capabilities: {
              browserName: 'MiniBrowser',
              'wdio:enforceWebDriverClassic': true,
              // WebKitGTK's vendor capability, unknown to webdriverio's types.
              ...{ 'webkitgtk:browserOptions': { binary: executables.browser, args: ['--automation'] } },
            },
          });
          await session.setTimeout({ script: 120_000 });
          return { driver, session };
        } catch (error) {
          await stopProcess(driver);
          throw error;
        }
      });
      const page: WebKitPage = new WebKitPage(session, driver, () => pages.delete(page));
      pages.add(page);
      return page;
    },
    async close() {
      await Promise.allSettled([...pages].map((page) => page.close()));
      await stopProcess(broadway);
      await rm(runtimeDir, { recursive: true, force: true });
    },
  };
}
