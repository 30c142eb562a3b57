/**
 * `diagnose` on synthetic histories: every cause, the confusable pairs,
 * thin evidence, and no finding on a healthy history.
 */

import { describe, expect, it } from 'vitest';
import { diagnose, type Cause, type CloseReport, type Confidence, type DiagnosisContext } from '../../src/index.js';
import { appClose, crash, drop, heartbeatTimeout, pageHidden, providerFailed, refused, serverClose, timedOut } from './histories.js';

/** Drops after these silences, one a minute apart, each followed by an immediate reconnect. */
const drops = (silences: readonly number[], fields: Partial<CloseReport> = {}): CloseReport[] => silences.map((silence, i) => drop(60_000 * (i + 1) * 3, silence, fields));

interface Case {
  readonly name: string;
  readonly history: readonly CloseReport[];
  readonly context?: DiagnosisContext;
  readonly cause: Cause;
  readonly confidence: Confidence;
  /** Texts the first finding's evidence, summary or fix must contain. */
  readonly says?: readonly string[];
  /** Causes that must not appear among the findings. */
  readonly not?: readonly Cause[];
}

const off: DiagnosisContext = { heartbeat: false };

const cases: readonly Case[] = [
  // Idle timeouts, at known and unknown values.
  {
    name: 'four drops of five after 60 s of silence (nginx, ALB)',
    history: drops([60_050, 12_000, 60_000, 60_200, 60_100]),
    context: off,
    cause: 'idle-timeout',
    confidence: 'high',
    says: ['4 of the last 5 drops came 60.0-60.2 s after the last inbound message, heartbeat off', 'proxy_read_timeout', 'heartbeat: { intervalMs: 27000 }'],
    not: ['server-restart'],
  },
  {
    name: 'a 45 s timeout that matches no known default',
    history: drops([45_000, 45_400, 44_800]),
    context: off,
    cause: 'idle-timeout',
    confidence: 'high',
    says: ['(45.0 s), which matches no common default', 'heartbeat: { intervalMs: 20000 }', 'with a 45.0 s idle timeout and raise it'],
  },
  { name: "Cloudflare's 100 s", history: drops([100_100, 99_900, 100_000]), context: off, cause: 'idle-timeout', confidence: 'high', says: ['Cloudflare', 'cannot be raised'] },
  { name: "Heroku's 55 s", history: drops([55_000, 55_100]), context: off, cause: 'idle-timeout', confidence: 'medium', says: ['Heroku'] },
  { name: 'a 3 s timeout (a test proxy)', history: drops([2_990, 2_995, 2_980]), cause: 'idle-timeout', confidence: 'high', says: ['3.0 s', 'heartbeat: { intervalMs: 1300 }', 'heartbeat unknown'] },
  { name: 'one drop after 60 s: thin evidence', history: drops([60_000]), context: off, cause: 'idle-timeout', confidence: 'low', says: ['(one drop so far)'] },
  {
    name: 'drops after 60 s with a 90 s heartbeat',
    history: drops([60_000, 60_100, 60_050]),
    context: { heartbeat: { mode: 'active', intervalMs: 90_000, timeoutMs: 10_000 } },
    cause: 'idle-timeout-despite-heartbeat',
    confidence: 'high',
    says: ['heartbeat every 90.0 s', 'Lower the heartbeat interval from 90000 ms to below 60000 ms'],
    not: ['idle-timeout'],
  },
  {
    name: 'drops after 30 s with pongs seen and no context',
    history: drops([30_000, 30_200, 30_100], { sinceLastPongMs: 30_000 }),
    cause: 'idle-timeout-despite-heartbeat',
    confidence: 'high',
    says: ['heartbeat on', 'Lower the heartbeat interval to below'],
  },
  // Crashes and restarts.
  {
    name: 'crashes at random times, each followed by refused handshakes, then success',
    history: [...crash(100_000, 12_300, 2), ...crash(400_000, 47_900, 3), ...crash(700_000, 81_000, 1), serverClose(1000, 900_000, 200_000)],
    cause: 'server-restart',
    confidence: 'high',
    says: ['3 drops without a close frame, each followed by failed handshakes (6 failed at once, 0 timed out)', 'then the connection opened again', 'exit code 137'],
    not: ['idle-timeout', 'unexplained-drop'],
  },
  { name: 'a crash the server has not come back from', history: crash(100_000, 20_000, 4), context: { connected: false }, cause: 'server-restart', confidence: 'medium', says: ['not connected again yet'] },
  { name: 'a crash, back now', history: crash(100_000, 20_000, 4), context: { connected: true }, cause: 'server-restart', confidence: 'high', says: ['for 1.2 s; then the connection opened again'] },
  // The network.
  { name: 'a drop while offline', history: [drop(100_000, 30_000, { online: false })], cause: 'network-loss', confidence: 'medium', says: ['while offline', '(one close so far)'], not: ['idle-timeout'] },
  {
    name: 'drops while offline, then refused handshakes while offline (not a crash)',
    history: [drop(100_000, 8_000, { online: false }), refused(100_300, { online: false }), drop(500_000, 19_000, { online: false })],
    cause: 'network-loss',
    confidence: 'high',
    not: ['server-restart', 'idle-timeout'],
  },
  {
    name: 'drops just after the network came back or went away',
    history: [drop(100_000, 8_000, { online: null }), drop(300_000, 41_000, { online: null })],
    context: { signals: [{ signal: 'offline', at: 98_800 }, { signal: 'online', at: 299_000 }] },
    cause: 'network-loss',
    confidence: 'high',
    says: ["1.2 s after 'offline'", "1.0 s after 'online'"],
  },
  { name: 'a drop while the page was hidden (device asleep)', history: [drop(100_000, 300_000, { visible: false })], cause: 'network-loss', confidence: 'low', says: ['hidden'] },
  // The heartbeat.
  { name: 'two heartbeat timeouts after pongs', history: [heartbeatTimeout(100_000, 35_000), heartbeatTimeout(500_000, 36_000)], cause: 'half-open', confidence: 'high', says: ['despite a ping'] },
  { name: 'one heartbeat timeout', history: [heartbeatTimeout(100_000, 35_000)], cause: 'half-open', confidence: 'medium', says: ['(one timeout so far)'] },
  {
    name: 'heartbeat timeouts with never a pong',
    history: [heartbeatTimeout(100_000, null), heartbeatTimeout(200_000, null), heartbeatTimeout(300_000, null)],
    cause: 'heartbeat-unanswered',
    confidence: 'high',
    says: ["'pong'", 'not one pong'],
  },
  // Handshakes that never succeed.
  {
    name: 'every attempt hangs until the connect timeout',
    history: [timedOut(10_000), timedOut(20_000), timedOut(30_000), timedOut(40_000)],
    cause: 'handshake-timeout',
    confidence: 'high',
    says: ['0 failed at once, 4 hit the connect timeout', 'firewall'],
  },
  { name: 'every attempt is refused or rejected at once', history: [refused(1_000), refused(2_000), refused(4_000)], cause: 'handshake-rejected', confidence: 'high', says: ['3 failed at once, 0 hit', '401', 'proxy_set_header Upgrade'] },
  { name: 'a first attempt that failed: thin evidence', history: [refused(1_000)], cause: 'handshake-rejected', confidence: 'low', says: ['(one attempt so far)'] },
  { name: 'a URL provider that keeps failing', history: [providerFailed(1_000), providerFailed(2_000)], cause: 'url-provider-failed', confidence: 'high' },
  // Close codes.
  { name: '1008 each time', history: [serverClose(1008, 1_000, 20), serverClose(1008, 7_000, 20), serverClose(1008, 14_000, 20)], cause: 'auth', confidence: 'high', says: ['code 1008', 'token'], not: ['flapping'] },
  { name: 'one 4401', history: [serverClose(4401, 1_000)], cause: 'auth', confidence: 'medium', says: ['(one close so far)'] },
  { name: 'an application auth code from the context', history: [serverClose(4001, 1_000), serverClose(4001, 9_000)], context: { authCodes: [4001] }, cause: 'auth', confidence: 'high' },
  { name: '1009', history: [serverClose(1009, 1_000)], cause: 'message-too-big', confidence: 'medium', says: ['maxPayload'] },
  { name: '1011 twice', history: [serverClose(1011, 1_000), serverClose(1011, 9_000)], cause: 'server-error', confidence: 'high' },
  { name: 'a deploy (1001 then 1012)', history: [serverClose(1001, 1_000), serverClose(1012, 9_000)], cause: 'deploy', confidence: 'high', says: ['1001, 1012'] },
  { name: '1013', history: [serverClose(1013, 1_000), serverClose(1013, 9_000)], cause: 'overload', confidence: 'high' },
  // Flapping.
  {
    name: 'connections that the server closes within a second, again and again',
    history: [serverClose(1000, 1_000, 40), serverClose(1000, 2_000, 35), serverClose(1000, 4_000, 50), serverClose(1000, 8_000, 45)],
    cause: 'flapping',
    confidence: 'high',
    says: ['4 of the last 4 closes ended within 1.0 s of opening (codes 1000)'],
  },
  // What matches nothing.
  { name: 'one drop at an unknown silence', history: drops([37_000]), cause: 'unexplained-drop', confidence: 'low', says: ['(one drop so far)'], not: ['idle-timeout'] },
  { name: 'drops at scattered silences, each reconnected at once', history: drops([5_000, 37_000, 81_000]), cause: 'unexplained-drop', confidence: 'low', says: ['not a constant value'], not: ['idle-timeout'] },
];

