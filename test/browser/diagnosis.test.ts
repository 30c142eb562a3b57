/**
 * The diagnosis in a page: a proxy that cuts idle connections after 2 s,
 * no heartbeat, and the engine's own WebSocket. After the third drop the
 * page's `ws.diagnosis` names an idle timeout at the proxy's value and
 * suggests the heartbeat, as the `diagnosis` events said along the way.
 */

import { describe, expect, it } from 'vitest';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

const idleTimeoutMs = 2_000;

describe(`the diagnosis, seen from ${suite.engineTitle}`, () => {
  it('should name an idle timeout at the proxy value after repeated drops, and suggest the heartbeat', async () => {
    const server = await suite.server();
    const proxy = await suite.proxy(server.port);
    proxy.idleTimeout(idleTimeoutMs);
    const page = await suite.page();
    const client = await page.client('idle', `ws://127.0.0.1:${proxy.port}/`, {}, { diagnose: true });

    const found = await client.waitFor({ type: 'diagnosis', cause: 'idle-timeout', confidence: 'high' }, { timeoutMs: 30_000 });
    expect(proxy.stats().dropped).toBe(3);
    const timeline = await client.timeline();
    const closes = entriesOf(timeline, 'close');
    expect(closes).toHaveLength(3);
    for (const close of closes) expect(close).toMatchObject({ code: 1006, wasClean: false, phase: 'open', initiator: 'network' });
    // The evidence firmed up one drop at a time.
    expect(entriesOf(timeline, 'diagnosis').map((entry) => `${entry.cause}:${entry.confidence}`)).toEqual(['unexplained-drop:low', 'idle-timeout:medium', 'idle-timeout:high']);

    const diagnosis = await client.diagnosis();
    expect(diagnosis).toMatchObject({ cause: 'idle-timeout', confidence: 'high' });
    const [finding] = diagnosis?.findings ?? [];
    // The proxy's timer and the engine's close event run late on a busy machine: the measured silence
    // is the proxy's value or up to half of it more, never much less.
    expect(finding?.timeoutMs).toBeGreaterThan(idleTimeoutMs * 0.9);
    expect(finding?.timeoutMs).toBeLessThan(idleTimeoutMs * 1.5);
    expect(finding?.evidence).toMatch(/^3 of the last 3 drops came [\d.-]+ s after the last inbound message, heartbeat off$/);
    expect(finding?.fix).toMatch(/^Enable the heartbeat with intervalMs below \d+ ms: `heartbeat: \{ intervalMs: \d+ \}`/);
    expect(found.entry.fix).toBe(finding?.fix);
    printFigure('diagnosis', `${finding?.cause} at ${ms(finding?.timeoutMs ?? 0)} (proxy: ${ms(idleTimeoutMs)}) after 3 drops: ${finding?.fix}`);
  }, 60_000);
});
