/**
 * The protocol recipes' messages, byte for byte against the protocols' own
 * encoders (lib0, y-protocols, mqtt-packet), and their argument checks. The
 * behaviour against real servers is in test/recipes/.
 */

import * as encoding from 'lib0/encoding';
import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { ResilientWebSocket } from '../../src/index.js';
import { hocuspocusHeartbeat, hocuspocusSyncStep1Message } from '../../src/recipes/hocuspocus/index.js';
import { mqttHeartbeat, mqttPingreq } from '../../src/recipes/mqtt/index.js';
import { varUint } from '../../src/recipes/shared.js';
import { syncStep1Message, yWebsocketHeartbeat } from '../../src/recipes/y-websocket/index.js';
import { NodeWebSocket } from '../support/harness.js';

/** A document edited by `clients` distinct clients: its state vector grows past one varUint byte of length. */
function docWithClients(clients: number): Y.Doc {
  const doc = new Y.Doc();
  for (let i = 0; i < clients; i += 1) {
    const other = new Y.Doc();
    other.getArray<number>('a').push([i]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  }
  return doc;
}

const message = (options: { message?: unknown }): Uint8Array => {
  const made = typeof options.message === 'function' ? (options.message as () => unknown)() : options.message;
  return made as Uint8Array;
};

describe('recipe messages', () => {
  it('should encode varUint as lib0 does, across the one-, two- and three-byte boundaries', () => {
    for (const value of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, value);
      expect(varUint(value), String(value)).toEqual([...encoding.toUint8Array(encoder)]);
    }
  });

  it('should make the MQTT PINGREQ that mqtt-packet parses as a pingreq, a fresh copy each time', () => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const packets: string[] = [];
    parser.on('packet', (packet: { cmd: string }) => packets.push(packet.cmd));
    parser.parse(Buffer.from(mqttPingreq()));
    expect(packets).toEqual(['pingreq']);
    expect(mqttPingreq()).not.toBe(mqttPingreq());
    expect([...message(mqttHeartbeat())]).toEqual([0xc0, 0x00]);
  });

  it("should make y-websocket's sync step 1 as the provider writes it, for short and long state vectors", () => {
    for (const clients of [0, 1, 40]) {
      const doc = docWithClients(clients);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep1(encoder, doc);
      expect([...syncStep1Message(Y.encodeStateVector(doc))], `${clients} clients`).toEqual([...encoding.toUint8Array(encoder)]);
      expect([...message(yWebsocketHeartbeat(() => Y.encodeStateVector(doc)))]).toEqual([...encoding.toUint8Array(encoder)]);
    }
  });

  it("should make Hocuspocus's sync step 1 with the document name in front, for short and long non-ASCII names", () => {
    const doc = docWithClients(40);
    for (const name of ['doc', 'é'.repeat(100)]) {
      const encoder = encoding.createEncoder();
      encoding.writeVarString(encoder, name);
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeSyncStep1(encoder, doc);
      expect([...hocuspocusSyncStep1Message(name, Y.encodeStateVector(doc))]).toEqual([...encoding.toUint8Array(encoder)]);
      expect([...message(hocuspocusHeartbeat(name, () => Y.encodeStateVector(doc)))]).toEqual([...encoding.toUint8Array(encoder)]);
    }
  });

  it('should call the state vector for each ping, so each ping carries the document as it is then', () => {
    const doc = new Y.Doc();
    const heartbeat = yWebsocketHeartbeat(() => Y.encodeStateVector(doc));
    const before = message(heartbeat);
    doc.getArray<number>('a').push([1]);
    expect(message(heartbeat)).not.toEqual(before);
  });

  it('should default to 5 s each, take the timing given, claim no message as a pong, and be accepted by ResilientWebSocket.with()', () => {
    const doc = new Y.Doc();
    for (const heartbeat of [mqttHeartbeat(), yWebsocketHeartbeat(() => Y.encodeStateVector(doc)), hocuspocusHeartbeat('doc', () => Y.encodeStateVector(doc))]) {
      expect(heartbeat).toMatchObject({ mode: 'active', intervalMs: 5_000, timeoutMs: 5_000 });
      expect(heartbeat.isPong?.(new Uint8Array([0xd0, 0]))).toBe(false);
      expect(heartbeat.isPong?.('pong')).toBe(false);
      expect(() => ResilientWebSocket.with({ WebSocket: NodeWebSocket, reconnect: false, heartbeat })).not.toThrow();
    }
    expect(mqttHeartbeat({ intervalMs: 1_000 })).toMatchObject({ intervalMs: 1_000, timeoutMs: 5_000 });
    expect(mqttHeartbeat({ timeoutMs: 2_000 })).toMatchObject({ intervalMs: 5_000, timeoutMs: 2_000 });
  });

  it('should reject bad arguments with a TypeError naming the argument and what was given', () => {
    const sv = (): Uint8Array => new Uint8Array([0]);
    expect(() => yWebsocketHeartbeat(new Uint8Array() as never)).toThrow(new TypeError('Expected the stateVector argument of yWebsocketHeartbeat() to be a function returning the document\'s state vector, such as () => Y.encodeStateVector(doc), got object'));
    expect(() => hocuspocusHeartbeat('', sv)).toThrow(/documentName argument of hocuspocusHeartbeat\(\).*got ''$/);
    expect(() => hocuspocusHeartbeat(42 as never, sv)).toThrow(/documentName argument of hocuspocusHeartbeat\(\).*got number$/);
    expect(() => hocuspocusHeartbeat('doc', 'sv' as never)).toThrow(/stateVector argument of hocuspocusHeartbeat\(\).*got string$/);
    expect(() => mqttHeartbeat(5_000 as never)).toThrow(/timing of mqttHeartbeat\(\).*got number$/);
    // The core checks the values themselves, naming the option.
    expect(() => ResilientWebSocket.with({ WebSocket: NodeWebSocket, heartbeat: mqttHeartbeat({ intervalMs: -1 }) })).toThrow(/heartbeat\.intervalMs/);
  });
});
