/**
 * What the companion knows about one closed connection, and the log line
 * that says it. Pure.
 *
 * @module
 */

import type { IncomingMessage } from 'node:http';
import { redactUrl } from '../core/report.js';

/** Why the companion itself ended a connection, or `null` when it did not. */
export type CompanionCause = 'heartbeat-timeout' | 'shutdown' | null;

/** One closed connection, as logged and emitted by the `disconnect` event. */
export interface CloseRecord {
  /** The request URL, with userinfo and query values masked (`?token=***`). */
  readonly url: string;
  /** The client's address as the server's socket saw it (a proxy's, behind one). */
  readonly remoteAddress: string | null;
  /** The close code: 1006 when no close frame arrived (terminated, network cut). */
  readonly code: number;
  /** The close reason the peer sent. */
  readonly reason: string;
  /** Whether the closing handshake completed: the server-side equivalent of the client's `wasClean` (a code other than 1006). */
  readonly wasClean: boolean;
  /** How long the connection was open, in ms. */
  readonly durationMs: number;
  /** How long the client had been silent (no message, no ping, no pong), in ms. */
  readonly idleMs: number;
  /** `'heartbeat-timeout'` (terminated for not answering pings), `'shutdown'`, or `null`: the peer, the network or the application. */
  readonly cause: CompanionCause;
  /** When it closed, on the companion's clock. */
  readonly at: number;
}

/** The request URL of a connection, safe to log: userinfo and query values masked, the fragment dropped. */
export function requestUrl(request: IncomingMessage | undefined): string {
  if (request === undefined) return '[unknown]';
  const encrypted = (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const target = request.url ?? '/';
  // An origin-form target (`/path?query`) resolves against the Host header; an absolute one
  // (`ws://user:pass@host/...`) must have a WebSocket or HTTP scheme, whose userinfo the URL parser finds.
  if (!target.startsWith('/') && !/^(?:wss?|https?):\/\//i.test(target)) return '[invalid URL]';
  let href: string;
  try {
    href = new URL(target, `${encrypted ? 'wss' : 'ws'}://${request.headers.host ?? 'localhost'}`).href;
  } catch {
    return '[invalid URL]';
  }
  return redactUrl(href);
}

/** The path of a request's URL as `ws` matches its `path` option: the target up to `?`. Never throws. */
export function requestPath(request: IncomingMessage): string {
  const target = request.url ?? '/';
  const question = target.indexOf('?');
  return question === -1 ? target : target.slice(0, question);
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The log line of a {@link CloseRecord}: code, reason, cleanliness, duration, idle time, URL, cause. */
export function formatCloseRecord(record: CloseRecord): string {
  const reason = record.reason === '' ? '' : ` ${JSON.stringify(record.reason)}`;
  const cause = record.cause === null ? '' : ` [${record.cause}]`;
  const from = record.remoteAddress === null ? '' : ` from ${record.remoteAddress}`;
  return `websocket closed ${record.code}${reason} ${record.wasClean ? 'clean' : 'not clean'} after ${seconds(record.durationMs)} (idle ${seconds(record.idleMs)}) ${record.url}${from}${cause}`;
}
