/**
 * The protocol recipes' messages, byte for byte against the protocols' own
 * encoders (lib0, y-protocols, mqtt-packet, phoenix.js's serializer), and
 * their argument checks. The
 * behaviour against real servers is in test/recipes/.
 */

import * as encoding from 'lib0/encoding';
import mqttPacket from 'mqtt-packet';
import { Serializer } from 'phoenix';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { ResilientWebSocket } from '../../src/index.js';
import { hocuspocusHeartbeat, hocuspocusSyncStep1Message } from '../../src/recipes/hocuspocus/index.js';
import { mqttHeartbeat, mqttPingreq } from '../../src/recipes/mqtt/index.js';
import { isPhoenixHeartbeatReply, phoenixHeartbeat, phoenixHeartbeatMessage, phoenixHeartbeatRef } from '../../src/recipes/phoenix/index.js';
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

  it("should make Phoenix's heartbeat as phoenix.js's V2 JSON serializer writes it, as a text message", () => {
    let encoded = '';
    Serializer.encode({ join_ref: null, ref: phoenixHeartbeatRef, topic: 'phoenix', event: 'heartbeat', payload: {} }, (result) => (encoded = result));
    expect(phoenixHeartbeatMessage).toBe(encoded);
    expect(phoenixHeartbeat().message).toBe(encoded);
    // phoenix.js's own refs are decimal numbers (makeRef), never the recipe's.
    expect(phoenixHeartbeatRef).not.toMatch(/^\d+$/);
  });

  it("should claim only the reply to the recipe's heartbeat as its pong, however the server spaces its JSON", () => {
    const reply = (ref: string | null, topic = 'phoenix', event = 'phx_reply', payload: object = { status: 'ok', response: {} }): unknown[] => [null, ref, topic, event, payload];
    const { isPong } = phoenixHeartbeat();
    for (const data of [JSON.stringify(reply(phoenixHeartbeatRef)), JSON.stringify(reply(phoenixHeartbeatRef), null, 2), JSON.stringify(reply(phoenixHeartbeatRef, 'phoenix', 'phx_reply', { response: {}, status: 'ok' }))]) {
      expect(isPhoenixHeartbeatReply(data), data).toBe(true);
      expect(isPong?.(data)).toBe(true);
    }
    const others: unknown[] = [
      JSON.stringify(reply('1')), // phoenix.js's own heartbeat: its reply is phoenix.js's
      JSON.stringify(reply(null, 'room:lobby', 'new_msg', { body: phoenixHeartbeatRef })), // the ref as data
      JSON.stringify(reply(phoenixHeartbeatRef, 'room:lobby')), // a reply on another topic
      JSON.stringify(reply(phoenixHeartbeatRef, 'phoenix', 'heartbeat')), // an echo of the ping, not its reply
      `[null,"${phoenixHeartbeatRef}",`, // cut short
      new TextEncoder().encode(JSON.stringify(reply(phoenixHeartbeatRef))).buffer, // binary: not the JSON serializer's
      'pong',
      null,
    ];
    for (const data of others) expect(isPhoenixHeartbeatReply(data), String(data)).toBe(false);
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
    expect(phoenixHeartbeat()).toMatchObject({ mode: 'active', intervalMs: 5_000, timeoutMs: 5_000 });
    expect(() => ResilientWebSocket.with({ WebSocket: NodeWebSocket, reconnect: false, heartbeat: phoenixHeartbeat() })).not.toThrow();
    expect(mqttHeartbeat({ intervalMs: 1_000 })).toMatchObject({ intervalMs: 1_000, timeoutMs: 5_000 });
    expect(phoenixHeartbeat({ intervalMs: 2_000, timeoutMs: 2_000 })).toMatchObject({ intervalMs: 2_000, timeoutMs: 2_000 });
    expect(mqttHeartbeat({ timeoutMs: 2_000 })).toMatchObject({ intervalMs: 5_000, timeoutMs: 2_000 });
  });

  it('should reject bad arguments with a TypeError naming the argument and what was given', () => {
    const sv = (): Uint8Array => new Uint8Array([0]);
    expect(() => yWebsocketHeartbeat(new Uint8Array() as never)).toThrow(new TypeError('Expected the stateVector argument of yWebsocketHeartbeat() to be a function returning the document\'s state vector, such as () => Y.encodeStateVector(doc), got object'));
    expect(() => hocuspocusHeartbeat('', sv)).toThrow(/documentName argument of hocuspocusHeartbeat\(\).*got ''$/);
    expect(() => hocuspocusHeartbeat(42 as never, sv)).toThrow(/documentName argument of hocuspocusHeartbeat\(\).*got number$/);
    expect(() => hocuspocusHeartbeat('doc', 'sv' as never)).toThrow(/stateVector argument of hocuspocusHeartbeat\(\).*got string$/);
    expect(() => mqttHeartbeat(5_000 as never)).toThrow(/timing of mqttHeartbeat\(\).*got number$/);
    expect(() => phoenixHeartbeat('fast' as never)).toThrow(/timing of phoenixHeartbeat\(\).*got string$/);
    // The core checks the values themselves, naming the option.
    expect(() => ResilientWebSocket.with({ WebSocket: NodeWebSocket, heartbeat: mqttHeartbeat({ intervalMs: -1 }) })).toThrow(/heartbeat\.intervalMs/);
  });
});
