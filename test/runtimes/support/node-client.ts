/**
 * A client process for the Node runtime tests: one ResilientWebSocket on
 * either Node's built-in WebSocket (undici, no `WebSocket` option) or the
 * `ws` package's class, driven over the IPC channel of `fork()`. Every
 * event it sees goes back to the parent as plain data, with the close
 * report and its explanation.
 *
 * Started by {@link ./node-child.ts}; run as
 * `node --experimental-websocket --import tsx node-client.ts` (the flag is
 * needed on Node 20 only).
 */

import { WebSocket as WsWebSocket } from 'ws';
import { explainClose, ResilientWebSocket, type Clock, type ResilientWebSocketOptions } from '../../../src/index.js';
import type { ChildCommand, ChildEvent, ClientImplementation } from './protocol.js';

function post(event: ChildEvent): void {
  process.send?.(event);
}

/** A clock running `speed` times faster than the wall clock, so that policy floors (1008's 5 s) pass quickly. */
function warpedClock(speed: number): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    random: () => Math.random(),
    setTimeout: (callback, delayMs) => setTimeout(callback, delayMs / speed),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

let client: ResilientWebSocket | null = null;

function connect(implementation: ClientImplementation, url: string, options: ResilientWebSocketOptions, speed: number | undefined): void {
  client?.dispose();
  const all: ResilientWebSocketOptions = {
    ...options,
    ...(implementation === 'ws' ? { WebSocket: WsWebSocket } : {}),
    ...(speed === undefined ? {} : { clock: warpedClock(speed) }),
  };
  const socket = new ResilientWebSocket(url, [], all);
  client = socket;
  socket.addEventListener('open', () => post({ type: 'open', at: Date.now() }));
  socket.addEventListener('message', (event) => post({ type: 'message', data: String(event.data) }));
  socket.addEventListener('error', () => post({ type: 'error' }));
  socket.addEventListener('close', (event) => {
    const { report } = event;
    post({
      type: 'close',
      code: event.code,
      reason: event.reason,
      wasClean: event.wasClean,
      report: {
        code: report.code,
        class: report.class,
        initiator: report.initiator,
        phase: report.phase,
        libraryCause: report.libraryCause,
        errorFirst: report.errorFirst,
        decision: report.decision.action,
      },
      explanation: explainClose(report),
    });
  });
  socket.addEventListener('reconnecting', (event) => post({ type: 'reconnecting', attempt: event.attempt, delayMs: event.delayMs }));
  socket.addEventListener('giveup', (event) => post({ type: 'giveup', reason: event.reason }));
}

process.on('message', (command: ChildCommand) => {
  switch (command.type) {
    case 'connect':
      connect(command.implementation, command.url, command.options, command.speed);
      break;
    case 'send':
      client?.send(command.data);
      break;
    case 'exit':
      client?.dispose();
      process.disconnect();
      break;
  }
});

post({ type: 'ready', hasGlobalWebSocket: typeof globalThis.WebSocket === 'function', node: process.versions.node, undici: process.versions.undici ?? '' });
