/**
 * `resilient-websocket/recipes/hocuspocus`: the heartbeat for the
 * Hocuspocus provider. Hocuspocus frames every message with the document
 * name; the ping is its sync step 1 for a document the socket has open
 * (what the provider's own `forceSyncInterval` sends), which the server
 * answers with a sync step 2 and its own sync step 1 (the provider answers
 * that, and the server acknowledges). The server answers neither the
 * default `'ping'` text nor a QueryAwareness. No dependency on Hocuspocus
 * or Yjs: you pass the name and the state vector.
 *
 * @example
 * ```ts
 * import * as Y from 'yjs';
 * import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
 * import { ResilientWebSocket } from 'resilient-websocket';
 * import { hocuspocusHeartbeat } from 'resilient-websocket/recipes/hocuspocus';
 *
 * const document = new Y.Doc();
 * // The provider reconnects on its own: the socket must not.
 * const Transport = ResilientWebSocket.with({ reconnect: false, buffer: false, heartbeat: hocuspocusHeartbeat('my-document', () => Y.encodeStateVector(document)) });
 * const socket = new HocuspocusProviderWebsocket({ url: 'wss://collab.example', WebSocketPolyfill: Transport });
 * const provider = new HocuspocusProvider({ websocketProvider: socket, name: 'my-document', document });
 * provider.attach();
 * ```
 *
 * @packageDocumentation
 */

import type { HeartbeatOptions } from 'resilient-websocket';
import { isDevelopment } from '../../core/mode.js';
import { checkStateVector, protocolHeartbeat, syncStep1Bytes, varUint, type RecipeTiming } from '../shared.js';

export type { RecipeTiming } from '../shared.js';

/**
 * A Hocuspocus sync step 1 message: `[varString(documentName), Sync (0), syncStep1 (0), varUint8Array(stateVector)]`.
 *
 * @param documentName - the `name` of a provider on this socket
 * @param stateVector - that document's state vector (`Y.encodeStateVector(doc)`)
 */
export function hocuspocusSyncStep1Message(documentName: string, stateVector: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(documentName);
  return Uint8Array.from([...varUint(name.byteLength), ...name, ...syncStep1Bytes(stateVector)]);
}

/**
 * Heartbeat options for Hocuspocus: a sync step 1 for `documentName` after
 * `intervalMs` of inbound silence, dead if nothing arrives within
 * `timeoutMs`. With several documents on one socket, name any one that
 * stays open as long as the socket.
 *
 * @param documentName - a document this socket has open (the provider's `name`)
 * @param stateVector - called for each ping: `() => Y.encodeStateVector(doc)`
 *   for that document, so the answer holds only what it lacks
 * @param timing - the interval and timeout, 5 s each by default
 * @returns the `heartbeat` option of `ResilientWebSocket.with()`
 */
export function hocuspocusHeartbeat(documentName: string, stateVector: () => Uint8Array, timing?: RecipeTiming): HeartbeatOptions {
  if (typeof documentName !== 'string' || documentName === '') {
    throw new TypeError(
      isDevelopment ? `Expected the documentName argument of hocuspocusHeartbeat() to be the name of a document the socket has open (a non-empty string), got ${documentName === '' ? "''" : typeof documentName}` : 'hocuspocusHeartbeat: documentName',
    );
  }
  checkStateVector('hocuspocusHeartbeat', stateVector);
  return protocolHeartbeat('hocuspocusHeartbeat', () => hocuspocusSyncStep1Message(documentName, stateVector()), timing);
}
