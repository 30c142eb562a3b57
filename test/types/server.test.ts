/**
 * The types of the server companion: what compiles, and mistakes that must
 * not (`@ts-expect-error`), each also rejected at run time.
 */

import { describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { ServerCompanion, type CloseRecord, type ServerCompanionOptions, type ShutdownResult } from '../../src/server/index.js';

describe('the companion types', () => {
  it('should type the options, the disconnect event and the shutdown result', async () => {
    const wss = new WebSocketServer({ noServer: true });
    const options: ServerCompanionOptions = {
      heartbeat: { ping: (data, isBinary) => !isBinary && Buffer.isBuffer(data) && data.toString() === '{"t":"ping"}', pong: '{"t":"pong"}' },
      keepalive: { intervalMs: 30_000, timeoutMs: 5_000 },
      logger: (line, record) => [line.length, record.code],
    };
    const companion = new ServerCompanion(wss, options);
    companion.on('disconnect', (record) => {
      expectTypeOf(record).toEqualTypeOf<CloseRecord>();
      expectTypeOf(record.cause).toEqualTypeOf<'heartbeat-timeout' | 'shutdown' | null>();
    });
    expectTypeOf(companion.terminatedCount).toBeNumber();
    expectTypeOf(companion.shutdown).returns.toEqualTypeOf<Promise<ShutdownResult>>();

    // @ts-expect-error the code is a number
    expect(() => companion.shutdown({ code: '1012' })).toThrow('Expected `shutdown.code`');
    // @ts-expect-error an unknown event
    companion.on('close', () => undefined);
    // @ts-expect-error keepalive durations are numbers of ms
    expect(() => new ServerCompanion(wss, { keepalive: { intervalMs: '30s' } })).toThrow('Expected `keepalive.intervalMs` to be a number of milliseconds, got "30s"');
    expect(await companion.shutdown({ code: 1012 })).toEqual({ clients: 0, closed: 0, terminated: 0, durationMs: expect.any(Number) });
  });
});
