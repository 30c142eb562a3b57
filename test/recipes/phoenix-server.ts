/**
 * A stand-in for Phoenix's channel server, for the recipe tests: there is
 * no Phoenix (Elixir) server on npm. It speaks the wire format of Phoenix's
 * V2 JSON serializer (`Phoenix.Socket.V2.JSONSerializer`, what phoenix.js
 * sends with its default `vsn=2.0.0`) over a `ws` server, and does what
 * `Phoenix.Socket` and a channel that broadcasts every event do:
 *
 * - every message is a text frame `[join_ref, ref, topic, event, payload]`;
 * - `heartbeat` on the reserved topic `phoenix` is answered with
 *   `[null, ref, "phoenix", "phx_reply", {status: "ok", response: {}}]`;
 * - `phx_join` on a `room:*` topic joins it (`phx_reply` ok with the join's
 *   refs); a second join of a topic the connection has joined replaces the
 *   first, as Phoenix does with a duplicate join (the stand-in sends the
 *   first's join ref a `phx_close`, which phoenix.js drops as outdated);
 *   any other topic is refused with `{status: "error", response: {reason:
 *   "unmatched topic"}}`, as is an event for a topic not joined;
 * - any other event of a member is broadcast to the topic's members
 *   (`[null, null, topic, event, payload]`, sender included, as
 *   `broadcast!/3` does) and acknowledged with `phx_reply` ok;
 * - `phx_leave` ends the membership: `phx_reply` ok, then `phx_close`;
 * - {@link PhoenixServer.crashChannel} ends every membership of a topic as a
 *   crashed channel process does: `phx_error` to each member's join ref.
 *
 * What it leaves out: the binary serializer (a binary frame is closed with
 * 1003), V1 framing, `connect/3` and tokens, Presence, the transport's own
 * idle timeout, and Phoenix's channel state (each join is fresh; nothing is
 * kept across a restart, as with a channel that keeps no state). A message
 * that is not V2 JSON makes Phoenix's connection process raise and exit;
 * this stand-in closes such a connection with 1011.
 */

import type http from 'node:http';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { clientOf } from './support.js';

/** One message in the V2 JSON serializer's framing. */
export type PhoenixMessage = [joinRef: string | null, ref: string | null, topic: string, event: string, payload: unknown];

/** What the stand-in saw, per client (the `client` query of each connection), and what it can do. */
export interface PhoenixServer {
  /** `heartbeat` messages answered per client, phoenix.js's own and the recipe's together. */
  readonly heartbeats: Map<string, number>;
  /** `heartbeat` messages answered per client whose ref is not a number: the recipe's (`rws:heartbeat`). */
  readonly recipeHeartbeats: Map<string, number>;
  /** Successful joins per client. */
  readonly joins: Map<string, number>;
  /** How many times each pushed payload's `body` arrived from a member, all clients together. */
  readonly pushes: Map<string, number>;
  /** Connections closed for a message that is not V2 JSON (with 1011). */
  readonly undecodable: number;
  /** Members of `topic` now. */
  members(topic: string): number;
  /** Ends every membership of `topic` as a crashed channel does: `phx_error` to each member's join ref. */
  crashChannel(topic: string): void;
}

/** One connection's membership of a topic. */
interface Member {
  readonly socket: WebSocket;
  readonly joinRef: string | null;
}

const bump = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

const send = (socket: WebSocket, message: PhoenixMessage): void => {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
};

const reply = (socket: WebSocket, [joinRef, ref, topic]: PhoenixMessage, status: 'ok' | 'error', response: object = {}): void => {
  if (ref !== null) send(socket, [joinRef, ref, topic, 'phx_reply', { status, response }]);
};

/** Whether `value` has the shape of a V2 message. */
function isMessage(value: unknown): value is PhoenixMessage {
  if (!Array.isArray(value) || value.length !== 5) return false;
  const [joinRef, ref, topic, event] = value as unknown[];
  const refLike = (x: unknown): boolean => x === null || typeof x === 'string';
  return refLike(joinRef) && refLike(ref) && typeof topic === 'string' && typeof event === 'string';
}

/** Serves Phoenix's channel protocol on every connection `wss` accepts from now on. */
export function phoenixServer(wss: WebSocketServer): PhoenixServer {
  const topics = new Map<string, Map<WebSocket, Member>>();
  const state = { heartbeats: new Map<string, number>(), recipeHeartbeats: new Map<string, number>(), joins: new Map<string, number>(), pushes: new Map<string, number>(), undecodable: 0 };

  const leave = (topic: string, socket: WebSocket): Member | undefined => {
    const members = topics.get(topic);
    const member = members?.get(socket);
    members?.delete(socket);
    if (members?.size === 0) topics.delete(topic);
    return member;
  };

  const handle = (socket: WebSocket, client: string, message: PhoenixMessage): void => {
    const [joinRef, ref, topic, event, payload] = message;
    if (topic === 'phoenix' && event === 'heartbeat') {
      bump(state.heartbeats, client);
      if (ref !== null && !/^\d+$/.test(ref)) bump(state.recipeHeartbeats, client);
      reply(socket, [null, ref, topic, event, payload], 'ok');
      return;
    }
    const member = topics.get(topic)?.get(socket);
    if (event === 'phx_join') {
      if (!topic.startsWith('room:')) return reply(socket, message, 'error', { reason: 'unmatched topic' });
      if (member !== undefined) {
        leave(topic, socket);
        send(socket, [member.joinRef, member.joinRef, topic, 'phx_close', {}]);
      }
      const members = topics.get(topic) ?? new Map<WebSocket, Member>();
      members.set(socket, { socket, joinRef });
      topics.set(topic, members);
      bump(state.joins, client);
      return reply(socket, message, 'ok');
    }
    if (member === undefined) return reply(socket, message, 'error', { reason: 'unmatched topic' });
    if (event === 'phx_leave') {
      leave(topic, socket);
      reply(socket, message, 'ok');
      send(socket, [joinRef, joinRef, topic, 'phx_close', {}]);
      return;
    }
    const body = (payload as { body?: unknown } | null)?.body;
    if (typeof body === 'string') bump(state.pushes, body);
    for (const other of topics.get(topic)?.values() ?? []) send(other.socket, [null, null, topic, event, payload]);
    reply(socket, message, 'ok');
  };

  wss.on('connection', (socket: WebSocket, request: http.IncomingMessage) => {
    const client = clientOf(request);
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        socket.close(1003, 'binary frames are not served by this stand-in');
        return;
      }
      let message: unknown;
      try {
        message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8'));
      } catch {
        message = undefined;
      }
      if (!isMessage(message)) {
        state.undecodable += 1;
        socket.close(1011, 'undecodable message');
        return;
      }
      handle(socket, client, message);
    });
    socket.once('close', () => {
      for (const topic of [...topics.keys()]) leave(topic, socket);
    });
  });

  return {
    ...state,
    get undecodable() {
      return state.undecodable;
    },
    members: (topic) => topics.get(topic)?.size ?? 0,
    crashChannel(topic) {
      for (const member of [...(topics.get(topic)?.values() ?? [])]) {
        leave(topic, member.socket);
        send(member.socket, [member.joinRef, member.joinRef, topic, 'phx_error', {}]);
      }
    },
  };
}
