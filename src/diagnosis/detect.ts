/**
 * The detectors of a diagnosis. Each looks at the recent closes for one
 * pattern, claims the closes it explains (so later detectors see only the
 * rest) and returns its findings. They run in the order of {@link detectors}:
 * a lifetime limit first (so that its 1001 is not read as a deploy), then
 * explicit evidence (close codes, the network, the heartbeat), then
 * sequences (flapping, crash, handshakes), then timing (idle timeouts).
 *
 * @module
 */

import type { CloseReport } from '../core/report.js';
import type { Cause, Confidence, DiagnosisContext, Finding } from './types.js';
import { count, fixes, idleFix, matchKnown, seconds, secondsRange, soFar, summaries } from './words.js';

/** What the detectors share: the closes, the context, and the closes already explained. */
export interface Scene {
  /** The recent history, application closes included (they mark a connection that opened). */
  readonly all: readonly CloseReport[];
  /** The closes to explain: `all` without application and back/forward-cache closes. */
  readonly considered: readonly CloseReport[];
  readonly context: DiagnosisContext;
  readonly claimed: Set<CloseReport>;
}

/** A detector: the findings of one pattern. */
export type Detector = (scene: Scene) => Finding[];

/** A drop or handshake failure this close to a network signal is the network's doing. */
const networkWindowMs = 5_000;
/** Connections that close sooner than this after opening are flapping. */
const flapMs = 1_000;
/** Two silences this close (relative, or absolute for short ones) are the same timeout. */
const sameSilence = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(300, b * 0.03);

const isDrop = (r: CloseReport): boolean => r.phase === 'open' && r.code === 1006 && r.initiator === 'network';
const isFailedHandshake = (r: CloseReport): boolean => r.phase === 'handshake' && r.initiator !== 'client' && r.libraryCause !== 'provider-failed';
const unclaimed = (scene: Scene, test: (r: CloseReport) => boolean): CloseReport[] => scene.considered.filter((r) => !scene.claimed.has(r) && test(r));

/** `high` from `highAt` closes on, `medium` from `mediumAt`, else `low`. */
const level = (n: number, highAt: number, mediumAt = 1): Confidence => (n >= highAt ? 'high' : n >= mediumAt ? 'medium' : 'low');

function finding(scene: Scene, cause: Cause, confidence: Confidence, explained: readonly CloseReport[], evidence: string, extra: Partial<Finding> = {}): Finding {
  for (const r of explained) scene.claimed.add(r);
  const fix = cause === 'idle-timeout' || cause === 'idle-timeout-despite-heartbeat' ? '' : fixes[cause];
  return { cause, confidence, closes: explained.length, summary: summaries[cause], evidence, fix, ...extra };
}

const codeCauses: readonly [Cause, (code: number, authCodes: readonly number[]) => boolean][] = [
  ['auth', (code, authCodes) => code === 1008 || authCodes.includes(code)],
  ['message-too-big', (code) => code === 1009],
  ['server-error', (code) => code === 1011 || code === 1014],
  ['deploy', (code) => code === 1001 || code === 1012],
  ['overload', (code) => code === 1013],
];

/** Server closes whose code names the cause. */
const byCode: Detector = (scene) => {
  const authCodes = scene.context.authCodes ?? [4401, 4403];
  return codeCauses.flatMap(([cause, test]) => {
    const closes = unclaimed(scene, (r) => r.initiator === 'server' && test(r.code, authCodes));
    if (closes.length === 0) return [];
    const codes = [...new Set(closes.map((r) => r.code))].join(', ');
    const evidence = `${closes.length} of the last ${count(scene.considered.length, 'close')} came from the server with code ${codes}${soFar(closes.length, 'close')}`;
    return [finding(scene, cause, level(closes.length, 2), closes, evidence)];
  });
};

