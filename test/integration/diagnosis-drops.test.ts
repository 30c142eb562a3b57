/**
 * The diagnosis of open connections that die, from real faults: a `ws`
 * server behind the fault proxy (an idle timeout, a black hole, a cut
 * line) or a server that crashes and comes back. Timeouts are short, set
 * through options, so the whole file runs in a few tens of seconds.
 */

import { describe, expect, it } from 'vitest';
import { diagnose, type ResilientCloseEvent } from '../../src/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { diagnosedAs, recordingLogger, switchedEnvironment } from '../support/diagnosis.js';
import { fastReconnect, useHarness } from '../support/harness.js';
import { delay, nextEvent, recordEvents, waitUntil } from '../support/wait.js';

const h = useHarness();

/** A `ws` echo server (it answers `ping` with `pong`) behind a fault proxy. */
async function proxied(): Promise<{ proxy: FaultProxy; url: string; server: Awaited<ReturnType<typeof h.server>> }> {
  const server = await h.server();
  const proxy = await FaultProxy.start({ targetPort: server.port });
  h.defer(() => proxy.close());
  return { proxy, server, url: `ws://127.0.0.1:${proxy.port}/` };
}

describe('an idle timeout at the proxy', () => {
  const idleMs = 2_000;
  /** A duration printed in seconds that is the idle timeout, or up to half of it late. */
  const nearIdle = (printed: string): boolean => Number(printed) * 1_000 >= idleMs * 0.9 && Number(printed) * 1_000 < idleMs * 1.5;

  it('should be named at its measured value after three drops, with the heartbeat as the fix; with that heartbeat, no more drops', async () => {
    const { proxy, url } = await proxied();
    proxy.idleTimeout(idleMs);
    const logger = recordingLogger();
    const client = h.client(url, { reconnect: fastReconnect, diagnose, logger });
    const events = recordEvents(client, ['close', 'diagnosis']);

    const diagnosis = await diagnosedAs(client, 'idle-timeout', 'high', 20_000);
    const [finding] = diagnosis.findings;
    expect(proxy.stats().dropped).toBe(3);
    // The proxy's timer and the close event run late on a busy machine: the
    // measured silence is the idle timeout or a little more, never less.
    const measured = finding?.timeoutMs ?? 0;
    expect(measured).toBeGreaterThan(idleMs * 0.9);
    expect(measured).toBeLessThan(idleMs * 1.5);
    const evidence = /^3 of the last 3 drops came (\d\.\d)(?:-(\d\.\d))? s after the last inbound message, heartbeat off$/.exec(finding?.evidence ?? '');
    expect(evidence, finding?.evidence).not.toBeNull();
    for (const s of evidence?.slice(1).filter(Boolean) ?? []) expect(nearIdle(s), s).toBe(true);
    expect(finding?.summary).toContain('which matches no common default');
    const fix = /Enable the heartbeat with intervalMs below (\d+) ms: `heartbeat: \{ intervalMs: (\d+) \}`/.exec(finding?.fix ?? '');
    expect(fix, finding?.fix).not.toBeNull();
    expect(Number(fix?.[1])).toBe(Math.floor(measured / 100) * 100);
    expect(Number(fix?.[2])).toBeLessThanOrEqual(Number(fix?.[1]) / 2);
    // The evidence grew with each drop: thin, then firmer, then firm; one event per change.
    expect(events.of<Event & { diagnosis: { signature: string } }>('diagnosis').map((e) => e.diagnosis.signature)).toEqual([
      'unexplained-drop:low',
      'idle-timeout:medium',
      'idle-timeout:high',
    ]);
    // One line per close, the diagnosis on the lines where it changed.
    const closes = events.of<ResilientCloseEvent>('close');
    expect(logger.lines).toHaveLength(closes.length);
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'warn', 'warn']);
    for (const { line, entry } of logger.lines) {
      const fields = /^resilient-websocket close code=1006 reason="" clean=false class=abnormal initiator=network phase=open open=(\d\.\d)s silent=(\d\.\d)s decision=reconnect delay=\d\.\ds url=ws:\/\/127\.0\.0\.1:\d+\/ diagnosis="/.exec(line);
      expect(fields, line).not.toBeNull();
      expect(nearIdle(fields?.[1] ?? ''), line).toBe(true);
      expect(nearIdle(fields?.[2] ?? ''), line).toBe(true);
      expect(entry.report?.code).toBe(1006);
    }
    expect(logger.lines[2]?.line).toContain('diagnosis="idle-timeout (high confidence): An intermediary');
    client.dispose();

    // The fix, applied: a heartbeat at the suggested interval keeps the line busy.
    const intervalMs = Number(/intervalMs: (\d+)/.exec(finding?.fix ?? '')?.[1]);
    const healed = h.client(url, { reconnect: fastReconnect, diagnose, heartbeat: { intervalMs, timeoutMs: 1_000 } });
    const healedCloses = recordEvents(healed, ['close']);
    await nextEvent(healed, 'open');
    await delay(idleMs * 3); // an absence of drops: there is no event to await
    expect(healedCloses).toHaveLength(0);
    expect(proxy.stats().dropped).toBe(3);
    expect(healed.diagnosis).toMatchObject({ findings: [], cause: null, summary: 'no close to diagnose' });
  }, 40_000);

  it('should blame a heartbeat slower than the timeout, and ask for a shorter interval', async () => {
    const { proxy, url } = await proxied();
    proxy.idleTimeout(1_000);
    const client = h.client(url, { reconnect: fastReconnect, diagnose, heartbeat: { intervalMs: 2_000, timeoutMs: 1_000 } });
    const diagnosis = await diagnosedAs(client, 'idle-timeout-despite-heartbeat', 'high', 20_000);
    expect(diagnosis.findings[0]?.evidence).toContain('heartbeat every 2.0 s');
    const below = /^Lower the heartbeat interval from 2000 ms to below (\d+) ms/.exec(diagnosis.findings[0]?.fix ?? '');
    expect(below, diagnosis.findings[0]?.fix).not.toBeNull();
    expect(Number(below?.[1])).toBeGreaterThanOrEqual(900);
    expect(Number(below?.[1])).toBeLessThan(1_500);
  }, 30_000);
});

