/**
 * The sentences of a diagnosis: what each cause means and how to fix it,
 * and the formatting of the numbers in the evidence. No URL, close reason
 * or message ever goes into them.
 *
 * @module
 */

import type { Cause } from './types.js';

/** `60.0 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `60.0-60.2 s`, or `60.0 s` when every value rounds the same. */
export function secondsRange(values: readonly number[]): string {
  const low = seconds(Math.min(...values));
  const high = seconds(Math.max(...values));
  return low === high ? low : `${low.slice(0, -2)}-${high}`;
}

/** `1 drop`, `3 drops`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The note that marks thin evidence. */
export function soFar(n: number, noun: string): string {
  return n === 1 ? ` (one ${noun} so far)` : '';
}

/** An idle timeout that a known intermediary uses by default, and what to do about that one. */
export interface KnownTimeout {
  readonly ms: number;
  readonly who: string;
  readonly raise: string;
}

/** Default idle timeouts of common intermediaries. */
export const knownTimeouts: readonly KnownTimeout[] = [
  { ms: 30_000, who: 'a 30 s load-balancer or corporate-proxy idle timeout', raise: 'or raise that idle timeout' },
  { ms: 55_000, who: "Heroku's router (55 s)", raise: "Heroku's 55 s cannot be raised" },
  {
    ms: 60_000,
    who: "nginx's proxy_read_timeout or an AWS ALB's idle timeout (both 60 s by default)",
    raise: "or raise nginx's proxy_read_timeout and proxy_send_timeout (e.g. 3600s) or the ALB's idle_timeout.timeout_seconds",
  },
  { ms: 100_000, who: "Cloudflare's proxy (100 s)", raise: "Cloudflare's 100 s cannot be raised on most plans" },
  { ms: 120_000, who: 'a 120 s load-balancer idle timeout', raise: 'or raise that idle timeout' },
];

/** The known timeout `ms` matches (within 3 %, at least 1 s), if any. */
export function matchKnown(ms: number): KnownTimeout | undefined {
  return knownTimeouts.find((known) => Math.abs(ms - known.ms) <= Math.max(1_000, known.ms * 0.03));
}

/** A heartbeat interval safely below an idle timeout of `timeoutMs`: under half of it, in round numbers. */
export function suggestedIntervalMs(timeoutMs: number): number {
  const step = timeoutMs >= 4_000 ? 1_000 : 100;
  return Math.max(step, Math.floor((timeoutMs * 0.45) / step) * step);
}

/**
 * The fix for an idle timeout of `timeoutMs`: enable the heartbeat
 * (`heartbeat` null), make it faster (its interval, or `'unknown'`), or, for
 * a passive heartbeat, have the server send more often or ping from the
 * client instead.
 */
export function idleFix(timeoutMs: number, known: KnownTimeout | undefined, heartbeat: number | 'unknown' | 'passive' | null): string {
  const suggested = suggestedIntervalMs(timeoutMs);
  const below = Math.floor(timeoutMs / 100) * 100;
  const setting = `\`heartbeat: { intervalMs: ${suggested} }\``;
  const change =
    heartbeat === null
      ? `Enable the heartbeat with intervalMs below ${below} ms: ${setting}`
      : heartbeat === 'passive'
        ? `The heartbeat is passive, so only the server's traffic keeps the connection busy: have the server ping more often than every ${below} ms, or ping from the client with \`heartbeat: { mode: 'active', intervalMs: ${suggested} }\``
        : `Lower the heartbeat interval${heartbeat === 'unknown' ? '' : ` from ${heartbeat} ms`} to below ${below} ms: ${setting}`;
  const raise = known ? known.raise : `or find the proxy, load balancer or firewall with a ${seconds(timeoutMs)} idle timeout and raise it`;
  return `${change}, ${raise}.`;
}