const providerFailures: Detector = (scene) => {
  const closes = unclaimed(scene, (r) => r.libraryCause === 'provider-failed');
  if (closes.length === 0) return [];
  return [finding(scene, 'url-provider-failed', level(closes.length, 2), closes, `${count(closes.length, 'attempt')} ended before connecting because the provider failed${soFar(closes.length, 'attempt')}`)];
};

/** Why a close is the network's doing, or `null`. */
function networkSign(r: CloseReport, context: DiagnosisContext): string | null {
  if (r.online === false) return 'while offline';
  if (r.visible === false && r.phase === 'open') return 'while the page was hidden (the device may have slept)';
  const near = context.signals?.find(({ signal, at }) => (signal === 'offline' || signal === 'online' || signal === 'visible' || signal === 'resume') && Math.abs(at - r.at) <= networkWindowMs);
  return near ? `${seconds(Math.abs(r.at - near.at))} ${r.at >= near.at ? 'after' : 'before'} '${near.signal}'` : null;
}

const network: Detector = (scene) => {
  const signs = unclaimed(scene, (r) => r.code === 1006).flatMap((r) => {
    const sign = networkSign(r, scene.context);
    return sign === null ? [] : [{ r, sign }];
  });
  if (signs.length === 0) return [];
  const direct = signs.some(({ r }) => r.online === false);
  const confidence = signs.length >= 2 ? 'high' : direct ? 'medium' : 'low';
  const examples = [...new Set(signs.map(({ sign }) => sign))].slice(0, 2).join('; ');
  const evidence = `${signs.length} of the last ${count(scene.considered.length, 'close')} came with the network gone: ${examples}${soFar(signs.length, 'close')}`;
  return [finding(scene, 'network-loss', confidence, signs.map(({ r }) => r), evidence)];
};

const heartbeat: Detector = (scene) => {
  const closes = unclaimed(scene, (r) => r.libraryCause === 'heartbeat-timeout');
  if (closes.length === 0) return [];
  if (closes.length >= 2 && closes.every((r) => r.sinceLastPongMs === null)) {
    return [finding(scene, 'heartbeat-unanswered', 'high', closes, `${count(closes.length, 'heartbeat timeout')} and not one pong on any connection`)];
  }
  const silences = closes.map((r) => r.sinceLastMessageMs ?? 0);
  const evidence = `${count(closes.length, 'connection')} stayed silent for ${secondsRange(silences)} despite a ping and ${closes.length === 1 ? 'was' : 'were'} replaced by the heartbeat${soFar(closes.length, 'timeout')}`;
  return [finding(scene, 'half-open', level(closes.length, 2), closes, evidence)];
};

const flapping: Detector = (scene) => {
  const closes = unclaimed(scene, (r) => r.phase === 'open' && r.openDurationMs !== null && r.openDurationMs < flapMs);
  if (closes.length < 3) return [];
  const codes = [...new Set(closes.map((r) => r.code))].join(', ');
  const evidence = `${closes.length} of the last ${count(scene.considered.length, 'close')} ended within ${seconds(flapMs)} of opening (codes ${codes}), open ${secondsRange(closes.map((r) => r.openDurationMs ?? 0))}`;
  return [finding(scene, 'flapping', closes.length * 2 >= scene.considered.length ? 'high' : 'medium', closes, evidence)];
};

