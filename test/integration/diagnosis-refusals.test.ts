/**
 * The diagnosis of connections the server or the path refuses, from real
 * faults: a handshake that hangs at the proxy, an upgrade answered with
 * HTTP 401, an endpoint that closes with a code each time, connections
 * that flap, a URL provider that fails. And the redaction of the URL's
 * secrets in every report, log line and diagnosis.
 */

import { describe, expect, it } from 'vitest';
import { diagnose, type ResilientCloseEvent } from '../../src/index.js';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { diagnosedAs, recordingLogger, startRejectingServer } from '../support/diagnosis.js';
import { fastReconnect, useHarness, warpedClock } from '../support/harness.js';
import { nextEvent, recordEvents, waitUntil } from '../support/wait.js';

const h = useHarness();

describe('handshakes that never succeed', () => {
  it('should tell a handshake that hangs (connect timeouts) from one that is rejected', async () => {
    const server = await h.server();
    const proxy = await FaultProxy.start({ targetPort: server.port });
    h.defer(() => proxy.close());
    proxy.hang(true);
    const client = h.client(`ws://127.0.0.1:${proxy.port}/`, { reconnect: fastReconnect, connectTimeoutMs: 300, diagnose });
    const diagnosis = await diagnosedAs(client, 'handshake-timeout', 'high');
    expect(diagnosis.findings[0]?.evidence).toBe('3 attempts in a row failed before open and none ever opened: 0 failed at once, 3 hit the connect timeout');
    expect(server.connectionCount).toBe(0);
  });

  it('should diagnose a server that answers every upgrade with HTTP 401, and keep the token and password out of every report, line and diagnosis', async () => {
    const rejecting = await startRejectingServer(401);
    h.defer(() => rejecting.close());
    const secrets = ['hunter2', 's3cr3t-token', 'alice'];
    const url = `ws://alice:hunter2@127.0.0.1:${rejecting.port}/live?token=s3cr3t-token&room=7`;
    let calls = 0;
    // The first attempt's provider returns an unparsable URL: its error message quotes it.
    const provider = (): string => (++calls === 1 ? `ws://alice:hunter2@[::1/live?token=s3cr3t-token` : url);
    const logger = recordingLogger();
    const client = h.client(provider, { reconnect: fastReconnect, diagnose, logger });
    const closes = recordEvents(client, ['close']);

    const diagnosis = await diagnosedAs(client, 'handshake-rejected', 'high');
    expect(rejecting.upgrades.length).toBeGreaterThanOrEqual(3);
    expect(rejecting.upgrades[0]).toBe('/live?token=s3cr3t-token&room=7'); // the server did get the secret: only our outputs hide it
    expect(diagnosis.findings[0]?.fix).toContain('HTTP 401/403');
    expect(diagnosis.findings.map((f) => f.cause)).toContain('url-provider-failed');

    const reports = closes.of<ResilientCloseEvent>('close').map((event) => event.report);
    expect(reports[0]?.reason).toMatch(/^url or protocols provider failed: .*\[invalid URL\]/);
    expect(reports.at(-1)?.url).toBe(`ws://***:***@127.0.0.1:${rejecting.port}/live?token=***&room=***`);
    expect(logger.lines.length).toBe(reports.length);
    expect(logger.lines.at(-1)?.line).toContain(`url=ws://***:***@127.0.0.1:${rejecting.port}/live?token=***&room=***`);
    const everything = JSON.stringify({ reports, lines: logger.lines.map((l) => l.line), entries: logger.lines.map((l) => l.entry), diagnosis: client.diagnosis, history: client.history });
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});

describe('close codes from the server', () => {
  it('should diagnose an endpoint that closes 1008 each time as authentication, and log the last close as an error', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 1008, reason: 'token expired' } });
    const logger = recordingLogger();
    // Without the policy's 5 s floor for 1008, so the test is quick; the retry limit (2) stays.
    const client = h.client(server.url, { reconnect: fastReconnect, diagnose, logger, policy: { classes: { 'policy-violation': { action: 'reconnect', maxRetries: 2 } } } });
    await nextEvent(client, 'giveup');
    const diagnosis = await diagnosedAs(client, 'auth', 'high');
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['auth']);
    expect(diagnosis.findings[0]?.evidence).toBe('3 of the last 3 closes came from the server with code 1008');
    expect(logger.lines.map((l) => l.level)).toEqual(['warn', 'warn', 'error']);
    expect(logger.lines[2]?.line).toMatch(/^resilient-websocket close code=1008 reason="token expired" clean=true class=policy-violation initiator=server phase=open open=0\.\ds silent=0\.\ds decision=stop delay=- url=/);
  });

  it.each([
    [1009, 'message-too-big', 'medium', 1],
    [1011, 'server-error', 'high', 2],
    [1012, 'deploy', 'high', 2],
    [1013, 'overload', 'high', 2],
  ] as const)('should diagnose close code %i as %s', async (code, cause, confidence, closesNeeded) => {
    const server = await h.server({ behaviour: { kind: 'close', code } });
    // The policy's floors (2 s for 1011, 1 s for 1012, 5 s for 1013) pass 50 times faster.
    const client = h.client(server.url, { clock: warpedClock(50), connectTimeoutMs: 100_000, diagnose });
    const closes = recordEvents(client, ['close']);
    const diagnosis = await diagnosedAs(client, cause, confidence);
    expect(closes.length).toBeGreaterThanOrEqual(closesNeeded);
    expect(diagnosis.findings[0]?.evidence).toContain(`code ${code}`);
  });

  it('should call connections that the server closes within a second, again and again, flapping', async () => {
    const server = await h.server({ behaviour: { kind: 'close', code: 1000 } });
    const client = h.client(server.url, { reconnect: fastReconnect, diagnose });
    const diagnosis = await diagnosedAs(client, 'flapping', 'high');
    expect(diagnosis.findings[0]?.evidence).toMatch(/^3 of the last 3 closes ended within 1\.0 s of opening \(codes 1000\)/);
    expect(server.connectionCount).toBeGreaterThanOrEqual(3);
  });
});

describe('a URL provider that fails', () => {
  it('should be diagnosed as the provider, not the server', async () => {
    const client = h.client(
      () => {
        throw new Error('token service unavailable');
      },
      { reconnect: fastReconnect, diagnose },
    );
    const diagnosis = await diagnosedAs(client, 'url-provider-failed', 'high');
    expect(diagnosis.findings).toHaveLength(1);
    await waitUntil(() => client.history.length >= 2, 'two failed attempts');
  });
});
