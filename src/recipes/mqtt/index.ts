/**
 * `resilient-websocket/recipes/mqtt`: the heartbeat for MQTT.js over
 * WebSocket. The ping is MQTT's own PINGREQ (`0xC0 0x00`), which every
 * broker answers with PINGRESP (`0xD0 0x00`); the answer still reaches
 * MQTT.js, which treats it as its own keep-alive answer. No dependency on
 * MQTT.js.
 *
 * @example
 * ```ts
 * import mqtt from 'mqtt';
 * import { ResilientWebSocket } from 'resilient-websocket';
 * import { mqttHeartbeat } from 'resilient-websocket/recipes/mqtt';
 *
 * // MQTT.js reconnects on its own (reconnectPeriod): the socket must not.
 * const Transport = ResilientWebSocket.with({ reconnect: false, buffer: false, heartbeat: mqttHeartbeat() });
 * const client = mqtt.connect('wss://broker.example/mqtt', {
 *   createWebsocket: (url, protocols) => new Transport(url, protocols),
 *   forceNativeWebSocket: true, // in Node: the WebSocket-shaped path, not the `ws` stream
 * });
 * ```
 *
 * @packageDocumentation
 */

import type { HeartbeatOptions } from 'resilient-websocket';
import { protocolHeartbeat, type RecipeTiming } from '../shared.js';

export type { RecipeTiming } from '../shared.js';

/**
 * A fresh MQTT PINGREQ packet (fixed header `0xC0`, remaining length 0).
 * Any MQTT version answers it with PINGRESP; a packet of its own in its own
 * WebSocket message, it never splits one of MQTT.js's packets (each is
 * written whole, within one task, before a heartbeat timer can run).
 */
export function mqttPingreq(): Uint8Array {
  return Uint8Array.of(0xc0, 0x00);
}

/**
 * Heartbeat options for MQTT over WebSocket: PINGREQ after `intervalMs` of
 * inbound silence, dead if nothing arrives within `timeoutMs`. The broker
 * must have received CONNECT first, which MQTT.js sends as the socket opens.
 *
 * @param timing - the interval and timeout, 5 s each by default
 * @returns the `heartbeat` option of `ResilientWebSocket.with()`
 */
export function mqttHeartbeat(timing?: RecipeTiming): HeartbeatOptions {
  return protocolHeartbeat('mqttHeartbeat', mqttPingreq, timing);
}
