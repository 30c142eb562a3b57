/**
 * `resilient-websocket/recipes/hocuspocus`: the heartbeat for the
 * Hocuspocus provider. Hocuspocus frames every message with the document
 * name; the ping is its QueryAwareness message for a document the socket
 * has open, which the server answers with that document's awareness states
 * (the provider applies them as usual). The server ignores the default
 * `'ping'` text. No dependency on Hocuspocus.
 *
 * @example
 * ```ts
 * import * as Y from 'yjs';
 * import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
 * import { ResilientWebSocket } from 'resilient-websocket';
 * import { hocuspocusHeartbeat } from 'resilient-websocket/recipes/hocuspocus';
 *
 * // The provider reconnects on its own: the socket must not.
 * const Transport = ResilientWebSocket.with({ reconnect: false, buffer: false, heartbeat: hocuspocusHeartbeat('my-document') });
 * const websocketProvider = new HocuspocusProviderWebsocket({ url: 'wss://collab.example', WebSocketPolyfill: Transport });
 * const provider = new HocuspocusProvider({ websocketProvider, name: 'my-document', document: new Y.Doc() });
 * ```
 *
 * @packageDocumentation
 */

import type { HeartbeatOptions } from 'resilient-websocket';
import { isDevelopment } from '../../core/mode.js';
import { protocolHeartbeat, varUint, type RecipeTiming } from '../shared.js';

export type { RecipeTiming } from '../shared.js';

/** Hocuspocus's message type asking the server for a document's awareness states. */
const messageQueryAwareness = 3;

/**
 * A Hocuspocus QueryAwareness message: `[varString(documentName), 3]`.
 *
 * @param documentName - the `name` of a provider on this socket
 */
export function queryAwarenessMessage(documentName: string): Uint8Array {
  const name = new TextEncoder().encode(documentName);
  const header = varUint(name.byteLength);
  const message = new Uint8Array(header.length + name.byteLength + 1);
  message.set(header);
  message.set(name, header.length);
  message[message.length - 1] = messageQueryAwareness;
  return message;
}

/**
 * Heartbeat options for Hocuspocus: a QueryAwareness for `documentName`
 * after `intervalMs` of inbound silence, dead if nothing arrives within
 * `timeoutMs`. With several documents on one socket, name any one that
 * stays open as long as the socket.
 *
 * @param documentName - a document this socket has open (the provider's `name`)
 * @param timing - the interval and timeout, 5 s each by default
 * @returns the `heartbeat` option of `ResilientWebSocket.with()`
 */
export function hocuspocusHeartbeat(documentName: string, timing?: RecipeTiming): HeartbeatOptions {
  if (typeof documentName !== 'string' || documentName === '') {
    throw new TypeError(
      isDevelopment ? `Expected the first argument of hocuspocusHeartbeat() to be the name of a document the socket has open (a non-empty string), got ${documentName === '' ? "''" : typeof documentName}` : 'hocuspocusHeartbeat: documentName',
    );
  }
  const message = queryAwarenessMessage(documentName);
  return protocolHeartbeat('hocuspocusHeartbeat', () => message.slice(), timing);
}
