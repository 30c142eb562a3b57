/**
 * The messages between a runtime test and its client process (Node over
 * IPC; see node-client.ts).
 */

import type { ResilientWebSocketOptions } from '../../../src/index.js';

/** Which WebSocket class the client process uses. */
export type ClientImplementation = 'undici' | 'ws';

/** From the test to the client process. */
export type ChildCommand =
  | {
      readonly type: 'connect';
      readonly implementation: ClientImplementation;
      readonly url: string;
      /** JSON-serializable options only; the class and the clock are chosen in the child. */
      readonly options: ResilientWebSocketOptions;
      /** Runs the library's clock this many times faster than the wall clock. */
      readonly speed?: number;
    }
  | { readonly type: 'send'; readonly data: string }
  | { readonly type: 'exit' };

/** The parts of a close report the runtimes are compared on. */
export interface ReportFacts {
  readonly code: number;
  readonly class: string;
  readonly initiator: string;
  readonly phase: string;
  readonly libraryCause: string | null;
  readonly errorFirst: boolean;
  readonly decision: string;
}

/** From the client process to the test. */
export type ChildEvent =
  | { readonly type: 'ready'; readonly hasGlobalWebSocket: boolean; readonly node: string; readonly undici: string }
  | { readonly type: 'open'; readonly at: number }
  | { readonly type: 'message'; readonly data: string }
  | { readonly type: 'error' }
  | { readonly type: 'close'; readonly code: number; readonly reason: string; readonly wasClean: boolean; readonly report: ReportFacts; readonly explanation: string }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'giveup'; readonly reason: string };
