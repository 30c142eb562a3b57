/**
 * The probe's pure parts: the idle verdict and the known defaults it names,
 * the recommended options, durations on the command line, and the framing.
 */

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/args.js';
import { encodeFrame, FrameReader, Opcode } from '../../src/cli/frames.js';
import { formatReport } from '../../src/cli/format.js';
import { newReport, type ProbeReport } from '../../src/cli/probe.js';
import { recommend } from '../../src/cli/recommend.js';
import { idleVerdict, intervalFor } from '../../src/cli/verdict.js';

const fin = { how: 'fin', code: null, reason: '', silentMs: 0 } as const;
const facts = { end: null, timeoutMs: null, maxMs: 130_000, serverPings: 0, interrupted: false, waitedMs: 130_000, endedBefore: false } as const;
const verdict = (timeoutMs: number): string => idleVerdict({ ...facts, end: { ...fin, silentMs: timeoutMs }, timeoutMs, waitedMs: timeoutMs });

describe('the idle verdict', () => {
  it.each([
    [60_000, "dropped after 60.0 s of silence, cut without a close frame (TCP FIN): the browser sees 1006: matches nginx's proxy_read_timeout or AWS ALB's idle timeout (60 s); set heartbeat.intervalMs below 60000, e.g. 25000."],
    [100_400, "matches Cloudflare's 100 s idle timeout; set heartbeat.intervalMs below 100000, e.g. 25000."],
    [55_020, "matches Heroku's 55 s idle timeout; set heartbeat.intervalMs below 55000, e.g. 25000."],
    [30_100, 'matches a 30 s load-balancer or corporate-proxy idle timeout; set heartbeat.intervalMs below 30000, e.g. 15000.'],
    [5_000, 'an idle timeout on the path, or a limit on connection age (--keepalive tells them apart); set heartbeat.intervalMs below 5000, e.g. 2000.'],
  ])('should name what a %i ms silence matches, and a heartbeat interval that beats it', (ms, text) => {
    expect(verdict(ms)).toContain(text);
  });

  it('should say that nothing cut the connection within --idle-max, not that there is no idle timeout', () => {
    expect(idleVerdict({ ...facts, maxMs: 3_000, waitedMs: 3_000 })).toBe('none within 3.0 s: the connection stayed open through 3.0 s of silence from the probe; a longer idle timeout would go unseen (a larger --idle-max looks further).');
    expect(idleVerdict({ ...facts, maxMs: 3_000 })).not.toMatch(/no idle timeout/);
  });

  it('should say that the server pings may be what kept the connection open, not that they did', () => {
    expect(idleVerdict({ ...facts, maxMs: 60_000, serverPings: 2 })).toBe(
      'none within 60.0 s: the connection stayed open through 60.0 s of silence from the probe, but the server sent 2 protocol ping(s) meanwhile, which the probe answered as a browser does: they may be what kept it open, and a path or client without them may still time out.',
    );
  });

  it('should measure nothing when the connection had ended before the idle step', () => {
    const text = idleVerdict({ ...facts, end: { ...fin, silentMs: 12 }, timeoutMs: null, endedBefore: true });
    expect(text).toBe('not measured: the connection had already ended before the idle step, cut without a close frame (TCP FIN): the browser sees 1006.');
  });

  it('should say an interrupted wait is only that', () => {
    expect(idleVerdict({ ...facts, interrupted: true, waitedMs: 4_200 })).toBe('interrupted after 4.2 s of silence, the connection still open.');
  });

  it('should keep the heartbeat interval at most half the timeout and at most 25 s', () => {
    expect([500, 2_001, 9_000, 60_000, 200_000].map(intervalFor)).toEqual([200, 1_000, 4_000, 25_000, 25_000]);
  });
});

describe('recommend()', () => {
  const handshake = { ok: true, timings: { dnsMs: null, tcpMs: 1, tlsMs: null, upgradeMs: 1, totalMs: 2 }, failure: null, protocol: '', extensions: '' };
  const appPing = { ping: 'ping', pong: 'pong', sent: 3, answered: 3, rttMs: [1, 1, 1], timeoutMs: 10_000, connectionOpen: true };
  const idle = (maxMs: number, timeoutMs: number | null) => ({ maxMs, end: timeoutMs === null ? null : { ...fin, silentMs: timeoutMs }, waitedMs: maxMs, timeoutMs, serverPings: 0, endedBefore: false, verdict: '' });
  const keepalive = (survived: boolean) => ({ intervalMs: 1_000, targetMs: 3_000, heldMs: 3_000, survived, end: null, failure: null });

  it('should carry custom ping and pong into the snippet, and a longer connect timeout for a slow handshake', () => {
    const slow = { ...handshake, timings: { ...handshake.timings, totalMs: 4_200 } };
    const result = recommend({ handshake: slow, appPing: { ...appPing, ping: '{"t":"ping"}', pong: '{"t":"pong"}' }, idle: null, keepalive: null, protocols: [] });
    expect(result.snippet).toBe('const ws = new ResilientWebSocket(url, undefined, {\n  heartbeat: { intervalMs: 25_000, timeoutMs: 10_000, message: "{\\"t\\":\\"ping\\"}", isPong: (data) => data === "{\\"t\\":\\"pong\\"}" },\n  connectTimeoutMs: 17_000,\n});');
  });

  it.each([
    ['no idle step', null, "no idle timeout was seen (the idle step did not run), so the default 25 s interval, which beats the common 30-100 s idle timeouts but not a shorter one"],
    ['none within --idle-max 3s', idle(3_000, null), 'no idle timeout was seen (none within 3.0 s of silence), so the default 25 s interval, which beats the common 30-100 s idle timeouts but not a shorter one'],
  ] as const)('should say why it falls back to the default interval with %s, and claim no more', (_what, measured, note) => {
    const { notes } = recommend({ handshake, appPing, idle: measured, keepalive: null, protocols: [] });
    expect(notes[0]).toBe(`heartbeat: the server answers 'ping'; ${note}`);
  });

  it('should claim a measured timeout is beaten only once --keepalive held a connection past it', () => {
    const measured = idle(6_000, 2_000);
    const note = (k: ReturnType<typeof keepalive> | null): string | undefined => recommend({ handshake, appPing, idle: measured, keepalive: k, protocols: [] }).notes[0];
    expect(note(null)).toBe('heartbeat: a ping after 1000 ms of silence, at most half the 2.0 s of silence after which the connection dropped (--keepalive 1000 checks it)');
    expect(note(keepalive(true))).toContain('(--keepalive 1000 held a connection past it)');
    expect(note(keepalive(false))).toContain('(--keepalive 1000 did not hold a connection past it)');
  });
});

