/**
 * `resilient-websocket/recipes/y-websocket`: the heartbeat for Yjs's
 * y-websocket provider. The ping is a y-protocols sync step 1 carrying the
 * document's state vector (what the provider's own `resyncInterval` sends);
 * every y-websocket server answers it with a sync step 2 holding only what
 * the client lacks, which the provider applies as usual. The server ignores
 * the default `'ping'` text, so the default heartbeat would close healthy
 * connections. No dependency on Yjs: you pass the state vector.
 *
 * @example
 * ```ts
 * import * as Y from 'yjs';
 * import { WebsocketProvider } from 'y-websocket';
 * import { ResilientWebSocket } from 'resilient-websocket';
 * import { yWebsocketHeartbeat } from 'resilient-websocket/recipes/y-websocket';
 *
 * const doc = new Y.Doc();
 * // The provider reconnects on its own: the socket must not.
 * const Transport = ResilientWebSocket.with({ reconnect: false, buffer: false, heartbeat: yWebsocketHeartbeat(() => Y.encodeStateVector(doc)) });
 * const provider = new WebsocketProvider('wss://yjs.example', 'my-room', doc, { WebSocketPolyfill: Transport });
 * ```
 *
 * @packageDocumentation
 */

import type { HeartbeatOptions } from 'resilient-websocket';
import { checkStateVector, protocolHeartbeat, syncStep1Bytes, type RecipeTiming } from '../shared.js';

export type { RecipeTiming } from '../shared.js';

/**
 * A y-websocket sync step 1 message: `[messageSync, syncStep1, varUint8Array(stateVector)]`.
 *
 * @param stateVector - the document's state vector (`Y.encodeStateVector(doc)`)
 */
export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  return Uint8Array.from(syncStep1Bytes(stateVector));
}

/**
 * Heartbeat options for y-websocket: a sync step 1 after `intervalMs` of
 * inbound silence, dead if nothing arrives within `timeoutMs`.
 *
 * @param stateVector - called for each ping: `() => Y.encodeStateVector(doc)`,
 *   so the answer holds only what the document lacks
 * @param timing - the interval and timeout, 5 s each by default
 * @returns the `heartbeat` option of `ResilientWebSocket.with()`
 */
export function yWebsocketHeartbeat(stateVector: () => Uint8Array, timing?: RecipeTiming): HeartbeatOptions {
  checkStateVector('yWebsocketHeartbeat', stateVector);
  return protocolHeartbeat('yWebsocketHeartbeat', () => syncStep1Message(stateVector()), timing);
}
