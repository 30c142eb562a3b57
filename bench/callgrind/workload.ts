/**
 * The program run under callgrind (bundled to plain JavaScript first, see
 * bench/callgrind.ts): opens one socket over {@link EchoFakeSocket}, then
 * pushes `warmup + messages` messages through it, each one `send()` and one
 * received `message` event read by an application listener.
 *
 * Arguments: `<variant> <messages> <warmup> <library file>`, variant one of
 * `fake` (the fake socket alone), `ours`, `heartbeat`.
 *
 * @module
 */

import { pathToFileURL } from 'node:url';
import type { ResilientWebSocket as ResilientWebSocketClass, WebSocketConstructor } from '../../src/index.js';
import { EchoFakeSocket } from '../fake-socket.js';

/** What the workload measures. */
export type WorkloadVariant = 'fake' | 'ours' | 'heartbeat';

/** The part of the socket surface the workload uses. */
interface AppSocket {
  readonly readyState: number;
  send(data: string): unknown;
  addEventListener(type: 'message', listener: (event: MessageEvent<string>) => void): void;
}

/** Builds the socket the application talks to, and the fake under it. */
async function build(variant: WorkloadVariant, libraryFile: string): Promise<{ app: AppSocket; fake: EchoFakeSocket; end: () => void }> {
  const url = 'ws://fake.invalid/';
  if (variant === 'fake') {
    const fake = new EchoFakeSocket(url);
    return { app: fake as unknown as AppSocket, fake, end: () => fake.close() };
  }
  const { ResilientWebSocket } = (await import(pathToFileURL(libraryFile).href)) as { ResilientWebSocket: typeof ResilientWebSocketClass };
  const WebSocket = EchoFakeSocket as unknown as WebSocketConstructor;
  const ours = new ResilientWebSocket(url, [], variant === 'heartbeat' ? { WebSocket, heartbeat: true } : { WebSocket });
  const fake = EchoFakeSocket.latest;
  if (!fake) throw new Error('the library did not construct the fake socket');
  return { app: ours, fake, end: () => ours.dispose() };
}

async function main(): Promise<void> {
  const [variant, messagesArg, warmupArg, libraryFile] = process.argv.slice(2);
  if (variant !== 'fake' && variant !== 'ours' && variant !== 'heartbeat') throw new Error(`unknown variant ${String(variant)}`);
  const total = Number(warmupArg) + Number(messagesArg);
  if (!Number.isSafeInteger(total) || total < 0 || libraryFile === undefined) throw new Error('usage: workload <variant> <messages> <warmup> <library file>');
  const { app, fake, end } = await build(variant, libraryFile);
  let receivedChars = 0;
  app.addEventListener('message', (event) => {
    receivedChars += event.data.length;
  });
  fake.accept();
  if (app.readyState !== 1) throw new Error(`the socket did not open (readyState ${app.readyState})`);
  const payload = 'x'.repeat(32);
  for (let i = 0; i < total; i++) {
    app.send(payload);
    fake.echo();
  }
  if (receivedChars !== total * payload.length) throw new Error(`received ${receivedChars / payload.length} of ${total} messages`);
  end();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
