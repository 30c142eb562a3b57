/**
 * Stand-in for src/core/buffer.ts in the "without the send buffer"
 * variant: a queue that holds nothing. `utf8Length` stays (the native
 * `close()` check of the reason uses it).
 *
 * @module
 */

import type { PushResult, SendData } from '../../../src/core/buffer.js';

export type { PushResult, SendBufferLimits, SendData } from '../../../src/core/buffer.js';

export const OverflowPolicy = { DropOldest: 'drop-oldest', DropNewest: 'drop-newest', Throw: 'throw' } as const;
export type OverflowPolicy = (typeof OverflowPolicy)[keyof typeof OverflowPolicy];

let encoder: TextEncoder | undefined;

/** As in src/core/buffer.ts. */
export function utf8Length(text: string): number {
  return (encoder ??= new TextEncoder()).encode(text).length;
}

/** Unused without a queue. */
export function byteLength(): number {
  return 0;
}

/** A queue that keeps nothing. */
export class SendBuffer {
  readonly length = 0;
  readonly bytes = 0;
  push(): PushResult {
    return { queued: true, dropped: [] };
  }
  shift(): SendData | undefined {
    return undefined;
  }
  unshift(): void {}
  clear(): SendData[] {
    return [];
  }
}
