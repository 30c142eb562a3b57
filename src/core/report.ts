/**
 * The close report: everything known about one close, and a sentence that
 * explains it. This is what turns "1006, wasClean false" into a diagnosis.
 *
 * @module
 */

import type { CloseClass, Initiator, Phase } from './close-codes.js';
import type { Decision } from './policy.js';

/** Why the library itself ended a connection. */
export type LibraryCause = 'heartbeat-timeout' | 'connect-timeout' | 'provider-failed' | 'page-hidden';

/** Everything known about one close. */
export interface CloseReport {
  /** The close code the application sees: 1006 for every close without a close frame. */
  readonly code: number;
  /** The close reason (for library closes, the cause in words). */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
  /** The class of `code`. */
  readonly class: CloseClass;
  /** Who ended the connection. */
  readonly initiator: Initiator;
  /** Whether it ended before (`handshake`) or after (`open`) the socket opened. */
  readonly phase: Phase;
  /** Set when the library ended the connection itself. */
  readonly libraryCause: LibraryCause | null;
  /** The URL of the attempt, with credentials and query values masked. */
  readonly url: string;
  /** How many retries preceded this connection since the last stable one (0 for the first). */
  readonly attempt: number;
  /** When the close happened, on the socket's clock. */
  readonly at: number;
  /** How long the connection had been open, or `null` if it never opened. */
  readonly openDurationMs: number | null;
  /** Time since the last inbound message (or since `open`), or `null` if it never opened. */
  readonly sinceLastMessageMs: number | null;
  /** Time since the last heartbeat pong, or `null` if none arrived. */
  readonly sinceLastPongMs: number | null;
  /** Whether an `error` event preceded the close. */
  readonly errorFirst: boolean;
  /** Whether the browser said it was online, or `null` where it cannot tell. */
  readonly online: boolean | null;
  /** Whether the page was visible, or `null` where there is no page. */
  readonly visible: boolean | null;
  /** What the library decided to do about it. */
  readonly decision: Decision;
  /** The wait before the next attempt, or `null` when there is none. */
  readonly delayMs: number | null;
  /**
   * One sentence on the likely cause, for logs and support tickets. Filled
   * in the development build only; the production build leaves it `''` to
   * save 1 kB, and `explainClose(report)` gives the same sentence in either.
   */
  readonly explanation: string;
}

/** A report before the policy has been asked: what {@link decide} sees. */
export type CloseSummary = Omit<CloseReport, 'decision' | 'delayMs' | 'explanation'>;

/** Idle timeouts of common intermediaries, in ms: a drop after exactly this much silence points at them. */
export const knownIdleTimeouts: readonly { readonly ms: number; readonly who: string }[] = [
  { ms: 30_000, who: 'a 30 s load-balancer or corporate-proxy idle timeout' },
  { ms: 55_000, who: "Heroku's 55 s idle timeout" },
  { ms: 60_000, who: "nginx's proxy_read_timeout or AWS ALB's idle timeout (60 s)" },
  { ms: 100_000, who: "Cloudflare's 100 s idle timeout" },
];

const serverReasons: Partial<Record<CloseClass, string>> = {
  normal: 'the server closed the connection normally',
  'no-status': 'the server closed without a status code',
  'going-away': 'the server is going away (shutdown, deploy or restart)',
  'protocol-error': 'the server reported a protocol error',
  'unsupported-data': 'the server cannot accept this type of data',
  'invalid-payload': 'the server received invalid data (for instance bad UTF-8)',
  'policy-violation': 'the server refused by policy, most often failed authentication: check the token',
  'message-too-big': 'a message exceeded the server’s size limit',
  'mandatory-extension': 'the server did not offer an extension the client requires',
  'server-error': 'the server hit an internal error',
  'service-restart': 'the service is restarting',
  'try-again-later': 'the server is overloaded and asked to try again later',
  'bad-gateway': 'a gateway got a bad answer from upstream',
  'tls-handshake': 'the TLS handshake failed',
};

/**
 * A human sentence on the likely cause of a close: what `report.explanation`
 * holds in the development build. Pure; call it on any report in a
 * production build, where `explanation` is `''`.
 *
 * @example
 * ```ts
 * ws.addEventListener('close', (event) => console.warn(event.code, explainClose(event.report)));
 * ```
 */
export function explainClose(report: CloseSummary): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  if (report.initiator === 'client') return 'closed by the application';
  switch (report.libraryCause) {
    case 'heartbeat-timeout':
      return `no message for ${seconds(report.sinceLastMessageMs ?? 0)} despite a ping: the connection was half-open (the peer or a network path vanished without closing it)`;
    case 'connect-timeout':
      return 'the handshake did not complete in time: a proxy that does not pass WebSocket upgrades, a firewall that drops packets, or an overloaded server';
    case 'provider-failed':
      return 'the URL or protocols provider threw or rejected, so no connection was attempted';
    case 'page-hidden':
      return 'closed while the page entered the back/forward cache';
    case null:
      break;
  }
  if (report.initiator === 'server') return serverReasons[report.class] ?? `the server closed with code ${report.code}`;
  if (report.online === false) return 'the browser went offline (Wi-Fi dropped or the network changed)';
  if (report.phase === 'handshake') {
    return 'the connection could not be established: DNS, refused connection, TLS, an HTTP error on the upgrade (401, 403, 404) or a proxy that blocks WebSockets (browsers report all of these as 1006)';
  }
  const silence = report.sinceLastMessageMs;
  if (silence !== null) {
    const match = knownIdleTimeouts.find(({ ms }) => Math.abs(silence - ms) <= Math.max(1000, ms * 0.03));
    if (match) return `dropped after ${seconds(silence)} of silence: matches ${match.who}; enable the heartbeat with an interval well below it`;
  }
  if (report.visible === false) return 'dropped while the page was hidden: the device may have slept or suspended the network';
  return 'dropped without a close frame: the server crashed or restarted, the network changed, or an intermediary cut the connection';
}

/**
 * The URL with its secrets masked: userinfo and every query value become
 * `***`, the fragment is dropped. Safe for reports and log lines.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[invalid URL]';
  }
  if (parsed.username) parsed.username = '***';
  if (parsed.password) parsed.password = '***';
  // Keep parameter names (`token=***`), but a bare value (`?eyJhbGci...`) may itself be the secret.
  const parts = parsed.search.slice(1).split('&').filter((part) => part !== '');
  if (parts.length > 0) parsed.search = parts.map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('='))}=***` : '***')).join('&');
  parsed.hash = '';
  return parsed.href;
}

/** `text` with every URL in it passed through {@link redactUrl}: for error messages that may quote one. */
export function redactUrls(text: string): string {
  return text.replace(/\w+:\/\/[^\s'"]+/g, redactUrl);
}
