/**
 * `ResilientWebSocket` inside Web Workers: a dedicated Worker and a
 * SharedWorker, each loading the script-tag build with `importScripts()`
 * and constructing the class on the worker's global (no `window`, no
 * `document`). The page only relays orders and the events the worker
 * posts back (see `support/worker-script.ts`). Rows: the worker kind in
 * the engine; columns: `import`, `connect`, `server crash`, `half-open`,
 * `online/offline`. An engine without `SharedWorker` asserts so and prints
 * it in every SharedWorker test; nothing is skipped.
 */

import { describe, expect, it } from 'vitest';
import { delay } from '../support/wait.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import type { TestPage } from './support/test-page.js';
import { hasSharedWorker, WorkerHost, type WorkerKind } from './support/worker-host.js';

const suite = useBrowserSuite();

const heartbeat = { intervalMs: 1_000, timeoutMs: 1_000 };
/** Generous: the heartbeat notices in about 2 s; the machine is shared. */
const halfOpenBoundMs = 10_000;
const downtimeMs = 1_000;
const offlineWindowMs = 3_000;
/** How long a socket must stay open after a `pagehide` on the worker's global. */
const pagehideWindowMs = 1_000;
/** How long the worker may take to see the browser's own `offline`, before the test dispatches it itself. */
const emulationGraceMs = 3_000;
/** "Soon after online", with headroom for a busy machine. */
const backOnlineBoundMs = 5_000;

const rows: readonly { readonly kind: WorkerKind; readonly title: string }[] = [
  { kind: 'dedicated', title: `dedicated worker in ${suite.engineTitle}` },
  { kind: 'shared', title: `SharedWorker in ${suite.engineTitle}` },
];

/**
 * A page and its worker of `kind`, or `null` where the engine has no
 * SharedWorker (asserted and printed, so the row still says something).
 */
async function startWorker(kind: WorkerKind, column: string): Promise<{ page: TestPage; host: WorkerHost } | null> {
  const page = await suite.page('umd');
  if (kind === 'shared' && !(await hasSharedWorker(page))) {
    expect(await page.page.evaluate(() => typeof SharedWorker)).toBe('undefined');
    printFigure(`worker ${column}`, `SharedWorker: typeof SharedWorker is 'undefined' in ${suite.engineTitle}: this engine has no SharedWorker, nothing to run`);
    return null;
  }
  const host = await WorkerHost.start(page, kind);
  suite.defer(async () => {
    const errors = await host.errors().catch(() => []);
    if (errors.length > 0) throw new Error(`error(s) in the ${kind} worker (${suite.engineTitle}): ${errors.map((error) => String(error.message)).join('; ')}`);
  });
  return { page, host };
}

