/**
 * `resilient-websocket/recipes/phoenix`: the heartbeat for the Phoenix
 * JavaScript client (`phoenix` on npm). The ping is Phoenix's own
 * heartbeat, `[null, ref, "phoenix", "heartbeat", {}]` in the V2 JSON
 * serializer's framing, which every Phoenix socket answers with a
 * `phx_reply` carrying the same ref. The ref is not a number, so it never
 * meets one of phoenix.js's own refs (`"1"`, `"2"`, ...), and the reply is
 * claimed as the pong: phoenix.js never asked for it, so it does not see
 * it. No dependency on phoenix.js.
 *
 * @example
 * ```ts
 * import { Socket } from 'phoenix';
 * import { ResilientWebSocket } from 'resilient-websocket';
 * import { phoenixHeartbeat } from 'resilient-websocket/recipes/phoenix';
 *
 * // phoenix.js reconnects (reconnectAfterMs) and rejoins (rejoinAfterMs) on its own: the socket must not.
 * const transport = ResilientWebSocket.with({ reconnect: false, buffer: false, heartbeat: phoenixHeartbeat() });
 * const socket = new Socket('/socket', { transport, params: { token } });
 * socket.connect();
 * ```
 *
 * @packageDocumentation
 */

import type { HeartbeatOptions } from 'resilient-websocket';
import { protocolHeartbeat, type RecipeTiming } from '../shared.js';

export type { RecipeTiming } from '../shared.js';

/** The ref of the recipe's heartbeats. Not a decimal number, so no ref phoenix.js makes is ever equal to it. */
export const phoenixHeartbeatRef = 'rws:heartbeat';

/**
 * Phoenix's heartbeat as the V2 JSON serializer frames it:
 * `[join_ref, ref, topic, event, payload]` with no join ref, the recipe's
 * ref, the reserved topic `phoenix` and an empty payload. A text message:
 * a Phoenix socket reads binary messages as the binary serializer's frames.
 */
export const phoenixHeartbeatMessage = `[null,"${phoenixHeartbeatRef}","phoenix","heartbeat",{}]`;

const quotedRef = `"${phoenixHeartbeatRef}"`;

/**
 * Whether `data` is the reply to the recipe's heartbeat:
 * `[null, "rws:heartbeat", "phoenix", "phx_reply", {status, response}]`.
 * Only a text message holding the ref is parsed, so the check costs a
 * substring search per message.
 */
export function isPhoenixHeartbeatReply(data: unknown): boolean {
  if (typeof data !== 'string' || !data.includes(quotedRef)) return false;
  try {
    const message: unknown = JSON.parse(data);
    return Array.isArray(message) && message[1] === phoenixHeartbeatRef && message[2] === 'phoenix' && message[3] === 'phx_reply';
  } catch {
    return false;
  }
}

/**
 * Heartbeat options for a Phoenix socket: Phoenix's own heartbeat after
 * `intervalMs` of inbound silence, dead if nothing arrives within
 * `timeoutMs` (phoenix.js's own heartbeat, every 30 s by default and given
 * as long again for its reply, keeps running). For the default V2 JSON
 * serializer; with a custom `encode`/`decode`, pass a heartbeat of your
 * own in that encoding.
 *
 * @param timing - the interval and timeout, 5 s each by default
 * @returns the `heartbeat` option of `ResilientWebSocket.with()`
 */
export function phoenixHeartbeat(timing?: RecipeTiming): HeartbeatOptions {
  return { ...protocolHeartbeat('phoenixHeartbeat', phoenixHeartbeatMessage, timing), isPong: isPhoenixHeartbeatReply };
}
