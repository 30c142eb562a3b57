/**
 * The socket's side of the diagnosis and of close logging, under fake
 * timers: what `diagnose` is given, when `ws.diagnosis` and the
 * `diagnosis` event change, and what `logger` and `debug` receive.
 */

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { diagnose, ResilientWebSocket, type DiagnoseFunction, type DiagnosisContext } from '../../src/index.js';
import { fakeSockets } from './fake-socket.js';
import { advance, advancePastWait, cleanup, fakeEnvironment, record, track } from './helpers.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

describe('the diagnose option', () => {
  it('should leave ws.diagnosis null and fire no diagnosis event without it', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://a.test/', [], { WebSocket: sockets.Impl, environment: false }));
    const events = record(ws, 'diagnosis');
    sockets.latest().accept();
    await advance(60_000);
    sockets.latest().drop();
    await advance(1);
    expect(ws.diagnosis).toBeNull();
    expect(events).toHaveLength(0);
  });

  it('should pass the history, the heartbeat, the environment signals and whether a connection is open', async () => {
    const sockets = fakeSockets();
    const env = fakeEnvironment();
    const calls: { history: number; context: object }[] = [];
    const spy: DiagnoseFunction = (history, context: DiagnosisContext) => {
      calls.push({ history: history.length, context: structuredClone({ ...context, heartbeat: context.heartbeat && { intervalMs: context.heartbeat.intervalMs } }) });
      return diagnose(history, context);
    };
    const ws = track(new ResilientWebSocket('ws://a.test/', [], { WebSocket: sockets.Impl, environment: env.environment, diagnose: spy, heartbeat: { intervalMs: 7_000 } }));
    sockets.latest().accept();
    expect(calls).toEqual([{ history: 0, context: { heartbeat: { intervalMs: 7_000 }, signals: [], connected: true } }]);
    await advance(1_000);
    const hiddenAt = Date.now();
    env.emit('hidden');
    sockets.latest().drop();
    await advance(1);
    expect(calls.at(-1)).toEqual({ history: 1, context: { heartbeat: { intervalMs: 7_000 }, signals: [{ signal: 'hidden', at: hiddenAt }], connected: false } });
    expect(ws.diagnosis?.cause).toBe('network-loss');
  });

  it('should fire diagnosis after the close that changed it, and not again while it stays the same', async () => {
    const sockets = fakeSockets();
    const ws = track(new ResilientWebSocket('ws://a.test/', [], { WebSocket: sockets.Impl, environment: false, diagnose, heartbeat: false }));
    const order: string[] = [];
    for (const type of ['close', 'diagnosis', 'reconnecting'] as const) ws.addEventListener(type, () => order.push(type));
    const signatures: string[] = [];
    ws.addEventListener('diagnosis', (event) => signatures.push(event.diagnosis.signature));
    for (let drop = 0; drop < 4; drop += 1) {
      sockets.latest().accept();
      await advance(60_000);
      sockets.latest().drop();
      await advance(1);
      await advancePastWait(ws.lastClose?.delayMs ?? 0);
    }
    expect(signatures).toEqual(['idle-timeout:low', 'idle-timeout:medium', 'idle-timeout:high']);
    expect(order.slice(0, 3)).toEqual(['close', 'diagnosis', 'reconnecting']);
    expect(order.filter((type) => type === 'close')).toHaveLength(4);
    expect(ws.diagnosis?.findings[0]?.evidence).toBe('4 of the last 4 drops came 60.0 s after the last inbound message, heartbeat off');
  });
});

describe('close logging', () => {
  it('should write one line per close to a logger function, with the report and the diagnosis when it changed', async () => {
    const sockets = fakeSockets();
    const log = vi.fn();
    const ws = track(new ResilientWebSocket('ws://user:pw@a.test/live?token=abc', [], { WebSocket: sockets.Impl, environment: false, diagnose, logger: log }));
    sockets.latest().accept();
    await advance(60_000);
    sockets.latest().drop();
    await advance(1);
    expect(log).toHaveBeenCalledTimes(1);
    const [line, entry] = log.mock.calls[0] as [string, { level: string; report: unknown; diagnosis: unknown }];
    expect(line).toMatch(
      /^resilient-websocket close code=1006 reason="" clean=false class=abnormal initiator=network phase=open open=60\.0s silent=60\.0s decision=reconnect delay=\d\.\ds url=ws:\/\/\*\*\*:\*\*\*@a\.test\/live\?token=\*\*\* diagnosis="idle-timeout \(low confidence\): /,
    );
    expect(entry).toEqual({ level: 'warn', report: ws.lastClose, diagnosis: ws.diagnosis });
    await advancePastWait(ws.lastClose?.delayMs ?? 0);
    sockets.latest().accept();
    ws.close(1000);
    sockets.latest().finishClose();
    await advance(10);
    expect(log).toHaveBeenCalledTimes(2);
    expect(log.mock.calls[1]?.[0]).toMatch(/^resilient-websocket close code=1000 reason="" clean=true class=normal initiator=client phase=open open=0\.0s silent=0\.0s decision=stop delay=- url=/);
    expect((log.mock.calls[1]?.[1] as { level: string; diagnosis: unknown }).level).toBe('info');
    expect((log.mock.calls[1]?.[1] as { diagnosis: unknown }).diagnosis).toBeNull();
  });

  it('should log to the console with debug: true, and to the logger instead when both are given', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const sockets = fakeSockets();
    track(new ResilientWebSocket('ws://a.test/', [], { WebSocket: sockets.Impl, environment: false, debug: true }));
    sockets.latest().accept();
    sockets.latest().drop();
    await advance(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/^resilient-websocket close code=1006 .* url=ws:\/\/a\.test\/$/);

    const own = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const other = fakeSockets();
    track(new ResilientWebSocket('ws://b.test/', [], { WebSocket: other.Impl, environment: false, debug: true, logger: own }));
    other.latest().refuse();
    await advance(1);
    expect(own.warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

describe('a logger that throws', () => {
  it('should not stop the socket: the error is reported asynchronously and the reconnect goes on', async () => {
    const errors: unknown[] = [];
    const onError = (error: unknown): void => {
      errors.push(error);
    };
    process.on('uncaughtException', onError);
    try {
      const sockets = fakeSockets();
      const ws = track(
        new ResilientWebSocket('ws://a.test/', [], {
          WebSocket: sockets.Impl,
          environment: false,
          logger: () => {
            throw new Error('disk full');
          },
        }),
      );
      const reconnecting = record(ws, 'reconnecting');
      sockets.latest().accept();
      sockets.latest().drop();
      await advance(1);
      expect(reconnecting).toHaveLength(1);
      await advancePastWait(reconnecting[0]?.delayMs ?? 0);
      expect(sockets.instances).toHaveLength(2);
      expect(errors).toEqual([new Error('disk full')]);
    } finally {
      process.off('uncaughtException', onError);
    }
  });
});