describe('diagnose on synthetic histories', () => {
  it.each(cases)('$name: $cause ($confidence)', ({ history, context, cause, confidence, says = [], not = [] }) => {
    const diagnosis = diagnose(history, context);
    const [first] = diagnosis.findings;
    expect(diagnosis.cause, diagnosis.summary).toBe(cause);
    expect(diagnosis.confidence, diagnosis.summary).toBe(confidence);
    expect(first).toBeDefined();
    const text = `${first?.summary}. ${first?.evidence}. ${first?.fix}`;
    for (const words of says) expect(text).toContain(words);
    for (const other of not) expect(diagnosis.findings.map((f) => f.cause)).not.toContain(other);
    expect(first?.fix).not.toBe('');
    expect(diagnosis.summary).toContain(`${cause} (${confidence} confidence)`);
  });

  it('should tell a 60 s idle timeout from crashes at random times, which only share the missing close frame', () => {
    const idle = diagnose(drops([60_000, 60_100, 60_150]), off);
    const crashes = diagnose([...crash(100_000, 14_000, 2), ...crash(400_000, 60_000, 2), ...crash(700_000, 96_000, 2)], { connected: true });
    expect([idle.cause, crashes.cause]).toEqual(['idle-timeout', 'server-restart']);
    // A crash that happens to come 60 s after the last message is still a crash: failed handshakes followed it.
    expect(crashes.findings.map((f) => f.cause)).toEqual(['server-restart']);
  });

  it('should not tell an application with a passive heartbeat to enable the heartbeat', () => {
    const passive: DiagnosisContext = { heartbeat: { mode: 'passive', intervalMs: 90_000, timeoutMs: 10_000 } };
    const [idle] = diagnose(drops([60_000, 60_100, 60_050]), passive).findings;
    expect(idle).toMatchObject({ cause: 'idle-timeout', confidence: 'high' });
    expect(idle?.evidence).toContain('heartbeat passive');
    expect(idle?.fix).toContain('have the server ping more often than every 60000 ms');
    expect(idle?.fix).toContain("heartbeat: { mode: 'active', intervalMs: 27000 }");
    expect(idle?.fix).not.toContain('Enable the heartbeat');
  });

  it('should tell a connection lifetime limit from a deploy and from an idle timeout: the same time open, different silences', () => {
    const hours = (n: number): number => n * 3_600_000;
    // API Gateway closes with 1001 "Going away" two hours after the upgrade, whatever the traffic.
    const gateway = [4_000, 900, 17_000].map((silence, i) => serverClose(1001, hours(2 * i + 2), 7_200_000 + i * 150, { sinceLastMessageMs: silence }));
    const [limit] = diagnose(gateway, off).findings;
    expect(limit).toMatchObject({ cause: 'connection-age-limit', confidence: 'high', closes: 3, lifetimeMs: 7_200_150 });
    expect(limit?.matches).toContain('API Gateway');
    expect(limit?.evidence).toContain('3 of the last 3 closes came 7200.0-7200.3 s after opening, 0.9-17.0 s after the last inbound message');
    expect(limit?.fix).toContain('ws.reconnect()');

    // Drops without a close frame ten minutes after opening, with a heartbeat keeping them busy: a limit, not an idle timeout.
    const tenMinutes = [3_000, 12_000, 21_000].map((silence, i) => drop(hours(i + 1), silence, { openDurationMs: 600_000 + i * 200 }));
    expect(diagnose(tenMinutes, off).findings.map((f) => [f.cause, f.lifetimeMs])).toEqual([['connection-age-limit', 600_200]]);

    // The same silence every time stays an idle timeout, even when the time open is constant too.
    expect(diagnose(drops([60_000, 60_100, 60_050]), off).cause).toBe('idle-timeout');
    // Deploys come at any time open; a code that names its own cause keeps it.
    const deploys = [40_000, 900_000, 3_000_000].map((openMs, i) => serverClose(1012, hours(i + 1), openMs, { sinceLastMessageMs: 1_000 * (i + 1) }));
    expect(diagnose(deploys, off).cause).toBe('deploy');
    const errors = [100, 5_000, 40_000].map((silence, i) => serverClose(1011, hours(i + 1), 120_000, { sinceLastMessageMs: silence }));
    expect(diagnose(errors, off).cause).toBe('server-error');
  });

  it('should tell the network going away from a crash, even when the drops look alike', () => {
    const offline = diagnose([drop(100_000, 25_000, { online: false }), drop(300_000, 25_000, { online: false })]);
    const crashed = diagnose([...crash(100_000, 25_000, 2), ...crash(300_000, 25_000, 2)], { connected: true });
    expect(offline.cause).toBe('network-loss');
    expect(crashed.cause).toBe('server-restart');
  });

  it('should name the measured value of an idle timeout and the intermediary it matches', () => {
    const [idle] = diagnose(drops([60_000, 60_100, 60_150]), off).findings;
    expect(idle).toMatchObject({ cause: 'idle-timeout', timeoutMs: 60_100, closes: 3 });
    expect(idle?.matches).toContain('nginx');
    const [unknown] = diagnose(drops([45_000, 45_100, 45_200]), off).findings;
    expect(unknown?.timeoutMs).toBe(45_100);
    expect(unknown?.matches).toBeUndefined();
  });

  it('should list every likely cause, the most certain first', () => {
    const diagnosis = diagnose([...drops([60_000, 60_100, 60_050]), serverClose(1012, 1_000_000)], off);
    expect(diagnosis.findings.map((f) => [f.cause, f.confidence])).toEqual([
      ['idle-timeout', 'high'],
      ['deploy', 'medium'],
    ]);
    expect(diagnosis.signature).toBe('idle-timeout:high,deploy:medium');
  });

  it('should read only the last 12 closes that count', () => {
    const old = drops([60_000, 60_100, 60_050, 60_000, 60_100]);
    const recent = Array.from({ length: 12 }, (_, i) => serverClose(1011, 2_000_000 + i * 10_000));
    const diagnosis = diagnose([...old, ...recent]);
    expect(diagnosis.considered).toBe(12);
    expect(diagnosis.findings.map((f) => f.cause)).toEqual(['server-error']);
  });
});

