/**
 * The drop-in promise, in each engine: with `window.WebSocket` replaced by
 * the library's class, close() validation and its DOMExceptions, the order
 * of events, binaryType and URL parsing are exactly what the engine's own
 * WebSocket does (see `support/drop-in-checks.ts`), and what the standard
 * says where it is definite. `test/conformance/` runs the full set in Node.
 */

import { describe, expect, it } from 'vitest';
import { dropInChecksScript, type DropInConfig, type DropInObservations } from './support/drop-in-checks.js';
import { printFigure, useBrowserSuite } from './support/suite.js';
import type { TestPage } from './support/test-page.js';

const suite = useBrowserSuite();

/** Runs the checks in `page` with the native class, then with ours as the global. */
async function observe(page: TestPage, config: Omit<DropInConfig, 'ours'>): Promise<{ native: DropInObservations; ours: DropInObservations }> {
  await page.page.evaluate(dropInChecksScript);
  const run = (ours: boolean): Promise<DropInObservations> =>
    page.page.evaluate((c) => (globalThis as unknown as { __dropInChecks(c: DropInConfig): Promise<DropInObservations> }).__dropInChecks(c), { ...config, ours });
  return { native: await run(false), ours: await run(true) };
}

describe(`the drop-in WebSocket, in ${suite.engineTitle}`, () => {
  it('should validate close(), order events, handle binaryType and parse URLs as the native WebSocket does', async () => {
    const server = await suite.server();
    const refused = await suite.server();
    await refused.stop(); // its port now refuses connections
    const page = await suite.page('umd');
    const { native, ours } = await observe(page, { echoUrl: server.url, refusedUrl: refused.url });

    for (const [name, observed] of Object.entries(native)) {
      expect(observed, `native ${name} ran`).not.toHaveProperty('failed');
      expect(ours[name], `the library's ${name}`).toEqual(observed);
    }

    // What the standard makes definite, whatever the engine.
    const close = native.closeValidation as { connecting: [string, string, number][]; reasons: [number, string, number][]; accepted: string; echoedReason: boolean };
    for (const [code, error, readyState] of close.connecting) {
      expect([code, error, readyState]).toEqual([code, 'DOMException InvalidAccessError', 0]);
    }
    for (const [length, error] of close.reasons) expect([length, error]).toEqual([length, 'DOMException SyntaxError']);
    expect(close.accepted).toBe('no throw');
    expect(close.echoedReason).toBe(true);
    const order = native.eventOrder as { seen: [string, number, boolean, unknown][] };
    expect(order.seen.map(([type, readyState, inClose]) => [type, readyState, inClose])).toEqual([
      ['open', 1, false],
      ['message', 1, false],
      ['close', 3, false],
    ]);
    expect(order.seen[2]![3]).toEqual([3000, 'bye', true]);
    const refusedSeen = (native.refusedHandshake as { seen: [string, number, unknown, string][] }).seen;
    expect(refusedSeen.map(([type]) => type)).toEqual(['error', 'close']);
    expect(refusedSeen[1]![2]).toEqual([1006, false]);
    const binary = native.binaryType as { initial: string; kinds: [string, string, number[]][]; afterInvalid: string };
    expect(binary).toEqual({
      initial: 'blob',
      kinds: [
        ['arraybuffer', '[object ArrayBuffer]', [1, 2, 3]],
        ['blob', '[object Blob]', [1, 2, 3]],
      ],
      afterInvalid: 'arraybuffer',
    });
    const urls = Object.fromEntries(native.urlParsing as [string, string][]);
    expect(urls[`ws://127.0.0.1:${server.port}/#frag`]).toBe('DOMException SyntaxError');
    expect(urls[`ftp://127.0.0.1:${server.port}/`]).toBe('DOMException SyntaxError');
    expect(urls['ws://127.0.0.1:80/default-port']).toBe('url ws://127.0.0.1/default-port');
    expect(urls[`http://127.0.0.1:${server.port}/x`]).toBe('url ws://127.0.0.1:<port>/x');

    printFigure(
      'drop-in',
      `${Object.keys(native).length} check groups identical with window.WebSocket = ResilientWebSocket; ` +
        `failed handshake: ${refusedSeen.map(([type, , detail, eventClass]) => `${type}${detail ? ` ${JSON.stringify(detail)}` : ''} (${eventClass})`).join(' then ')}; ` +
        `URLs: ${Object.entries(urls).map(([input, result]) => `${input.replace(String(server.port), '<port>')} → ${result}`).join(', ')}`,
    );
  }, 90_000);

  it('should open any URL in a page of its own, for apps that bring their own page', async () => {
    const page = await suite.page('umd');
    const other = await suite.openPage(page.elsewhereUrl);
    expect(await other.evaluate(() => document.title)).toBe('elsewhere');
    const heading = await other.waitForFunction(() => document.body.textContent, undefined, { timeout: 10_000 });
    expect(await heading.jsonValue()).toBe('elsewhere');
    expect(await page.page.evaluate(() => document.title)).toBe('umd'); // the other page did not navigate this one
  }, 60_000);
});
