/**
 * The probe's pure parts: the idle verdict and the known defaults it names,
 * the recommended options, durations on the command line, and the framing.
 */

import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/args.js';
import { encodeFrame, FrameReader, Opcode } from '../../src/cli/frames.js';
import { recommend } from '../../src/cli/recommend.js';
import { idleVerdict, intervalFor } from '../../src/cli/verdict.js';

const fin = { how: 'fin', code: null, reason: '', silentMs: 0 } as const;
const verdict = (timeoutMs: number): string => idleVerdict({ end: { ...fin, silentMs: timeoutMs }, timeoutMs, maxMs: 130_000, serverPings: 0, interrupted: false, waitedMs: timeoutMs });

describe('the idle verdict', () => {
  it.each([
    [60_000, "dropped after 60.0 s of silence, cut without a close frame (TCP FIN): the browser sees 1006: matches nginx's proxy_read_timeout or AWS ALB's idle timeout (60 s); set heartbeat.intervalMs below 60000, e.g. 25000."],
    [100_400, "matches Cloudflare's 100 s idle timeout; set heartbeat.intervalMs below 100000, e.g. 25000."],
    [55_020, "matches Heroku's 55 s idle timeout; set heartbeat.intervalMs below 55000, e.g. 25000."],
    [30_100, 'matches a 30 s load-balancer or corporate-proxy idle timeout; set heartbeat.intervalMs below 30000, e.g. 15000.'],
    [5_000, 'an idle timeout on the path; set heartbeat.intervalMs below 5000, e.g. 2000.'],
  ])('should name what a %i ms silence matches, and a heartbeat interval that beats it', (ms, text) => {
    expect(verdict(ms)).toContain(text);
  });

  it('should say when nothing cut the connection, and when the server kept it alive with its own pings', () => {
    expect(idleVerdict({ end: null, timeoutMs: null, maxMs: 130_000, serverPings: 0, interrupted: false, waitedMs: 130_000 })).toBe('no idle timeout: the connection survived 130.0 s of silence.');
    expect(idleVerdict({ end: null, timeoutMs: null, maxMs: 60_000, serverPings: 2, interrupted: false, waitedMs: 60_000 })).toContain('The server sent 2 protocol ping(s) meanwhile');
  });

  it('should describe a close frame with its code and reason', () => {
    expect(idleVerdict({ end: { how: 'close-frame', code: 1001, reason: 'idle', silentMs: 300_000 }, timeoutMs: 300_000, maxMs: 400_000, serverPings: 0, interrupted: false, waitedMs: 300_000 })).toMatch(/^dropped after 300\.0 s of silence, closed with a close frame, code 1001 "idle": an idle timeout/);
  });

  it('should keep the heartbeat interval at most half the timeout and at most 25 s', () => {
    expect([500, 2_001, 9_000, 60_000, 200_000].map(intervalFor)).toEqual([200, 1_000, 4_000, 25_000, 25_000]);
  });
});

describe('recommend()', () => {
  const handshake = { ok: true, timings: { dnsMs: null, tcpMs: 1, tlsMs: null, upgradeMs: 1, totalMs: 2 }, failure: null, protocol: '', extensions: '' };
  it('should carry custom ping and pong into the snippet, and a longer connect timeout for a slow handshake', () => {
    const slow = { ...handshake, timings: { ...handshake.timings, totalMs: 4_200 } };
    const result = recommend({ handshake: slow, appPing: { ping: '{"t":"ping"}', pong: '{"t":"pong"}', sent: 3, answered: 3, rttMs: [1, 1, 1] }, idle: null, protocols: [] });
    expect(result.snippet).toBe('const ws = new ResilientWebSocket(url, undefined, {\n  heartbeat: { intervalMs: 25_000, timeoutMs: 10_000, message: "{\\"t\\":\\"ping\\"}", isPong: (data) => data === "{\\"t\\":\\"pong\\"}" },\n  connectTimeoutMs: 17_000,\n});');
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
