/**
 * The shapes of a diagnosis: what {@link diagnose} reads and what it returns.
 *
 * @module
 */

import type { EnvironmentSignal } from '../core/environment.js';
import type { CloseReport } from '../core/report.js';

/**
 * The stable id of a cause. New causes may be added; an id never changes
 * meaning.
 *
 * - `idle-timeout`: an intermediary (reverse proxy, load balancer, NAT)
 *   cuts connections after a constant silence.
 * - `idle-timeout-despite-heartbeat`: the same, with a heartbeat whose
 *   interval is longer than that silence.
 * - `server-restart`: the server crashed or restarted: a drop without a
 *   close frame, then failed handshakes, then (usually) success.
 * - `network-loss`: the device went offline, changed network or slept.
 * - `half-open`: the heartbeat found the connection dead (half-open TCP).
 * - `heartbeat-unanswered`: the server never answers the heartbeat's pings.
 * - `handshake-timeout`: every attempt hangs until the connect timeout
 *   (packets dropped: firewall, a proxy that swallows upgrades).
 * - `handshake-rejected`: every attempt fails at once before `open`
 *   (refused, wrong URL, TLS, HTTP 401/403/404 on the upgrade, a proxy
 *   without WebSocket support).
 * - `url-provider-failed`: the URL or protocols provider threw or rejected.
 * - `auth`: 1008 or an application auth code (4401, 4403 by default).
 * - `message-too-big`: 1009. `server-error`: 1011 (or 1014).
 *   `deploy`: 1001, 1012. `overload`: 1013.
 * - `flapping`: connections that open and close again within a second.
 * - `connection-age-limit`: the server or an intermediary ends every
 *   connection after the same lifetime, whatever the traffic (AWS API
 *   Gateway: 2 hours).
 * - `unexplained-drop`: drops without a close frame that match no pattern.
 */
export type Cause =
  | 'idle-timeout'
  | 'idle-timeout-despite-heartbeat'
  | 'server-restart'
  | 'network-loss'
  | 'half-open'
  | 'heartbeat-unanswered'
  | 'handshake-timeout'
  | 'handshake-rejected'
  | 'url-provider-failed'
  | 'auth'
  | 'message-too-big'
  | 'server-error'
  | 'deploy'
  | 'overload'
  | 'flapping'
  | 'connection-age-limit'
  | 'unexplained-drop';

/** How sure a finding is: `low` means thin evidence (one close so far), said so in `evidence`. */
export type Confidence = 'low' | 'medium' | 'high';

/** One likely cause of recent closes. */
export interface Finding {
  /** The stable id of the cause. */
  readonly cause: Cause;
  /** How sure the library is. */
  readonly confidence: Confidence;
  /** How many of the considered closes this finding explains. */
  readonly closes: number;
  /** What happened, in one sentence. */
  readonly summary: string;
  /** The evidence, in numbers ("4 of the last 5 drops came 60.0-60.2 s after the last inbound message, heartbeat off"). */
  readonly evidence: string;
  /** The fix, in one or two sentences, with the concrete setting. */
  readonly fix: string;
  /** For the idle-timeout causes: the measured timeout, in ms. */
  readonly timeoutMs?: number;
  /** For `connection-age-limit`: the measured lifetime, in ms. */
  readonly lifetimeMs?: number;
  /** For the idle-timeout causes and the connection age limit: the intermediary whose default it matches, if any. */
  readonly matches?: string;
}

/** The result of {@link diagnose}. */
export interface Diagnosis {
  /** The likely causes, most likely first; empty when nothing abnormal happened. */
  readonly findings: readonly Finding[];
  /** The cause of the first finding, or `null` when there is none. */
  readonly cause: Cause | null;
  /** The confidence of the first finding, or `null` when there is none. */
  readonly confidence: Confidence | null;
  /** One line for a log or a support ticket. */
  readonly summary: string;
  /** How many closes were considered (application closes and back/forward-cache closes are not). */
  readonly considered: number;
  /**
   * Causes and confidences in order (`idle-timeout:high,...`): equal
   * signatures mean the same diagnosis. The `diagnosis` event fires when it changes.
   */
  readonly signature: string;
}

/** A signal from the environment, and when it came (on the socket's clock). */
export interface SignalRecord {
  /** The signal. */
  readonly signal: EnvironmentSignal;
  /** When it came. */
  readonly at: number;
}

/** What {@link diagnose} may know besides the close reports; every field is optional. */
export interface DiagnosisContext {
  /** The heartbeat settings, or `false` when it is off. Unknown when missing. */
  readonly heartbeat?: false | { readonly mode?: 'active' | 'passive'; readonly intervalMs: number; readonly timeoutMs: number };
  /** Recent network and page signals, oldest first: drops near `offline`/`online` or while asleep are the network. */
  readonly signals?: readonly SignalRecord[];
  /** Whether a connection is open now (after failed handshakes, it means the server is back). */
  readonly connected?: boolean;
  /** Application close codes that mean failed authentication. @defaultValue `[4401, 4403]` */
  readonly authCodes?: readonly number[];
}

/** A function with the signature of {@link diagnose}, as the `diagnose` option takes it. */
export type DiagnoseFunction = (history: readonly CloseReport[], context: DiagnosisContext) => Diagnosis;