/** Drops followed by failed handshakes: the server went away and came back (or has not yet). */
const serverRestart: Detector = (scene) => {
  const { all, claimed } = scene;
  const episodes: { drop: CloseReport; failures: CloseReport[]; back: boolean }[] = [];
  all.forEach((drop, i) => {
    if (claimed.has(drop) || !isDrop(drop)) return;
    const after = all.slice(i + 1);
    const end = after.findIndex((r) => !isFailedHandshake(r) || claimed.has(r));
    const failures = end === -1 ? after : after.slice(0, end);
    if (failures.length === 0) return;
    const next = after[failures.length];
    const back = next ? next.phase === 'open' : scene.context.connected === true;
    episodes.push({ drop, failures, back });
  });
  if (episodes.length === 0) return [];
  const failures = episodes.flatMap((e) => e.failures);
  const timeouts = failures.filter((r) => r.libraryCause === 'connect-timeout').length;
  const back = episodes.filter((e) => e.back).length;
  const downMs = episodes.map((e) => (e.failures.at(-1)?.at ?? e.drop.at) - e.drop.at);
  const evidence =
    `${count(episodes.length, 'drop')} without a close frame, each followed by failed handshakes (${failures.length - timeouts} failed at once, ${timeouts} timed out) ` +
    `for ${secondsRange(downMs)}; ${back === episodes.length ? 'then the connection opened again' : back > 0 ? `${back} recovered` : 'not connected again yet'}`;
  const confidence = back > 0 && (episodes.length >= 2 || failures.length >= 2) ? 'high' : 'medium';
  return [finding(scene, 'server-restart', confidence, [...episodes.map((e) => e.drop), ...failures], evidence)];
};

/** Every attempt failed before `open`, and no connection opened in the window. */
const handshakes: Detector = (scene) => {
  if (scene.context.connected === true || scene.all.some((r) => r.phase === 'open')) return [];
  const closes = unclaimed(scene, isFailedHandshake);
  if (closes.length === 0) return [];
  const timeouts = closes.filter((r) => r.libraryCause === 'connect-timeout');
  const cause = timeouts.length * 2 > closes.length ? 'handshake-timeout' : 'handshake-rejected';
  const evidence = `${closes.length === 1 ? '1 attempt' : `${closes.length} attempts in a row`} failed before open and none ever opened: ${closes.length - timeouts.length} failed at once, ${timeouts.length} hit the connect timeout${soFar(closes.length, 'attempt')}`;
  return [finding(scene, cause, level(closes.length, 3, 2), closes, evidence)];
};

/** Drops after the same silence: an intermediary's idle timeout, at whatever value. */
const idleTimeout: Detector = (scene) => {
  const drops = unclaimed(scene, isDrop);
  const candidates = drops.flatMap((r) => (r.sinceLastMessageMs !== null && r.sinceLastMessageMs >= 1_000 ? [{ r, silence: r.sinceLastMessageMs }] : []));
  let group: typeof candidates = [];
  for (const center of candidates) {
    const near = candidates.filter(({ silence }) => sameSilence(silence, center.silence));
    if (near.length > group.length) group = near;
  }
  const members = group.map(({ r }) => r);
  const silences = group.map(({ silence }) => silence).sort((a, b) => a - b);
  const timeoutMs = silences[Math.floor(silences.length / 2)];
  if (timeoutMs === undefined) return [];
  const known = matchKnown(timeoutMs);
  if (members.length === 1 && !known) return [];
  const hb = scene.context.heartbeat;
  const intervalMs = hb && hb.mode !== 'passive' ? hb.intervalMs : null;
  const pinged = hb === undefined && members.some((r) => r.sinceLastPongMs !== null);
  const despite = pinged || (intervalMs !== null && intervalMs >= timeoutMs * 0.9);
  const passive = hb !== undefined && hb !== false && hb.mode === 'passive';
  const heartbeatWords =
    hb === false ? 'heartbeat off' : passive ? 'heartbeat passive' : intervalMs !== null ? `heartbeat every ${seconds(intervalMs)}` : pinged ? 'heartbeat on' : 'heartbeat unknown';
  const share = members.length / drops.length;
  const confidence = members.length >= 3 ? (share >= 0.6 ? 'high' : 'medium') : members.length === 2 ? 'medium' : 'low';
  const evidence = `${members.length} of the last ${count(drops.length, 'drop')} came ${secondsRange(silences)} after the last inbound message, ${heartbeatWords}${soFar(members.length, 'drop')}`;
  const matches = known ? `: matches ${known.who}` : ', which matches no common default';
  return [
    finding(scene, despite ? 'idle-timeout-despite-heartbeat' : 'idle-timeout', confidence, members, evidence, {
      summary: `${despite ? summaries['idle-timeout-despite-heartbeat'] : summaries['idle-timeout']} (${seconds(timeoutMs)})${matches}`,
      fix: idleFix(known ? Math.min(known.ms, timeoutMs) : timeoutMs, known, despite ? (intervalMs ?? 'unknown') : passive ? 'passive' : null),
      timeoutMs,
      ...(known ? { matches: known.who } : {}),
    }),
  ];
};