describe('diagnose on healthy histories', () => {
  it.each([
    ['no close at all', [], 'no close to diagnose'],
    ['application closes, a back/forward-cache close and a server close after an hour', [appClose(1_000), pageHidden(2_000), serverClose(1000, 3_700_000, 3_600_000), appClose(4_000_000)], 'nothing abnormal in the last close'],
    ['a few clean server closes of long connections', [serverClose(1000, 100_000, 90_000), serverClose(1000, 300_000, 120_000)], 'nothing abnormal in the last 2 closes'],
  ] as const)('should find nothing in %s', (_name, history, summary) => {
    const diagnosis = diagnose(history);
    expect(diagnosis).toMatchObject({ findings: [], cause: null, confidence: null, signature: '', summary });
  });
});

describe('diagnose is pure and leaks nothing', () => {
  it('should give the same diagnosis for the same history and leave the history untouched', () => {
    const history = Object.freeze([...crash(100_000, 12_000, 3), ...drops([60_000, 60_100])].map((r) => Object.freeze(r)));
    const copy = structuredClone(history);
    expect(diagnose(history, off)).toEqual(diagnose(history, off));
    expect(history).toEqual(copy);
  });

  it('should never quote a URL or a close reason', () => {
    const secret = { url: 'wss://example.com/socket?token=***', reason: 'token sk_live_42 rejected' };
    const history = [...drops([60_000, 60_100, 60_050], secret), serverClose(1008, 900_000, 20, secret), refused(950_000, secret)];
    const text = JSON.stringify(diagnose(history, off));
    expect(text).not.toContain('sk_live_42');
    expect(text).not.toContain('example.com');
  });
});