describe('parseDuration()', () => {
  it.each([
    ['130', 's', 130_000],
    ['2.5s', 'ms', 2_500],
    ['2500ms', 's', 2_500],
    ['2m', 'ms', 120_000],
    ['0', 's', 0],
  ] as const)('should read %s (bare unit %s) as %i ms', (text, unit, ms) => {
    expect(parseDuration('--x', text, unit)).toBe(ms);
  });

  it('should reject anything else, naming the flag', () => {
    expect(() => parseDuration('--idle-max', '-1', 's')).toThrow('Expected --idle-max to be a duration such as 30s, 2500ms or 2m (a bare number is in s), got "-1"');
  });
});

describe('the framing', () => {
  it.each([0, 125, 126, 65_535, 65_536])('should read back a %i-byte frame split into single bytes', (length) => {
    const payload = Buffer.alloc(length, 7);
    const frame = encodeFrame(Opcode.binary, payload);
    expect(frame[1]! & 0x80).toBe(0x80); // clients mask
    const reader = new FrameReader();
    const frames = length > 1000 ? reader.push(frame) : [...frame].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(frames).toEqual([{ fin: true, opcode: Opcode.binary, payload }]);
  });
});

describe('formatReport()', () => {
  const base = (): ProbeReport =>
    newReport({ url: new URL('ws://127.0.0.1:1/'), headers: {}, protocols: [], insecure: false, timeoutMs: 2_000, ping: 'ping', pong: 'pong', pingCount: 3, idleMaxMs: 0, keepaliveMs: null });
  const ping = { ping: 'ping', pong: 'pong', sent: 1, answered: 0, rttMs: [], timeoutMs: 2_000, connectionOpen: true };

  it('should say a ping went unanswered within --timeout, and that a dead connection says nothing about the server', () => {
    const report = { ...base(), appPing: ping, protocolPing: { answered: false, rttMs: null, timeoutMs: 2_000, connectionOpen: true } };
    expect(formatReport(report)).toContain("application ping 'ping' -> 'pong': not answered within 2.0 s (1 sent): a client heartbeat with this ping and pong would close healthy connections");
    expect(formatReport(report)).toContain('protocol ping: not answered within 2.0 s: the server or a proxy on the path does not answer protocol pings');
    const ended = { ...base(), appPing: { ...ping, connectionOpen: false }, protocolPing: { answered: false, rttMs: null, timeoutMs: 2_000, connectionOpen: false } };
    expect(formatReport(ended)).toContain("application ping 'ping' -> 'pong': the connection ended before an answer (1 sent)\n");
    expect(formatReport(ended)).toContain('protocol ping: not answered: the connection ended first');
  });

  it('should say which ping of several went unanswered', () => {
    expect(formatReport({ ...base(), appPing: { ...ping, sent: 3, answered: 2, rttMs: [1, 2] } })).toContain('2 of 3 answered, RTT min 1 / median 2 / max 2 ms; the next one not answered within 2.0 s');
  });

  it('should not call a keepalive that had no measured timeout to beat a success over one', () => {
    const keepalive = { intervalMs: 500, targetMs: 1_500, heldMs: 1_500, survived: true, end: null, failure: null };
    expect(formatReport({ ...base(), keepalive })).toContain('keepalive every 500 ms: held the connection for 1.5 s (target 1.5 s); no idle timeout was measured, so this shows only that the connection stays open that long with these pings ✔');
    const idle = { maxMs: 6_000, end: { how: 'fin', code: null, reason: '', silentMs: 2_000 }, waitedMs: 2_000, timeoutMs: 2_000, serverPings: 0, endedBefore: false, verdict: '' } as const;
    expect(formatReport({ ...base(), idle, keepalive: { ...keepalive, targetMs: 3_000, heldMs: 3_000 } })).toContain('held the connection for 3.0 s (target 3.0 s), past the 2.0 s of silence that ended the first connection ✔');
  });
});