describe('a half-open connection', () => {
  it('should be diagnosed from the heartbeat timeout after the proxy black-holes the line', async () => {
    const { proxy, server, url } = await proxied();
    const client = h.client(url, { reconnect: fastReconnect, diagnose, heartbeat: { intervalMs: 300, timeoutMs: 300 } });
    await nextEvent(client, 'open');
    const first = await server.connection(1);
    await waitUntil(() => first.messages.includes('ping'), 'a ping reached the server');
    await delay(100); // its pong comes back on the same line
    proxy.blackhole();
    const diagnosis = await diagnosedAs(client, 'half-open', 'medium');
    expect(client.lastClose).toMatchObject({ libraryCause: 'heartbeat-timeout', code: 1006 });
    expect(diagnosis.findings[0]?.evidence).toContain('(one timeout so far)');
    await nextEvent(client, 'open');
  });

  it('should say the server never answers the heartbeat when no pong ever comes', async () => {
    const server = await h.server({ behaviour: { kind: 'manual' } });
    const client = h.client(server.url, { reconnect: fastReconnect, diagnose, heartbeat: { intervalMs: 200, timeoutMs: 200 } });
    const diagnosis = await diagnosedAs(client, 'heartbeat-unanswered', 'high');
    expect(diagnosis.findings[0]?.fix).toContain("'pong'");
  });
});

describe('a server that crashes and restarts', () => {
  it('should be diagnosed from the drop, the refused handshakes and the success that follows', async () => {
    const server = await h.server();
    const client = h.client(server.url, { reconnect: fastReconnect, diagnose });
    await nextEvent(client, 'open');
    const closes = recordEvents(client, ['close']);
    await server.stop(); // a crash: no close frame, and the port refuses connections
    await waitUntil(() => closes.of<ResilientCloseEvent>('close').filter((e) => e.report.phase === 'handshake').length >= 2, 'two handshakes failed');
    expect(client.diagnosis).toMatchObject({ cause: 'server-restart', confidence: 'medium' });
    expect(client.diagnosis?.findings[0]?.evidence).toContain('not connected again yet');

    await server.restart();
    const diagnosis = await diagnosedAs(client, 'server-restart', 'high');
    expect(client.readyState).toBe(client.OPEN);
    expect(diagnosis.findings[0]?.evidence).toMatch(/^1 drop without a close frame, each followed by failed handshakes \(\d+ failed at once, 0 timed out\) for [\d.]+ s; then the connection opened again$/);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['server-restart']);
  });
});

describe('the network going away', () => {
  it('should blame the network when the line is cut as the device goes offline, and recover when it is back', async () => {
    const { proxy, url } = await proxied();
    const environment = switchedEnvironment();
    const client = h.client(url, { reconnect: fastReconnect, diagnose, environment });
    await nextEvent(client, 'open');
    environment.setOnline(false);
    proxy.dropAll();
    const diagnosis = await diagnosedAs(client, 'network-loss', 'medium');
    expect(diagnosis.findings[0]?.evidence).toContain('while offline');
    expect(client.state).toBe('waiting'); // paused while offline: no attempt is spent
    environment.setOnline(true);
    await nextEvent(client, 'open');
  });
});