for (const { kind, title } of rows) {
  describe(title, () => {
    it('import: should load with no window and no document and construct the class without an error', async () => {
      const started = await startWorker(kind, 'import');
      if (started === null) return;
      const { host } = started;
      const { event: ready } = await host.waitFor({ type: 'ready' });
      expect(ready).toMatchObject({ window: 'undefined', document: 'undefined', classType: 'function', importError: null, shared: kind === 'shared' });
      const server = await suite.server();
      const after = await host.mark();
      await host.order({ cmd: 'create', url: server.url, options: {} });
      await host.waitFor({ type: 'created' }, { after });
      const open = await host.waitFor({ type: 'open' }, { after });
      // Only a page has a back/forward cache: a persisted pagehide on the worker's global pauses nothing.
      await host.order({ cmd: 'pagehide' });
      await host.waitFor({ type: 'dispatched', event: 'pagehide' }, { after: open.index });
      await delay(pagehideWindowMs); // proving an absence: no pause, no close
      expect((await host.events()).slice(open.index + 1).filter((event) => event.type === 'close' || event.type === 'statechange')).toEqual([]);
      expect((await host.status()).state).toBe('open');
      expect(await host.errors()).toEqual([]);
      printFigure(
        `worker import (${kind})`,
        `typeof window ${String(ready.window)}, typeof document ${String(ready.document)}; importScripts of the UMD build threw nothing; constructed and opened; a persisted pagehide on the worker's global left it open`,
      );
    }, 60_000);

    it('connect: should open and carry an echo round trip', async () => {
      const started = await startWorker(kind, 'connect');
      if (started === null) return;
      const { host } = started;
      const server = await suite.server();
      await host.order({ cmd: 'create', url: server.url, options: {} });
      const open = await host.waitFor({ type: 'open' });
      await host.order({ cmd: 'send', data: 'from the worker' });
      await host.waitFor({ type: 'sent', ok: true }, { after: open.index });
      await host.waitFor({ type: 'message', data: 'from the worker' }, { after: open.index });
      expect(server.connectionCount).toBe(1);
      expect(server.connections[0]!.messages).toEqual(['from the worker']);
      expect((await host.status()).constructs).toBe(1);
    }, 60_000);

    it('server crash: should report 1006 unclean, retry, and open again when the server is back on its port', async () => {
      const started = await startWorker(kind, 'server crash');
      if (started === null) return;
      const { host } = started;
      const server = await suite.server();
      await host.order({ cmd: 'create', url: server.url, options: {} });
      const open = await host.waitFor({ type: 'open' });

      const crashedAt = Date.now();
      await server.stop(); // every socket destroyed without a close frame, and the port closed
      const close = await host.waitFor({ type: 'close' }, { after: open.index });
      expect(close.event).toMatchObject({ code: 1006, wasClean: false, phase: 'open', initiator: 'network', decision: 'reconnect' });
      await host.waitFor({ type: 'reconnecting' }, { after: close.index });

      await delay(crashedAt + downtimeMs - Date.now()); // the scenario: down for 1 s
      await server.restart();
      const restartedAt = Date.now();
      const reopen = await host.waitFor({ type: 'open' }, { after: close.index, timeoutMs: 30_000 });
      await host.order({ cmd: 'send', data: 'after' });
      await host.waitFor({ type: 'message', data: 'after' }, { after: reopen.index });
      expect(server.connectionCount).toBe(2);
      expect(server.connections[1]!.messages).toEqual(['after']);
      printFigure(
        `worker server crash (${kind})`,
        `close ${String(close.event.code)} wasClean ${String(close.event.wasClean)} class ${String(close.event.class)} ${ms(close.event.at - crashedAt)} after the crash; open ${ms(reopen.event.at - restartedAt)} after the restart`,
      );
    }, 60_000);

    it('half-open: should time the heartbeat out on a black-holed line and reconnect', async () => {
      const started = await startWorker(kind, 'half-open');
      if (started === null) return;
      const { host } = started;
      const server = await suite.server();
      const proxy = await suite.proxy(server.port);
      await host.order({ cmd: 'create', url: `ws://127.0.0.1:${proxy.port}/`, options: { heartbeat } });
      const open = await host.waitFor({ type: 'open' });
      await server.connection(1);

      const darkAt = Date.now();
      proxy.blackhole(); // the live connection forwards nothing; new ones work
      const close = await host.waitFor({ type: 'close' }, { after: open.index, timeoutMs: halfOpenBoundMs + 10_000 });
      expect(close.event).toMatchObject({ code: 1006, wasClean: false, initiator: 'library', libraryCause: 'heartbeat-timeout', decision: 'reconnect' });
      expect(close.event.at - darkAt).toBeLessThanOrEqual(halfOpenBoundMs);
      const reopen = await host.waitFor({ type: 'open' }, { after: close.index, timeoutMs: 30_000 });
      await host.order({ cmd: 'send', data: 'on the new line' });
      await host.waitFor({ type: 'message', data: 'on the new line' }, { after: reopen.index });
      expect(server.connectionCount).toBe(2);
      printFigure(`worker half-open (${kind})`, `heartbeat-timeout ${ms(close.event.at - darkAt)} after the black hole (bound ${ms(halfOpenBoundMs)}); open again ${ms(reopen.event.at - darkAt)} after it`);
    }, 60_000);

    it('online/offline: should make no attempt while offline and reconnect soon after going online', async () => {
      const started = await startWorker(kind, 'online/offline');
      if (started === null) return;
      const { page, host } = started;
      const server = await suite.server();
      const proxy = await suite.proxy(server.port);
      await host.order({ cmd: 'create', url: `ws://127.0.0.1:${proxy.port}/`, options: {} });
      const open = await host.waitFor({ type: 'open' });

      // Emulated where the browser's offline mode reaches the worker's global; dispatched in the worker where it does not.
      let mode: 'emulated' | 'dispatched' = 'dispatched';
      let workerOnLineUnderEmulation: boolean | null = null;
      let offline = await host.mark();
      const emulating = suite.capabilities.offline === 'emulated';
      if (emulating) {
        await page.setOffline(true); // the page's network goes offline, and in Chromium the worker's connections with it
        suite.defer(() => page.setOffline(false).catch(() => undefined));
        const seen = await host.waitFor({ type: 'offline', onLine: false }, { after: offline, timeoutMs: emulationGraceMs }).catch(() => null);
        if (seen !== null) mode = 'emulated';
        workerOnLineUnderEmulation = (await host.status()).onLine;
      }
      if (mode === 'dispatched') {
        offline = await host.mark();
        await host.order({ cmd: 'simulate', online: false });
        await host.waitFor({ type: 'offline', onLine: false }, { after: offline });
      }
      proxy.refuse(true); // whatever the emulation covers, no new connection gets through while offline
      proxy.dropAll(); // the live connection goes with the network
      const close = await host.waitFor({ type: 'close' }, { after: open.index });
      expect(close.event).toMatchObject({ code: 1006, wasClean: false, online: false });

      const before = await host.status();
      const mark = await host.mark();
      await delay(offlineWindowMs); // proving an absence: no attempt while offline
      const during = (await host.events()).slice(mark);
      expect(during.filter((event) => event.type === 'construct' || event.type === 'reconnecting' || event.type === 'open')).toEqual([]);
      const paused = await host.status();
      expect(paused.constructs).toBe(before.constructs);
      expect(paused.state).toBe('waiting');
      const acceptedOffline = proxy.stats().accepted;

      const onlineAt = Date.now();
      proxy.refuse(false);
      if (emulating) await page.setOffline(false);
      if (mode === 'dispatched') await host.order({ cmd: 'simulate', online: true });
      const reopen = await host.waitFor({ type: 'open' }, { after: close.index, timeoutMs: backOnlineBoundMs + 15_000 }).catch((error: unknown) => {
        throw new Error(`${String(error)}\nproxy after going online (${mode}): ${JSON.stringify(proxy.stats())}`, { cause: error });
      });
      const backMs = reopen.event.at - onlineAt;
      expect(backMs).toBeLessThanOrEqual(backOnlineBoundMs);
      expect((await host.status()).constructs).toBe(before.constructs + 1);
      expect(proxy.stats().accepted).toBe(acceptedOffline + 1);
      printFigure(
        `worker online/offline (${kind})`,
        `${mode === 'emulated' ? "offline by the browser's network emulation, seen on the worker's global" : `offline/online DISPATCHED on the worker's global by the test (navigator.onLine overridden there): ${emulating ? `the browser's offline emulation fired no offline there within ${ms(emulationGraceMs)} (navigator.onLine in the worker under it: ${String(workerOnLineUnderEmulation)})` : 'this engine has no offline emulation'}`}; ` +
          `no attempt during ${ms(offlineWindowMs)} offline; open ${ms(backMs)} after going online`,
      );
    }, 60_000);
  });
}
