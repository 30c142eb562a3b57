/**
 * The probe command against real servers and the fault proxy on
 * 127.0.0.1: what it measures, what it says about a failed handshake, its
 * exit codes and its JSON.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../tools/fault-proxy.js';
import { freePort, runProbe, startTarget, type TargetKind } from './support.js';

const teardowns: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) await teardown();
});

async function target(kind: TargetKind): ReturnType<typeof startTarget> {
  const server = await startTarget(kind);
  teardowns.push(() => server.close());
  return server;
}

async function proxyTo(port: number): Promise<FaultProxy> {
  const proxy = await FaultProxy.start({ targetPort: port });
  teardowns.push(() => proxy.close());
  return proxy;
}

/** Short bounds, so failures come fast. */
const quick = ['--timeout', '1000', '--idle-max', '0'];

describe('the probe', () => {
  it("should measure a proxy's idle timeout (not under 90 % of it, up to half over for late timers), and confirm that a heartbeat below it keeps the connection", { timeout: 30_000 }, async () => {
    const server = await target({ kind: 'companion' });
    const proxy = await proxyTo(server.port);
    proxy.idleTimeout(2_000);

    const { code, report, stderr } = await runProbe([`probe`, `ws://127.0.0.1:${proxy.port}/`, '--timeout', '1000', '--idle-max', '6', '--keepalive', '500', '--json']);

    expect(code).toBe(0);
    // The proxy's timer and the probe's read run late on a busy machine: the measured silence is the
    // idle timeout or up to half of it more, never much less. What the probe prints follows from it.
    const measured = report?.idle?.timeoutMs ?? 0;
    expect(measured).toBeGreaterThanOrEqual(1_800);
    expect(measured).toBeLessThan(3_000);
    const printed = `${(measured / 1_000).toFixed(1)} s`;
    // Half the measured silence, in 100 ms steps (1000 ms for 2.0-2.1 s).
    const intervalMs = Math.floor(measured / 200) * 100;
    expect(report?.idle?.end?.how).toMatch(/^(fin|reset)$/);
    expect(report?.idle?.verdict).toMatch(/^dropped after \d\.\d s of silence, .*: an idle timeout on the path, or a limit on connection age \(--keepalive tells them apart\); set heartbeat\.intervalMs below \d+, e\.g\. \d+\.$/);
    expect(report?.idle?.verdict).toContain(`dropped after ${printed} of silence`);
    expect(report?.idle?.verdict).toContain(`, e.g. ${intervalMs}.`);
    expect(report?.keepalive).toMatchObject({ intervalMs: 500, survived: true, end: null });
    expect(report?.keepalive?.heldMs).toBeGreaterThanOrEqual(3_000);
    expect(report?.recommendation?.options).toEqual({ heartbeat: { intervalMs, timeoutMs: Math.max(intervalMs, 1_000) } });
    // Progress goes to stderr as plain lines when it is not a terminal; stdout holds only the JSON.
    expect(stderr).toContain('idle: staying silent to see whether the connection drops: waiting up to 6.0 s');
    expect(report?.recommendation?.notes[0]).toBe(`heartbeat: a ping after ${intervalMs} ms of silence, at most half the ${printed} of silence after which the connection dropped (--keepalive 500 held a connection past it)`);
  });

  it('should fail with exit code 1 when the keepalive pings go unanswered and the idle timeout cuts the connection', { timeout: 30_000 }, async () => {
    const server = await target({ kind: 'plain' });
    const proxy = await proxyTo(server.port);
    proxy.idleTimeout(1_000);
    const { code, report, stdout } = await runProbe(['probe', `ws://127.0.0.1:${proxy.port}/`, '--timeout', '300', '--idle-max', '3', '--keepalive', '300']);
    expect(report).toBeNull();
    expect(code).toBe(1);
    expect(stdout).toMatch(/keepalive every 300 ms: ✘ the connection was cut without a close frame|keepalive every 300 ms: ✘ the connection was reset/);
  });

  it('should report a handshake that hangs, naming the step, with exit code 1', async () => {
    const server = await target({ kind: 'companion' });
    const proxy = await proxyTo(server.port);
    proxy.hang(true);
    const { code, report } = await runProbe(['probe', `ws://127.0.0.1:${proxy.port}/`, '--timeout', '400', '--json']);
    expect(code).toBe(1);
    expect(report?.handshake?.ok).toBe(false);
    expect(report?.handshake?.failure).toMatchObject({ step: 'upgrade', kind: 'timeout' });
    expect(report?.handshake?.failure?.message).toMatch(/^the HTTP upgrade did not complete within 0\.4 s: the connection was accepted but the upgrade got no answer in that time/);
    expect(report?.handshake?.timings.tcpMs).toBeGreaterThanOrEqual(0);
    expect(report?.appPing).toBeNull();
  });

  it('should report the HTTP status of a rejected upgrade, send -H headers and never print their values', async () => {
    const server = await target({ kind: 'status', status: 401 });
    const { code, stdout, stderr } = await runProbe(['probe', `${server.url}?token=s3cr3t`, '-H', 'Authorization: Bearer sup3r-s3cret', '-H', 'X-Trace:  abc123', ...quick]);
    expect(code).toBe(1);
    expect(stdout).toContain('✘ the handshake failed at the upgrade step: the upgrade was answered with HTTP 401 Unauthorized: authentication failed or is missing');
    expect(stdout).toContain('headers: Authorization, X-Trace (values hidden)');
    expect(server.requests[0]).toMatchObject({ authorization: 'Bearer sup3r-s3cret', 'x-trace': 'abc123' });
    for (const secret of ['sup3r-s3cret', 'abc123', 's3cr3t']) expect(stdout + stderr).not.toContain(secret);
    expect(stdout).toContain('?token=***');
  });

  it('should report a refused port', async () => {
    const port = await freePort();
    const { code, report } = await runProbe(['probe', `ws://127.0.0.1:${port}/`, ...quick, '--json']);
    expect(code).toBe(1);
    expect(report?.handshake?.failure).toMatchObject({ step: 'tcp', kind: 'refused' });
    expect(report?.handshake?.failure?.message).toBe(`connection refused by 127.0.0.1:${port}: nothing listens on that port, or a firewall rejects connections to it`);
  });

  it('should time application and protocol pings on a server that answers them, and recommend the heartbeat', async () => {
    const server = await target({ kind: 'companion', protocols: ['v2.chat'] });
    // Every ping must be answered within --timeout: 5 s, far above a loopback round trip on a busy machine.
    const { code, report, stdout } = await runProbe(['probe', server.url, '-p', 'v1.chat', '-p', 'v2.chat', '--pings', '5', '--timeout', '5000', '--idle-max', '0', '--json']);
    expect(code).toBe(0);
    expect(report?.handshake).toMatchObject({ ok: true, protocol: 'v2.chat', failure: null });
    expect(report?.handshake?.timings).toMatchObject({ dnsMs: null, tlsMs: null });
    expect(report?.appPing).toMatchObject({ ping: 'ping', pong: 'pong', sent: 5, answered: 5 });
    expect(report?.appPing?.rttMs.every((rtt) => rtt >= 0 && rtt < 5_000)).toBe(true);
    expect(report?.protocolPing?.answered).toBe(true);
    expect(report?.idle).toBeNull();
    // Offered sub-protocols may carry tokens: only the one the server selected is named.
    expect(report?.protocols).toEqual(['***', 'v2.chat']);
    expect(report?.recommendation?.snippet).toBe('const ws = new ResilientWebSocket(url, protocols, {\n  heartbeat: { intervalMs: 25_000, timeoutMs: 10_000 },\n});');
    expect(stdout).not.toContain('v1.chat');
    expect(JSON.parse(stdout)).toEqual(report);
  });

  it('should say when a server answers neither application nor protocol pings, and recommend no heartbeat', async () => {
    const server = await target({ kind: 'deaf' });
    const { code, stdout } = await runProbe(['probe', server.url, '--timeout', '300', '--idle-max', '0']);
    expect(code).toBe(0);
    expect(stdout).toContain("application ping 'ping' -> 'pong': not answered within 0.3 s (1 sent): a client heartbeat with this ping and pong would close healthy connections");
    expect(stdout).toContain('protocol ping: not answered within 0.3 s');
    expect(stdout).toContain('  heartbeat: false,');
  });

  it('should see protocol pings answered but not application pings on a ws server without the companion', async () => {
    const server = await target({ kind: 'plain' });
    // The protocol ping must be answered within --timeout: 2 s, far above a loopback round trip on a busy machine.
    const { report } = await runProbe(['probe', server.url, '--timeout', '2000', '--idle-max', '0', '--json']);
    expect(report?.appPing?.answered).toBe(0);
    expect(report?.protocolPing?.answered).toBe(true);
  });

  it('should print what was measured so far when interrupted, with exit code 130', async () => {
    const server = await target({ kind: 'companion' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const { code, stdout } = await runProbe(['probe', server.url, '--timeout', '1000', '--idle-max', '60'], controller.signal);
    expect(code).toBe(130);
    expect(stdout).toContain('application ping');
    // The silence so far: under the 0.5 s to the abort on an idle machine, more when its timer runs late.
    expect(stdout).toMatch(/idle timeout: interrupted after \d+\.\d s of silence, the connection still open/);
    expect(stdout).toContain('interrupted: the report above holds what was measured so far');
  });

  it.each([
    [['probe'], 'Expected a URL after probe, got none'],
    [[], 'Expected a command (probe), got none'],
    [['ping', 'ws://x/'], 'Expected the command probe, got "ping"'],
    [['probe', 'ftp://example.com/'], 'Expected <url> to be a ws:, wss:, http: or https: URL, got the scheme ftp:'],
    [['probe', 'ws://x/', '--idle-max', 'soon'], 'Expected --idle-max to be a duration such as 30s, 2500ms or 2m (a bare number is in s), got "soon"'],
    [['probe', 'ws://x/', '--pings', '0'], 'Expected --pings to be a whole number from 1 to 100, got "0"'],
    [['probe', 'ws://x/', '--bogus'], "Unknown option '--bogus'"],
    [['probe', 'ws://x/', '-H', 'Bearer-t0ken-without-colon'], "Expected -H to be 'Name: value', got a header without a name before ':'"],
    [['probe', 'ws://x/', '-H', 'Upgrade: h2c'], 'Expected -H to name a header the handshake does not set itself, got Upgrade'],
  ])('should reject %j with exit code 2 and a message naming the argument', async (argv, message) => {
    const { code, stdout, stderr } = await runProbe(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`resilient-websocket: ${message}`);
    expect(stderr).toContain('Usage: resilient-websocket probe <url> [options]');
    expect(stderr).not.toContain('t0ken');
  });

  it('should print the help with exit code 0', async () => {
    const { code, stdout } = await runProbe(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--idle-max <s>');
  });
});
