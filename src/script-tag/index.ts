/**
 * The script-tag entry: the global `ResilientWebSocket` is the class itself,
 * so `new ResilientWebSocket(url)` works after `<script src=...>`, and every
 * other public export hangs off it as a static property, except `diagnose`
 * (4.3 kB, which most pages never call): its own script-tag file,
 * src/script-tag/diagnose.ts, adds `ResilientWebSocket.diagnose` when loaded after
 * this one.
 *
 * @module
 */

import type * as api from '../index.js';
import {
  BackoffStrategy,
  browserEnvironment,
  classifyClose,
  classifyCode,
  CloseClass,
  closedSnapshot,
  computeDelay,
  connectingSnapshot,
  createSocketStore,
  decide,
  defaultPolicy,
  defaults,
  DiagnosisEvent,
  DropEvent,
  ErrorCode,
  explainClose,
  findSharedSocket,
  GiveUpEvent,
  isResilientWebSocketError,
  knownIdleTimeouts,
  leaseSocket,
  logClose,
  OverflowPolicy,
  presets,
  ReconnectingEvent,
  redactUrl,
  redactUrls,
  ResilientCloseEvent,
  ResilientWebSocket,
  ResilientWebSocketError,
  socketKey,
  StateChangeEvent,
  staticEnvironment,
  systemClock,
} from '../index.js';

/**
 * Every value export of the main entry but the class and `diagnose`: the
 * type makes a new export a compile error here until it is listed.
 */
const statics: Omit<typeof api, 'ResilientWebSocket' | 'diagnose'> = {
  BackoffStrategy,
  browserEnvironment,
  classifyClose,
  classifyCode,
  CloseClass,
  closedSnapshot,
  computeDelay,
  connectingSnapshot,
  createSocketStore,
  decide,
  defaultPolicy,
  defaults,
  DiagnosisEvent,
  DropEvent,
  ErrorCode,
  explainClose,
  findSharedSocket,
  GiveUpEvent,
  isResilientWebSocketError,
  knownIdleTimeouts,
  leaseSocket,
  logClose,
  OverflowPolicy,
  presets,
  ReconnectingEvent,
  redactUrl,
  redactUrls,
  ResilientCloseEvent,
  ResilientWebSocketError,
  socketKey,
  StateChangeEvent,
  staticEnvironment,
  systemClock,
};

for (const [name, value] of Object.entries(statics)) Object.defineProperty(ResilientWebSocket, name, { value, enumerable: true });

export default ResilientWebSocket;