/** A connection lifetime limit is minutes or hours: shorter constant lifetimes are left to the other patterns. */
const minLifetimeMs = 30_000;
/** Two lifetimes this close (1 %, at least 1 s) are the same limit. */
const sameLifetime = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(1_000, b * 0.01);
/** The codes a lifetime limit closes with: a plain close, "going away", none, or no close frame. A code that names its own cause keeps it. */
const lifetimeCodes: readonly number[] = [1000, 1001, 1005, 1006];
/** Lifetime limits of known services. */
const knownLifetimes: readonly { readonly ms: number; readonly who: string }[] = [{ ms: 7_200_000, who: "AWS API Gateway's 2-hour WebSocket connection limit, which cannot be raised" }];

/**
 * Connections that end after the same time open while their silences
 * differ: a lifetime limit, not an idle timeout. It runs first, so that a
 * limit announced with 1001 (API Gateway's "Going away") is not read as a
 * deploy; constant silences are left to the idle-timeout detector.
 */
const lifetimeLimit: Detector = (scene) => {
  const ends = unclaimed(scene, (r) => lifetimeCodes.includes(r.code) && r.phase === 'open' && r.libraryCause === null && (r.openDurationMs ?? 0) >= minLifetimeMs);
  let group: CloseReport[] = [];
  for (const center of ends) {
    const near = ends.filter((r) => sameLifetime(r.openDurationMs ?? 0, center.openDurationMs ?? 0));
    if (near.length > group.length) group = near;
  }
  if (group.length < 2) return [];
  const lifetimes = group.map((r) => r.openDurationMs ?? 0).sort((a, b) => a - b);
  const silences = group.map((r) => r.sinceLastMessageMs ?? 0).sort((a, b) => a - b);
  const lifetimeMs = lifetimes[Math.floor(lifetimes.length / 2)] ?? 0;
  const silenceMs = silences[Math.floor(silences.length / 2)] ?? 0;
  if (silences.every((silence) => sameSilence(silence, silenceMs))) return [];
  const known = knownLifetimes.find((limit) => sameLifetime(lifetimeMs, limit.ms));
  const confidence = group.length >= 3 ? (group.length * 2 >= scene.considered.length ? 'high' : 'medium') : 'medium';
  const evidence = `${group.length} of the last ${count(scene.considered.length, 'close')} came ${secondsRange(lifetimes)} after opening, ${secondsRange(silences)} after the last inbound message: a fixed lifetime, not a silence`;
  const matches = known ? `: matches ${known.who}` : '';
  return [
    finding(scene, 'connection-age-limit', confidence, group, evidence, {
      summary: `${summaries['connection-age-limit']} (${seconds(lifetimeMs)})${matches}`,
      lifetimeMs,
      ...(known ? { matches: known.who } : {}),
    }),
  ];
};

/** Whatever drops are left: said plainly, with low confidence. */
const unexplained: Detector = (scene) => {
  const drops = unclaimed(scene, isDrop);
  if (drops.length === 0) return [];
  const silences = drops.map((r) => r.sinceLastMessageMs ?? 0);
  const evidence = `${count(drops.length, 'drop')} without a close frame after ${secondsRange(silences)} of silence${drops.length > 1 ? ', not a constant value' : ''}${soFar(drops.length, 'drop')}`;
  return [finding(scene, 'unexplained-drop', 'low', drops, evidence)];
};

/** The detectors, in the order they claim closes. */
export const detectors: readonly Detector[] = [lifetimeLimit, byCode, providerFailures, network, heartbeat, flapping, serverRestart, handshakes, idleTimeout, unexplained];
