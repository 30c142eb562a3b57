/**
 * graphql-ws as a real consumer. It takes a WebSocket class, builds a new
 * socket per attempt and retries on its own, so ours must not reconnect
 * behind its back (`reconnect: false`): otherwise orphaned sockets keep
 * extra server connections open, even after the client's dispose().
 */

// The CommonJS entry on purpose: graphql-ws (not inlined by vitest) loads
// graphql through Node, which picks index.js, while a bare 'graphql' here
// would go through Vite and pick index.mjs; two copies of graphql then
// reject each other's schema ("Cannot use GraphQLSchema from another module or realm").
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql/index.js';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { describe, expect, it } from 'vitest';
import { ResilientWebSocket } from '../../src/index.js';
import { NodeWebSocket, useHarness } from '../support/harness.js';
import { delay, nextEvent, waitUntil } from '../support/wait.js';

const h = useHarness();

/** `subscription { counter }` emits 0, 1, 2... every 50 ms (bounded: at most 10,000 values). */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'world' } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: {
      counter: {
        type: GraphQLInt,
        subscribe: async function* counter() {
          for (let i = 0; i < 10_000; i += 1) {
            yield { counter: i };
            await delay(50);
          }
        },
      },
    },
  }),
});

/** graphql-ws's own ping/pong messages, so our heartbeat speaks its protocol. */
const isGraphqlPong = (data: unknown): boolean => typeof data === 'string' && data.includes('"type":"pong"');

describe('graphql-ws over ResilientWebSocket', () => {
  it('should resume a subscription after a server crash with never more than one open server connection, and none after dispose()', async () => {
    // 'manual': the harness only records; graphql-ws does all the answering.
    const server = await h.server({ behaviour: { kind: 'manual' } });
    const graphqlServer = useServer({ schema }, server.wss, 0);
    h.defer(() => graphqlServer.dispose());

    const Transport = ResilientWebSocket.with({
      WebSocket: NodeWebSocket,
      reconnect: false,
      connectTimeoutMs: 5_000,
      heartbeat: { intervalMs: 1_000, timeoutMs: 2_000, message: JSON.stringify({ type: 'ping' }), isPong: isGraphqlPong },
    });
    const sockets: ResilientWebSocket[] = [];
    let connecting = 0;
    const client: Client = createClient({
      url: server.url,
      webSocketImpl: Transport,
      lazy: true,
      retryAttempts: 50,
      retryWait: () => delay(50),
      // A refused connection surfaces as an `error` event before `close`; retry that too.
      shouldRetry: () => true,
      on: {
        connecting: () => {
          connecting += 1;
        },
        opened: (socket) => {
          sockets.push(socket as ResilientWebSocket);
        },
      },
    });
    h.defer(() => client.dispose());

    const values: number[] = [];
    const errors: unknown[] = [];
    let completed = false;
    const unsubscribe = client.subscribe<{ counter: number }>(
      { query: 'subscription { counter }' },
      {
        next: (result) => {
          if (typeof result.data?.counter === 'number') values.push(result.data.counter);
        },
        error: (error) => errors.push(error),
        complete: () => {
          completed = true;
        },
      },
    );
    h.defer(unsubscribe);

    await waitUntil(() => values.length >= 3, 'the subscription has delivered 3 values');
    expect(server.connectionCount).toBe(1);
    const beforeCrash = values.length;
    expect(sockets).toHaveLength(1);
    const firstSocket = sockets[0]!;
    expect(firstSocket).toBeInstanceOf(ResilientWebSocket);
    const dropped = nextEvent(firstSocket, 'close');

    // Crash: every socket destroyed without a close frame, then the port goes dark.
    await server.stop();
    const close = await dropped;
    expect(close.code).toBe(1006);
    expect(close.wasClean).toBe(false);
    // reconnect: false: the socket closes for good and leaves retrying to graphql-ws.
    expect(close.report.decision.action).toBe('stop');

    // Let graphql-ws fail at least once against the dark port, then come back on the same port.
    await waitUntil(() => connecting >= 3, 'graphql-ws has retried against the stopped server');
    await server.restart();

    await waitUntil(() => values.length >= beforeCrash + 3, 'the subscription has delivered 3 values after the restart');
    expect(errors).toEqual([]);
    expect(completed).toBe(false);
    // The counter starts over on the new connection: values really came from a new subscription.
    expect(values.slice(beforeCrash, beforeCrash + 3)).toEqual([0, 1, 2]);
    expect(server.connectionCount).toBe(2);
    expect(server.maxOpen).toBe(1);
    expect(server.openCount).toBe(1);
    // The first socket stayed closed; nothing reopened it behind graphql-ws's back.
    expect(firstSocket.readyState).toBe(ResilientWebSocket.CLOSED);

    await client.dispose();
    await waitUntil(() => server.openCount === 0, 'the server has no open connection after dispose()');
    expect(server.maxOpen).toBe(1);
    // And none comes back: a few of graphql-ws's retry periods later, still zero.
    await delay(500);
    expect(server.openCount).toBe(0);
    expect(server.connectionCount).toBe(2);
    for (const socket of sockets) expect(socket.readyState).toBe(ResilientWebSocket.CLOSED);
  });
});
