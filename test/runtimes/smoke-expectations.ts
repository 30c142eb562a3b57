/**
 * What a smoke run (test/runtimes/smoke.ts) must show in every runtime:
 * the shared assertions of deno.test.ts and bun.test.ts, one per column.
 */

import { expect, it } from 'vitest';
import type { SmokeLine, SmokeRun } from './support/smoke-run.js';

const of = (run: SmokeRun, event: string, client?: string): SmokeLine[] => run.lines.filter((line) => line.event === event && (client === undefined || line.client === client));

/** Registers the column tests; `run` resolves once (the smoke run is shared by the tests of a row). */
export function smokeColumns(run: () => Promise<SmokeRun>): void {
  it('import: the built package loads and finds the runtime\'s EventTarget and WebSocket', async () => {
    const done = await run();
    expect(done.stderr).not.toMatch(/error/i);
    expect(of(done, 'start')[0]).toMatchObject({ eventTarget: 'function', webSocket: 'function' });
    expect(done.exitCode).toBe(0);
  });

  it('connect: opens with no option but the URL and carries a message both ways', async () => {
    const done = await run();
    const start = of(done, 'start')[0];
    expect(of(done, 'open', 'echo')[0]).toMatchObject({ n: 1, readyState: 1 });
    expect(done.echo.connections[0]?.messages).toEqual([`hello from ${String(start?.runtime)}`]);
    expect(of(done, 'message', 'echo')[0]).toMatchObject({ data: `hello from ${String(start?.runtime)}` });
  });

  it('server crash: reported as 1006, wasClean false, from the network, then reconnected', async () => {
    const done = await run();
    const closes = of(done, 'close', 'echo');
    expect(closes[0]).toMatchObject({ code: 1006, wasClean: false, class: 'abnormal', initiator: 'network', decision: 'reconnect' });
    expect(of(done, 'open', 'echo').map((line) => line.n)).toEqual([1, 2]);
    expect(done.echo.connectionCount).toBe(2);
    expect(done.echo.connections[1]?.messages).toEqual(['after crash']);
    // The last close is the script's own close(): it stops.
    expect(closes.at(-1)).toMatchObject({ initiator: 'client', decision: 'stop' });
  });

  it('close 1008: retried twice, slowly, then given up', async () => {
    const done = await run();
    const closes = of(done, 'close', 'policy');
    expect(closes.map((line) => [line.code, line.wasClean, line.class, line.decision])).toEqual([
      [1008, true, 'policy-violation', 'reconnect'],
      [1008, true, 'policy-violation', 'reconnect'],
      [1008, true, 'policy-violation', 'stop'],
    ]);
    expect(of(done, 'giveup', 'policy')[0]?.reason).toMatch(/1008/);
    expect(done.policy.connectionCount).toBe(3);
    expect(of(done, 'done')[0]).toMatchObject({ state: 'closed' });
  });

  it('report: every close printed explainClose\'s sentence', async () => {
    const done = await run();
    const sentences = of(done, 'close').map((line) => line.explanation);
    expect(sentences[0]).toMatch(/^dropped without a close frame/);
    expect(sentences).toContain('the server refused by policy, most often failed authentication: check the token');
    for (const sentence of sentences) expect(sentence).toEqual(expect.any(String));
  });
}