/** What each cause means, in one sentence (the idle timeouts add their measured value). */
export const summaries: Readonly<Record<Cause, string>> = {
  'idle-timeout': 'An intermediary (reverse proxy, load balancer, NAT) cuts connections after a constant silence',
  'idle-timeout-despite-heartbeat': 'An intermediary cuts connections after a constant silence that is shorter than the heartbeat interval',
  'server-restart': 'The server went away without closing (a crash, an OOM kill or a restart) and refused connections until it was back',
  'network-loss': 'The network went away: the device went offline, changed network or slept',
  'half-open': 'Connections went half-open: the peer or a NAT or proxy on the path forgot them without closing',
  'heartbeat-unanswered': 'The server never answers the heartbeat, so every connection is declared dead',
  'handshake-timeout': 'No connection ever opened: every handshake hangs until the connect timeout (packets dropped, or a proxy that swallows the upgrade)',
  'handshake-rejected':
    'No connection ever opened: every handshake fails at once (a refused port, a wrong URL, TLS, HTTP 401/403/404 on the upgrade, or a proxy without WebSocket support; browsers report all of these as 1006)',
  'url-provider-failed': 'The URL or protocols provider threw or rejected, so no connection was attempted',
  auth: 'The server refuses the connection by policy, most often failed authentication',
  'message-too-big': "A message exceeded the server's size limit",
  'server-error': 'The server hit internal errors',
  deploy: 'The server shut down or restarted on purpose (a deploy, a scale-down)',
  overload: 'The server is overloaded and asked clients to come back later',
  flapping: 'Connections open and close again within a second, repeatedly',
  'connection-age-limit': 'The server or an intermediary ends every connection after the same lifetime, whatever the traffic',
  'unexplained-drop': 'Connections dropped without a close frame, at no constant silence',
};

/** The fix of each cause (the idle timeouts build theirs with {@link idleFix}). */
export const fixes: Readonly<Record<Exclude<Cause, 'idle-timeout' | 'idle-timeout-despite-heartbeat'>, string>> = {
  'server-restart':
    "Check the server's logs and exit status at the time of the drop (an OOM kill shows as exit code 137 or in dmesg); have it close connections with 1001 or 1012 on shutdown so clients know. The reconnect needs no change.",
  'network-loss':
    'Nothing to fix on the server: the library pauses while offline and reconnects when the network returns. Enable the heartbeat to notice dead connections on mobile networks within seconds.',
  'half-open':
    'The heartbeat detected and replaced these connections (lower heartbeat.timeoutMs to notice sooner). If frequent, look for a NAT or firewall with a short TCP idle timeout, or a server that stalls.',
  'heartbeat-unanswered':
    "Answer the ping with 'pong' on the server, or set heartbeat.message and heartbeat.isPong to your protocol's ping and pong, or use `heartbeat: { mode: 'passive' }` if the server pings on its own.",
  'handshake-timeout':
    'Check that the host and port are reachable from the client (firewall, security group) and that every proxy passes WebSocket upgrades (nginx: `proxy_http_version 1.1` and the Upgrade and Connection headers); an overloaded server that accepts too slowly looks the same.',
  'handshake-rejected':
    "Check the URL (ws/wss, host, port, path), the token or cookie the upgrade is authenticated with (HTTP 401/403), the TLS certificate, and that the proxy passes upgrades (nginx: `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection \"upgrade\";`). The server's access log shows the upgrade's HTTP status.",
  'url-provider-failed': 'Look at the function passed as the URL or protocols (a token request failing or hanging); its error message is in each close reason.',
  auth: "Check the token (expired, wrong audience) and refresh it before every attempt with a URL function. The default policy stops after 2 retries of 1008; declare your own auth codes terminal with `policy: { codes: { 4401: 'stop' } }`.",
  'message-too-big': "Send smaller messages (split them), or raise the server's limit (the ws package's `maxPayload`). The default policy does not retry 1009.",
  'server-error': "Look in the server's logs at these times. The library waits at least 2 s between these retries.",
  deploy: 'Nothing to fix: the server closed properly. The library spreads the reconnects (after a 1001 over 0.5-10 s, after a 1012 over 1-10 s) so a deploy does not cause a stampede.',
  overload: 'Scale the server or shed load. The library waits 5 to 60 s between these retries.',
  flapping:
    "The server accepts and then closes at once: look in its logs for why (authentication after connect, a missing sub-protocol, a crash on connect). The backoff keeps growing meanwhile: a connection counts as stable only after `reconnect.stableAfterMs` (10 s).",
  'connection-age-limit':
    'Nothing is lost: the library reconnects after each one. To choose the moment of the gap, call `ws.reconnect()` at a quiet time before the limit, or raise the lifetime limit on the server or the intermediary.',
  'unexplained-drop':
    "Check the server's logs at these times (a crash with an instant restart, a proxy reload, a network change), and enable the heartbeat so dead connections are noticed within seconds.",
};
