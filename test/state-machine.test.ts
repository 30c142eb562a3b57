import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResilientWebSocketOptions } from '../src/core/options.js';
import { presets } from '../src/core/policy.js';
import { libraryCloseCode, readyStateOf, type Effect, type Machine, type MachineEvent } from '../src/core/state-machine.js';
import { effectTypes, endedSocket, MachineDriver, only, runScenario, type Step, type TraceRecord, type UserAction, type WorldAction } from './support/machine.js';

describe('initial connect and open', () => {
  it('starts closed and, on connect, listens to the environment and opens socket 1', () => {
    const driver = new MachineDriver({}, { now: 1000 });
    expect(driver.state).toEqual({ status: 'closed', cause: 'user' });
    const { machine, effects, cause } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 1 });
    expect(effects).toEqual([{ type: 'environment', listen: true }, { type: 'open-socket', socket: 1 }]);
    expect(cause).toBe('reconnect()');
    expect(machine.nextSocket).toBe(2);
    expect(machine.retry).toMatchObject({ attempt: 0, since: 1000, lastAttemptAt: 1000 });
  });

  it('opens on opened with the heartbeat started, the buffer flushed and open emitted, in that order', () => {
    const driver = new MachineDriver();
    driver.connect();
    const { machine, effects, cause } = driver.opened(1);
    expect(machine.state).toEqual({ status: 'open', socket: 1 });
    expect(effects).toEqual([{ type: 'heartbeat', action: 'start' }, { type: 'flush' }, { type: 'emit-open' }]);
    expect(cause).toBe('open');
  });

  it('maps every status to the native readyState', () => {
    expect(readyStateOf({ status: 'connecting', socket: 1 })).toBe(0);
    expect(readyStateOf({ status: 'waiting', until: 1, paused: null, report: null })).toBe(0);
    expect(readyStateOf({ status: 'open', socket: 1 })).toBe(1);
    expect(readyStateOf({ status: 'closing', socket: null, code: undefined, reason: '' })).toBe(2);
    expect(readyStateOf({ status: 'closed', cause: 'user' })).toBe(3);
  });
});

describe('stale sockets', () => {
  it('ignores opened and ended from a socket replaced while connecting', () => {
    const driver = new MachineDriver();
    driver.connect();
    driver.connect();
    expect(driver.state).toEqual({ status: 'connecting', socket: 2 });
    const before = driver.machine;
    expect(driver.opened(1)).toEqual({ machine: before, effects: [], cause: '' });
    expect(driver.end(1006, {}, 1)).toEqual({ machine: before, effects: [], cause: '' });
    expect(driver.state).toEqual({ status: 'connecting', socket: 2 });
  });

  it('ignores a stale ended while open, and a second opened for the open socket', () => {
    const driver = new MachineDriver();
    driver.connect();
    driver.connect();
    driver.opened(2);
    const before = driver.machine;
    expect(driver.end(1000, {}, 1).machine).toBe(before);
    expect(driver.opened(2).machine).toBe(before);
    expect(driver.end(1006, {}, null).machine).toBe(before);
  });

  it('ignores the ended of a socket that a reconnect() replaced during closing', () => {
    const driver = new MachineDriver().toOpen();
    driver.close(1000);
    driver.connect();
    const before = driver.machine;
    expect(driver.end(1000, {}, 1).machine).toBe(before);
    expect(driver.state).toEqual({ status: 'connecting', socket: 2 });
  });
});

describe('a drop', () => {
  it('closes with cause dropped and a pending wait, emitting a close that the class must dispatch', () => {
    const driver = new MachineDriver({}, { seed: 7 }).toOpen();
    driver.advance(3000);
    const { machine, effects, cause } = driver.end(1006);
    expect(cause).toBe('close');
    expect(machine.state).toMatchObject({ status: 'closed', cause: 'dropped', next: { kind: 'wait' } });
    expect(effectTypes(effects)).toEqual(['heartbeat', 'detach-socket', 'emit-close']);
    expect(effects[0]).toEqual({ type: 'heartbeat', action: 'stop' });
    expect(effects[1]).toEqual({ type: 'detach-socket' });
    const close = only(effects, 'emit-close');
    expect(close.thenDispatch).toBe(true);
    expect(close.report).toMatchObject({ code: 1006, wasClean: false, class: 'abnormal', initiator: 'network', phase: 'open', openDurationMs: 3000, attempt: 0, at: 3000 });
    expect(close.report.url).toBe('wss://example.test/live?token=***');
    expect(close.report.decision.action).toBe('reconnect');
    expect(close.report.explanation).not.toBe('');
  });

  it('retries the first drop of an open connection within [0, 1 s]', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const driver = new MachineDriver({}, { seed }).toOpen();
      driver.advance(500);
      const { machine } = driver.end(1006);
      const next = machine.state.status === 'closed' && machine.state.cause === 'dropped' ? machine.state.next : undefined;
      expect(next?.kind).toBe('wait');
      const delayMs = next?.kind === 'wait' ? next.delayMs : -1;
      expect(delayMs).toBeGreaterThanOrEqual(0);
      expect(delayMs).toBeLessThanOrEqual(1000);
    }
  });

  it('waits after the close is dispatched, emitting reconnecting before starting the wait', () => {
    const driver = new MachineDriver().toOpen();
    driver.advance(2000);
    const drop = driver.end(1006);
    const delayMs = drop.machine.state.status === 'closed' && drop.machine.state.cause === 'dropped' && drop.machine.state.next.kind === 'wait' ? drop.machine.state.next.delayMs : NaN;
    const report = only(drop.effects, 'emit-close').report;
    const { machine, effects, cause } = driver.closeDispatched(false);
    expect(cause).toBe('backoff');
    expect(machine.state).toEqual({ status: 'waiting', until: 2000 + delayMs, paused: null, report: expect.objectContaining({ code: 1006 }) });
    expect(effects).toEqual([
      { type: 'emit-reconnecting', attempt: 1, delayMs, report },
      { type: 'start-wait', delayMs },
    ]);
  });

  it('connects socket 2 when the wait elapses', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    const { machine, effects } = driver.waitElapsed();
    expect(machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(effects).toEqual([{ type: 'open-socket', socket: 2 }]);
  });

  it('closes for good with cause canceled when a close listener prevents the default', () => {
    const driver = new MachineDriver().toOpen();
    driver.end(1006);
    const { machine, effects } = driver.closeDispatched(true);
    expect(machine.state).toEqual({ status: 'closed', cause: 'canceled' });
    expect(effects).toEqual([{ type: 'environment', listen: false }]);
    expect(driver.waitElapsed().machine).toBe(machine);
  });

  it('ignores close-dispatched when no drop is pending', () => {
    const driver = new MachineDriver().toOpen();
    const before = driver.machine;
    expect(driver.closeDispatched(false).machine).toBe(before);
  });

  it('detaches a socket the library declared dead with a 4xxx close and reports the library as the initiator', () => {
    const driver = new MachineDriver().toOpen();
    driver.advance(35_000);
    const { effects, cause } = driver.end(1006, { reason: 'heartbeat timeout', libraryCause: 'heartbeat-timeout' });
    expect(cause).toBe('heartbeat-timeout');
    // Abandoned: a socket presumed dead gets no wait for a closing handshake.
    expect(only(effects, 'detach-socket')).toEqual({ type: 'detach-socket', close: { code: libraryCloseCode, reason: 'heartbeat timeout' }, abandon: true });
    expect(only(effects, 'emit-close').report).toMatchObject({ code: 1006, wasClean: false, initiator: 'library', libraryCause: 'heartbeat-timeout' });
  });

  it.each([
    ['a negative delay', -50],
    ['NaN', NaN],
    ['Infinity', Infinity],
  ])('falls back to the backoff schedule when a policy function returns %s as the delay', (_name, delayMs) => {
    const driver = new MachineDriver({ reconnect: { strategy: 'none' }, policy: { decide: () => ({ action: 'reconnect', delayMs, minDelayMs: delayMs, maxDelayMs: delayMs }) } });
    driver.connect();
    driver.end(1006);
    expect(only(driver.closeDispatched(false).effects, 'start-wait').delayMs).toBe(1500);
  });

  it('uses normal backoff, not the fast path, for a failed handshake', () => {
    const driver = new MachineDriver({ reconnect: { strategy: 'none' } });
    driver.connect();
    const { machine, effects } = driver.end(1006);
    expect(only(effects, 'emit-close').report.phase).toBe('handshake');
    expect(machine.state).toMatchObject({ next: { kind: 'wait', delayMs: 1500 } });
  });
});

describe('user close', () => {
  it.each(['connecting', 'open'] as const)('moves from %s to closing and closes the socket with the given code and reason', (status) => {
    const driver = new MachineDriver();
    driver.connect();
    if (status === 'open') driver.opened();
    const { machine, effects, cause } = driver.close(4001, 'bye');
    expect(cause).toBe('close()');
    expect(machine.state).toEqual({ status: 'closing', socket: 1, code: 4001, reason: 'bye' });
    expect(effects).toEqual([
      { type: 'heartbeat', action: 'stop' },
      { type: 'close-socket', socket: 1, code: 4001, reason: 'bye' },
    ]);
  });

  it('closes with cause user when the closing socket ends, reporting the application as the initiator', () => {
    const driver = new MachineDriver().toOpen();
    driver.close(1000, 'done');
    const { machine, effects } = driver.end(1000, { reason: 'done', wasClean: true });
    expect(machine.state).toEqual({ status: 'closed', cause: 'user' });
    expect(effectTypes(effects)).toEqual(['detach-socket', 'environment', 'emit-close']);
    expect(only(effects, 'environment').listen).toBe(false);
    const close = only(effects, 'emit-close');
    expect(close.thenDispatch).toBe(false);
    expect(close.report).toMatchObject({ code: 1000, reason: 'done', initiator: 'client', decision: { action: 'stop', reason: 'closed by the application' }, delayMs: null });
  });

  it('never opens a socket that was closed while connecting', () => {
    const driver = new MachineDriver();
    driver.connect();
    driver.close(undefined);
    const before = driver.machine;
    expect(driver.opened(1).machine).toBe(before);
    expect(driver.state.status).toBe('closing');
  });

  it('cancels the wait and defers an ended with no socket when closing while waiting', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    const { machine, effects } = driver.close(4001, 'bye');
    expect(machine.state).toEqual({ status: 'closing', socket: null, code: 4001, reason: 'bye' });
    expect(effectTypes(effects)).toEqual(['cancel-wait', 'defer']);
    const deferred = only(effects, 'defer').event;
    expect(deferred).toMatchObject({ type: 'ended', socket: null, ended: { code: 4001, reason: 'bye', wasClean: true } });
    const done = driver.dispatch(deferred);
    expect(done.machine.state).toEqual({ status: 'closed', cause: 'user' });
    expect(only(done.effects, 'emit-close').report).toMatchObject({ code: 4001, initiator: 'client' });
  });

  it('reports 1005 for a close without a code while waiting', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    const deferred = only(driver.close(undefined).effects, 'defer').event;
    expect(deferred).toMatchObject({ ended: { code: 1005 } });
  });

  it('closes at once, without another close event, when close() comes from the listener of a drop', () => {
    const driver = new MachineDriver().toOpen();
    driver.end(1006);
    const { machine, effects } = driver.close(1000);
    expect(machine.state).toEqual({ status: 'closed', cause: 'user' });
    expect(effects).toEqual([{ type: 'environment', listen: false }]);
    expect(driver.closeDispatched(false).machine).toBe(machine);
  });

  it('ignores close() while already closing or closed', () => {
    const driver = new MachineDriver().toOpen();
    driver.close(1000);
    const closing = driver.machine;
    expect(driver.close(4000).machine).toBe(closing);
    driver.end(1000);
    const closed = driver.machine;
    expect(driver.close(1000).machine).toBe(closed);
  });
});

describe('giving up', () => {
  /** Fails handshakes until the machine decides to give up; returns the number of failures and the reason. */
  function failUntilGiveup(driver: MachineDriver, stepMs: number): { failures: number; reason: string; at: number } {
    for (let failures = 1; failures <= 50; failures++) {
      driver.advance(stepMs);
      const { machine } = driver.end(1006);
      if (machine.state.status === 'closed' && machine.state.cause === 'dropped' && machine.state.next.kind === 'giveup') {
        return { failures, reason: machine.state.next.reason, at: driver.now };
      }
      driver.closeDispatched(false);
      driver.waitElapsed();
    }
    throw new Error('never gave up');
  }

  it('gives up after maxRetries retries and emits giveup once the close is dispatched', () => {
    const driver = new MachineDriver({ reconnect: { maxRetries: 2 } });
    driver.connect();
    const { failures, reason } = failUntilGiveup(driver, 100);
    expect(failures).toBe(3);
    expect(reason).toBe('gave up after 2 retries (reconnect.maxRetries)');
    const { machine, effects } = driver.closeDispatched(false);
    expect(machine.state).toEqual({ status: 'closed', cause: 'giveup' });
    expect(effectTypes(effects)).toEqual(['environment', 'emit-giveup']);
    expect(only(effects, 'environment').listen).toBe(false);
    expect(only(effects, 'emit-giveup')).toMatchObject({ reason, report: { decision: { action: 'stop', reason } } });
  });

  it('never reconnects with maxRetries 0', () => {
    const driver = new MachineDriver({ reconnect: { maxRetries: 0 } }).toOpen();
    driver.advance(60_000);
    const { machine, effects } = driver.end(1006);
    expect(machine.state).toMatchObject({ status: 'closed', next: { kind: 'giveup', reason: 'gave up after 0 retries (reconnect.maxRetries)' } });
    expect(effects.some((effect) => effect.type === 'start-wait' || effect.type === 'open-socket')).toBe(false);
    expect(driver.closeDispatched(false).effects.some((effect) => effect.type === 'start-wait')).toBe(false);
  });

  it('gives up once maxElapsedMs have passed since the first attempt', () => {
    const driver = new MachineDriver({ reconnect: { maxElapsedMs: 5000, strategy: 'none' } });
    driver.connect();
    const { failures, reason, at } = failUntilGiveup(driver, 100);
    expect(at).toBeGreaterThanOrEqual(5000);
    expect(reason).toBe(`gave up after ${at} ms (reconnect.maxElapsedMs)`);
    // Waits of 1.5 s, 2.5 s and 4.5 s: the fourth failure, at 8.9 s, is the first past 5 s.
    expect(failures).toBe(4);
  });

  it('gives up on a close code the default policy treats as terminal', () => {
    const driver = new MachineDriver().toOpen();
    const { machine } = driver.end(1003);
    expect(machine.state).toMatchObject({ status: 'closed', next: { kind: 'giveup', reason: 'close code 1003 (unsupported-data) is terminal' } });
  });

  it('gives up when a policy rule says stop, with the rule’s reason', () => {
    const driver = new MachineDriver({ policy: { codes: { 4001: 'stop', 4002: { action: 'stop', reason: 'banned' } } } }).toOpen();
    expect(driver.end(4002).machine.state).toMatchObject({ next: { kind: 'giveup', reason: 'banned' } });
    driver.connect();
    driver.opened();
    expect(driver.end(4001).machine.state).toMatchObject({ next: { kind: 'giveup', reason: 'close code 4001 (application) is terminal' } });
  });

  it('stops after the drop with reason "reconnect is disabled" when reconnect is false', () => {
    const driver = new MachineDriver({ reconnect: false }).toOpen();
    driver.advance(60_000);
    const drop = driver.end(1006);
    expect(drop.machine.state).toMatchObject({ status: 'closed', cause: 'dropped', next: { kind: 'giveup', reason: 'reconnect is disabled' } });
    expect(only(drop.effects, 'emit-close').report.decision).toEqual({ action: 'stop', reason: 'reconnect is disabled' });
    const { machine, effects } = driver.closeDispatched(false);
    expect(machine.state).toEqual({ status: 'closed', cause: 'giveup' });
    expect(only(effects, 'emit-giveup').reason).toBe('reconnect is disabled');
  });

  it('still reconnects on request after giving up, with a fresh retry count', () => {
    const driver = new MachineDriver({ reconnect: { maxRetries: 0 } }).toOpen();
    driver.end(1006);
    driver.closeDispatched(false);
    const { machine, effects } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(effects).toEqual([{ type: 'environment', listen: true }, { type: 'open-socket', socket: 2 }]);
    expect(machine.retry.attempt).toBe(0);
  });
});

describe('the retry counter', () => {
  /** Opens, stays open `openMs`, then drops with 1001 (plain backoff); returns the wait and the attempt. */
  function cycle(driver: MachineDriver, openMs: number): { delayMs: number; attempt: number } {
    if (driver.state.status === 'waiting') driver.waitElapsed();
    driver.opened();
    driver.advance(openMs);
    driver.end(1001);
    const { effects } = driver.closeDispatched(false);
    const reconnecting = only(effects, 'emit-reconnecting');
    return { delayMs: reconnecting.delayMs, attempt: reconnecting.attempt };
  }

  it('grows on quick drops and resets after a connection stayed open stableAfterMs', () => {
    const driver = new MachineDriver({ reconnect: { strategy: 'none' } });
    driver.connect();
    expect(cycle(driver, 1000)).toEqual({ delayMs: 1500, attempt: 1 });
    expect(cycle(driver, 1000)).toEqual({ delayMs: 2500, attempt: 2 });
    expect(cycle(driver, 9_999)).toEqual({ delayMs: 4500, attempt: 3 });
    expect(cycle(driver, 10_000)).toEqual({ delayMs: 1500, attempt: 1 });
    expect(driver.machine.retry.since).toBe(driver.now);
  });

  it('grows on handshake failures, which never reset it', () => {
    const driver = new MachineDriver({ reconnect: { strategy: 'none' } });
    driver.connect();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      driver.advance(50_000);
      driver.end(1006);
      delays.push(only(driver.closeDispatched(false).effects, 'start-wait').delayMs);
      driver.waitElapsed();
    }
    expect(delays).toEqual([1500, 2500, 4500, 8500, 10_000]);
  });

  it('reports the attempt of the connection that dropped', () => {
    const driver = new MachineDriver().toOpen();
    driver.end(1001);
    driver.closeDispatched(false);
    driver.waitElapsed();
    driver.opened();
    driver.advance(100);
    expect(only(driver.end(1001).effects, 'emit-close').report.attempt).toBe(1);
  });
});

describe('decorrelated backoff', () => {
  it('starts again from the base after a stable connection', () => {
    const driver = new MachineDriver({ reconnect: { strategy: 'decorrelated', baseDelayMs: 1000, minDelayMs: 0, maxDelayMs: 10_000 } });
    driver.random = () => 0.99;
    driver.connect();
    for (let i = 0; i < 6; i++) {
      driver.end(1001);
      driver.closeDispatched(false);
      driver.waitElapsed();
    }
    expect(driver.machine.retry.previousDelayMs).toBe(10_000);
    driver.opened();
    driver.advance(20_000);
    const drop = driver.end(1001);
    const { delayMs } = only(drop.effects, 'emit-close').report;
    expect(delayMs).toBeGreaterThanOrEqual(1000);
    expect(delayMs).toBeLessThanOrEqual(3000);
  });
});

describe('offline', () => {
  it('pauses without spending retries while offline: only the one attempt made once the network is back counts', () => {
    const driver = new MachineDriver({ reconnect: { maxRetries: 1 } }, { online: false }).toOpen();
    driver.advance(5000);
    const drop = driver.end(1006);
    expect(drop.machine.state).toEqual({ status: 'closed', cause: 'dropped', next: { kind: 'pause', pause: 'offline', report: only(drop.effects, 'emit-close').report } });
    expect(only(drop.effects, 'emit-close').report).toMatchObject({ online: false, delayMs: null });
    const { machine, effects } = driver.closeDispatched(false);
    expect(machine.state).toMatchObject({ status: 'waiting', paused: 'offline', pausedAt: expect.any(Number) });
    expect(effects).toEqual([]);
    expect(machine.retry.attempt).toBe(1);
    // An hour offline, signals and timers included, spends nothing more.
    driver.advance(3_600_000);
    for (const signal of ['visible', 'resume', 'offline'] as const) driver.signal(signal);
    expect(driver.waitElapsed().machine.retry.attempt).toBe(1);
    driver.online = true;
    expect(only(driver.signal('online').effects, 'emit-reconnecting').attempt).toBe(1);
    driver.waitElapsed();
    expect(driver.state).toMatchObject({ status: 'connecting' });
    // maxRetries: 1 allowed exactly that attempt.
    const failed = driver.end(1006);
    expect(only(failed.effects, 'emit-close').report.decision).toMatchObject({ action: 'stop' });
  });

  it('stays paused on resume or visible while the network is still down: only online ends an offline pause', () => {
    const driver = new MachineDriver({}, { online: false });
    driver.connect();
    driver.end(1006);
    const paused = driver.closeDispatched(false).machine;
    for (const signal of ['resume', 'visible', 'pageshow'] as const) expect(driver.signal(signal).machine).toBe(paused);
  });

  it('does not count time spent offline against maxElapsedMs', () => {
    const driver = new MachineDriver({ reconnect: { maxElapsedMs: 60_000 } }, { online: false });
    driver.connect();
    driver.advance(100);
    driver.end(1006);
    driver.closeDispatched(false);
    driver.advance(3_600_000);
    driver.online = true;
    driver.signal('online');
    driver.waitElapsed();
    driver.advance(100);
    const failed = driver.end(1006);
    expect(only(failed.effects, 'emit-close').report.decision.action).toBe('reconnect');
    expect(failed.machine.state).toMatchObject({ status: 'closed', next: { kind: 'wait' } });
  });

  it('starts a short wait in [0, 500 ms] when the network comes back', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const driver = new MachineDriver({}, { online: false, seed });
      driver.connect();
      driver.advance(2000);
      driver.end(1006);
      driver.closeDispatched(false);
      driver.advance(10_000);
      driver.online = true;
      const { machine, effects } = driver.signal('online');
      expect(effectTypes(effects)).toEqual(['cancel-wait', 'start-wait', 'emit-reconnecting']);
      const { delayMs } = only(effects, 'start-wait');
      expect(delayMs).toBeGreaterThanOrEqual(0);
      expect(delayMs).toBeLessThanOrEqual(500);
      expect(machine.state).toEqual({ status: 'waiting', until: driver.now + delayMs, paused: null, report: expect.objectContaining({ code: 1006 }) });
      expect(driver.waitElapsed().machine.state).toEqual({ status: 'connecting', socket: 2 });
    }
  });

  it('keeps at most one attempt a second when the network comes back right after one', () => {
    const driver = new MachineDriver({}, { online: false, now: 10_000 });
    driver.connect();
    driver.advance(200);
    driver.end(1006);
    driver.closeDispatched(false);
    driver.advance(100);
    driver.online = true;
    const { delayMs } = only(driver.signal('online').effects, 'start-wait');
    // The attempt started at 10 000; the next may not start before 11 000.
    expect(driver.now + delayMs).toBe(11_000);
  });

  it('pauses a running wait when the network goes away', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    driver.online = false;
    const { machine, effects } = driver.signal('offline');
    expect(machine.state).toMatchObject({ status: 'waiting', paused: 'offline', pausedAt: expect.any(Number) });
    expect(effects).toEqual([{ type: 'cancel-wait' }]);
  });
});

describe('visibility and the page lifecycle', () => {
  /** A machine waiting 9 s after a failed handshake, with the last attempt long ago. */
  function longWait(): MachineDriver {
    const driver = new MachineDriver({ reconnect: { strategy: 'none', minDelayMs: 8000 } });
    driver.connect();
    driver.advance(2000);
    driver.toWaiting();
    expect(driver.state).toMatchObject({ status: 'waiting', until: driver.now + 9000 });
    return driver;
  }

  it('shortens a long wait to [0, 500 ms] when the page becomes visible', () => {
    const driver = longWait();
    driver.advance(1000);
    const { machine, effects, cause } = driver.signal('visible');
    expect(cause).toBe('visible');
    expect(effectTypes(effects)).toEqual(['cancel-wait', 'start-wait', 'emit-reconnecting']);
    const { delayMs } = only(effects, 'start-wait');
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(500);
    expect(machine.state).toMatchObject({ status: 'waiting', until: driver.now + delayMs, paused: null });
  });

  it('keeps a wait that ends sooner than the visibility jitter', () => {
    const driver = longWait();
    driver.advance(8900);
    driver.random = () => 0.9;
    const before = driver.machine;
    expect(driver.signal('visible').machine).toBe(before);
  });

  it('ignores visible while paused offline or while the browser says it is offline', () => {
    const driver = longWait();
    driver.online = false;
    const paused = driver.signal('offline').machine;
    expect(driver.signal('visible').machine).toBe(paused);

    const other = longWait();
    other.online = false;
    const before = other.machine;
    expect(other.signal('visible').machine).toBe(before);
  });

  it('ignores hidden while waiting', () => {
    const driver = longWait();
    const before = driver.machine;
    expect(driver.signal('hidden').machine).toBe(before);
  });

  it('probes the heartbeat when an open page becomes visible, comes online or resumes', () => {
    for (const signal of ['visible', 'online', 'resume'] as const) {
      const driver = new MachineDriver().toOpen();
      const { machine, effects } = driver.signal(signal);
      expect(machine.state).toEqual({ status: 'open', socket: 1 });
      expect(effects).toEqual([{ type: 'heartbeat', action: 'probe' }]);
    }
  });

  it('closes an open socket cleanly on pagehide and reconnects at once on pageshow', () => {
    const driver = new MachineDriver().toOpen();
    const hide = driver.signal('pagehide');
    expect(hide.machine.state).toEqual({ status: 'closed', cause: 'dropped', next: { kind: 'pause', pause: 'pagehide', report: only(hide.effects, 'emit-close').report } });
    expect(effectTypes(hide.effects)).toEqual(['heartbeat', 'detach-socket', 'emit-close']);
    expect(only(hide.effects, 'detach-socket').close).toEqual({ code: 1000, reason: 'page entered the back/forward cache' });
    const close = only(hide.effects, 'emit-close');
    expect(close.thenDispatch).toBe(true);
    expect(close.report).toMatchObject({ code: 1001, initiator: 'library', libraryCause: 'page-hidden' });

    const paused = driver.closeDispatched(false);
    expect(paused.machine.state).toMatchObject({ status: 'waiting', paused: 'pagehide', pausedAt: expect.any(Number) });
    expect(paused.effects).toEqual([]);

    const show = driver.signal('pageshow');
    expect(show.machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(show.effects).toEqual([{ type: 'cancel-wait' }, { type: 'open-socket', socket: 2 }]);
    expect(show.machine.retry.attempt).toBe(0);
  });

  it('reports the open connection it closes on pagehide from what the class measured', () => {
    const driver = new MachineDriver().toOpen();
    driver.advance(30_000);
    const measured = endedSocket({ code: 1001, openedAt: 0, lastInboundAt: 29_000 });
    const close = only(driver.signal('pagehide', measured).effects, 'emit-close');
    expect(close.report).toMatchObject({ code: 1001, wasClean: true, phase: 'open', openDurationMs: 30_000, sinceLastMessageMs: 1000, libraryCause: 'page-hidden' });
    expect(close.report.explanation).toBe('closed while the page entered the back/forward cache');
  });

  it('abandons a connecting socket on pagehide and waits for pageshow', () => {
    const driver = new MachineDriver();
    driver.connect();
    const { machine, effects } = driver.signal('pagehide');
    expect(machine.state).toMatchObject({ status: 'waiting', paused: 'pagehide', pausedAt: expect.any(Number) });
    expect(effects).toEqual([{ type: 'detach-socket', close: { code: libraryCloseCode, reason: 'page hidden' }, abandon: true }]);
    expect(driver.waitElapsed().machine).toBe(machine);
    expect(driver.signal('pageshow').machine.state).toEqual({ status: 'connecting', socket: 2 });
  });

  it('suspends a wait on pagehide and on freeze, and resumes it on resume', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    expect(driver.signal('pagehide')).toMatchObject({ machine: { state: { paused: 'pagehide' } }, effects: [{ type: 'cancel-wait' }] });
    const frozen = new MachineDriver().toOpen().toWaiting();
    frozen.advance(5000);
    expect(frozen.signal('freeze')).toMatchObject({ machine: { state: { paused: 'frozen' } }, effects: [{ type: 'cancel-wait' }] });
    const resumed = frozen.signal('resume');
    expect(effectTypes(resumed.effects)).toEqual(['cancel-wait', 'start-wait', 'emit-reconnecting']);
    // The same retry, resumed: announced with the number it was scheduled with.
    expect(only(resumed.effects, 'emit-reconnecting').attempt).toBe(1);
    expect(resumed.machine.retry.attempt).toBe(1);
    expect(resumed.machine.state).toMatchObject({ status: 'waiting', paused: null });
  });
});

describe('pauses that overlap', () => {
  it('keeps an offline pause through freeze and resume: only online ends it', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    driver.online = false;
    const offline = driver.signal('offline').machine;
    expect(offline.state).toMatchObject({ paused: 'offline' });
    expect(driver.signal('freeze').machine).toBe(offline);
    expect(driver.signal('resume').machine).toBe(offline);
    driver.online = true;
    const back = driver.signal('online');
    expect(back.machine.state).toMatchObject({ status: 'waiting', paused: null });
    expect(effectTypes(back.effects)).toEqual(['cancel-wait', 'start-wait', 'emit-reconnecting']);
  });

  it('keeps a back/forward cache pause through the freeze, resume and visibility changes that come with it', () => {
    const driver = new MachineDriver().toOpen();
    driver.signal('pagehide');
    const paused = driver.closeDispatched(false).machine;
    expect(paused.state).toMatchObject({ status: 'waiting', paused: 'pagehide' });
    for (const signal of ['hidden', 'freeze', 'resume', 'visible'] as const) {
      const step = driver.signal(signal);
      expect(step.machine).toBe(paused);
      expect(step.effects).toEqual([]);
    }
    expect(driver.signal('pageshow').machine.state).toEqual({ status: 'connecting', socket: 2 });
  });

  it('turns a pause that ends while the network is down into an offline pause, without an attempt', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    const frozen = driver.signal('freeze').machine;
    expect(frozen.state).toMatchObject({ paused: 'frozen' });
    driver.online = false;
    const resumed = driver.signal('resume');
    expect(resumed.machine.state).toMatchObject({ status: 'waiting', paused: 'offline' });
    expect(resumed.effects).toEqual([]);
    if (frozen.state.status !== 'waiting' || frozen.state.paused === null) throw new Error('expected a paused wait');
    // The same pause goes on: its time counts against no limit from when it began.
    expect(resumed.machine.state).toMatchObject({ pausedAt: frozen.state.pausedAt });
    driver.online = true;
    expect(driver.signal('online').machine.state).toMatchObject({ status: 'waiting', paused: null });
  });
});

describe('dispose', () => {
  const reach: Record<string, () => MachineDriver> = {
    connecting: () => {
      const driver = new MachineDriver();
      driver.connect();
      return driver;
    },
    open: () => new MachineDriver().toOpen(),
    waiting: () => new MachineDriver().toOpen().toWaiting(),
    'waiting, paused offline': () => new MachineDriver({}, { online: false }).toOpen().toWaiting(),
    closing: () => {
      const driver = new MachineDriver().toOpen();
      driver.close(1000);
      return driver;
    },
    'closed by close()': () => {
      const driver = new MachineDriver().toOpen();
      driver.close(1000);
      driver.end(1000);
      return driver;
    },
    'closed by a drop, before its close event was dispatched': () => {
      const driver = new MachineDriver().toOpen();
      driver.end(1006);
      return driver;
    },
    'closed after giving up': () => {
      const driver = new MachineDriver({ reconnect: { maxRetries: 0 } }).toOpen();
      driver.end(1006);
      driver.closeDispatched(false);
      return driver;
    },
    'never connected': () => new MachineDriver(),
  };

  it.each(Object.keys(reach))('leaves status closed with cause disposed and releases everything from %s', (name) => {
    const driver = (reach[name] as () => MachineDriver)();
    const { machine, effects, cause } = driver.dispose();
    expect(cause).toBe('dispose()');
    expect(machine.state).toEqual({ status: 'closed', cause: 'disposed' });
    expect(effects).toEqual([
      { type: 'cancel-wait' },
      { type: 'heartbeat', action: 'stop' },
      { type: 'detach-socket', close: { code: 1000, reason: 'disposed' } },
      { type: 'environment', listen: false },
    ]);
    expect(driver.dispose().machine).toBe(machine);
  });
});

describe('connect (reconnect())', () => {
  it('starts afresh from closed after close(), listening again', () => {
    const driver = new MachineDriver({ reconnect: { strategy: 'none' } });
    driver.connect();
    driver.toWaiting().waitElapsed();
    driver.toWaiting().waitElapsed();
    driver.close(1000);
    driver.end(1000);
    driver.advance(1000);
    const { machine, effects } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 4 });
    expect(effects).toEqual([{ type: 'environment', listen: true }, { type: 'open-socket', socket: 4 }]);
    expect(machine.retry).toMatchObject({ attempt: 0, since: driver.now, streak: 0, streakCode: null });
  });

  it('does not subscribe again when called from the listener of a drop', () => {
    const driver = new MachineDriver().toOpen();
    driver.end(1006);
    const { machine, effects } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(effects).toEqual([{ type: 'open-socket', socket: 2 }]);
    expect(driver.closeDispatched(false).machine).toBe(machine);
  });

  it('skips the wait, keeping the retry count, while waiting', () => {
    const driver = new MachineDriver().toOpen().toWaiting();
    const { machine, effects } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(effects).toEqual([{ type: 'cancel-wait' }, { type: 'open-socket', socket: 2 }]);
    expect(machine.retry.attempt).toBe(1);
  });

  it('replaces an open socket, closing it with 1000 after stopping the heartbeat, and emits its close last', () => {
    const driver = new MachineDriver().toOpen();
    driver.advance(4000);
    const { machine, effects } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(effectTypes(effects)).toEqual(['heartbeat', 'detach-socket', 'open-socket', 'emit-close']);
    expect(effects[0]).toEqual({ type: 'heartbeat', action: 'stop' });
    expect(effects[1]).toEqual({ type: 'detach-socket', close: { code: 1000, reason: 'reconnect()' } });
    expect(effects[2]).toEqual({ type: 'open-socket', socket: 2 });
    const close = only(effects, 'emit-close');
    expect(close.thenDispatch).toBe(false);
    expect(close.report).toMatchObject({ code: 1000, reason: 'reconnect()', wasClean: true, initiator: 'client', decision: { action: 'reconnect' } });
  });

  it('replaces a connecting socket, closing it with the library code', () => {
    const driver = new MachineDriver();
    driver.connect();
    const { effects } = driver.connect();
    expect(effects).toEqual([
      { type: 'detach-socket', close: { code: libraryCloseCode, reason: 'reconnect()' }, abandon: true },
      { type: 'open-socket', socket: 2 },
    ]);
  });

  it('replaces a closing socket without closing it again, and still emits the close that close() asked for', () => {
    const driver = new MachineDriver().toOpen();
    driver.close(3001);
    const { machine, effects } = driver.connect();
    expect(machine.state).toEqual({ status: 'connecting', socket: 2 });
    expect(effects.map((effect) => effect.type)).toEqual(['detach-socket', 'open-socket', 'emit-close']);
    expect(effects[0]).toEqual({ type: 'detach-socket' });
    expect(effects[2]).toMatchObject({ type: 'emit-close', thenDispatch: false, report: { code: 3001, wasClean: true, initiator: 'client' } });
  });

  it('reconnects after dispose', () => {
    const driver = new MachineDriver().toOpen();
    driver.dispose();
    expect(driver.connect().effects).toEqual([{ type: 'environment', listen: true }, { type: 'open-socket', socket: 2 }]);
  });
});

// ---- properties over random event sequences ----

const optionSets: readonly ResilientWebSocketOptions[] = [
  {},
  { reconnect: { maxRetries: 2 } },
  { reconnect: false },
  { reconnect: { strategy: 'decorrelated', maxElapsedMs: 30_000, stableAfterMs: 2000 } },
  { reconnect: { strategy: 'none', baseDelayMs: 0, minDelayMs: 0, stableAfterMs: 0 } },
  { reconnect: { strategy: 'equal' }, heartbeat: true, policy: presets.centrifugo },
  {
    // A policy function's numbers are not validated up front; the machine must not pass them on.
    policy: {
      decide: (report) => {
        if (report.code === 4000) return { action: 'reconnect', delayMs: -1 };
        if (report.code === 3600) return { action: 'reconnect', delayMs: NaN, minDelayMs: Infinity };
        if (report.code === 1011) return { action: 'reconnect', maxDelayMs: -5 };
        return undefined;
      },
    },
  },
];

const signals = ['online', 'offline', 'visible', 'hidden', 'pagehide', 'pageshow', 'freeze', 'resume'] as const;
const codes = [1000, 1001, 1002, 1003, 1005, 1006, 1006, 1006, 1008, 1011, 1012, 1013, 3000, 3600, 4000, 4500] as const;

const userAction: fc.Arbitrary<UserAction> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'connect' } as const) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), code: fc.constantFrom(undefined, 1000, 4001), reason: fc.constantFrom('', 'bye') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dispose' } as const) },
);
/** Mostly the live socket; sometimes an id the class no longer holds. */
const stale = fc.constantFrom(false, false, false, true);

const worldAction: fc.Arbitrary<WorldAction> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('opened' as const), stale, staleId: fc.integer({ min: 1, max: 12 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ended' as const),
      stale,
      staleId: fc.integer({ min: 1, max: 12 }),
      code: fc.constantFrom(...codes),
      libraryCause: fc.constantFrom(undefined, 'heartbeat-timeout', 'connect-timeout', 'provider-failed'),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'wait-elapsed' } as const) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('signal' as const), signal: fc.constantFrom(...signals) }) },
);

const step: fc.Arbitrary<Step> = fc.record({
  advanceMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 2000, max: 40_000 })),
  online: fc.constantFrom<boolean | null>(true, true, true, false, null),
  visible: fc.constantFrom<boolean | null>(true, true, false, null),
  prevented: fc.boolean(),
  action: fc.oneof({ weight: 1, arbitrary: userAction }, { weight: 4, arbitrary: worldAction }),
});

const scenario = fc.record({
  options: fc.constantFrom(...optionSets),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  steps: fc.array(step, { maxLength: 80, size: 'max' }),
});

const runs = { numRuns: 500 };
const describeEvent = (event: MachineEvent): string => JSON.stringify(event, (key, value: unknown) => (key === 'report' || key === 'ended' ? undefined : value));
const trace = (records: readonly TraceRecord[]): string =>
  records.map((r) => `${r.before.state.status} --${describeEvent(r.event)}--> ${JSON.stringify(r.after.state)}`).join('\n');

/** Runs `check` on every record; on failure, fast-check shrinks the scenario and the message carries the trace. */
function everyRecord(check: (record: TraceRecord, index: number, records: readonly TraceRecord[]) => void): fc.IPropertyWithHooks<[{ options: ResilientWebSocketOptions; seed: number; steps: Step[] }]> {
  return fc.property(scenario, ({ options, seed, steps }) => {
    const records = runScenario(options, seed, steps);
    records.forEach((record, index) => {
      try {
        check(record, index, records);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nat step ${index}:\n${trace(records.slice(0, index + 1))}`);
      }
    });
  });
}

describe('properties of random event sequences', () => {
  it('never reaches open or connecting after close() until connect', () => {
    let closedByUser = false;
    fc.assert(
      everyRecord((record, index) => {
        if (index === 0) closedByUser = false;
        if (record.event.type === 'close') closedByUser = true;
        if (record.event.type === 'connect') closedByUser = false;
        if (closedByUser) expect(['open', 'connecting']).not.toContain(record.after.state.status);
      }),
      runs,
    );
  });

  it('never holds more than one live socket, and holds exactly the state’s socket', () => {
    fc.assert(
      everyRecord(({ after, resources }) => {
        // An open-socket beside a socket that was neither ended nor detached leaves an orphan.
        expect(resources.maxLive).toBeLessThanOrEqual(1);
        const { state } = after;
        if (state.status === 'connecting' || state.status === 'open') expect(resources.live).toEqual([state.socket]);
        else if (state.status === 'closing') expect(resources.live).toEqual(state.socket === null ? [] : [state.socket]);
        else expect(resources.live).toEqual([]);
      }),
      runs,
    );
  });

  it('stays closed with cause disposed after dispose: later events other than connect change nothing', () => {
    let disposedAt: Machine | null = null;
    fc.assert(
      everyRecord((record, index) => {
        if (index === 0) disposedAt = null;
        if (record.event.type === 'connect') disposedAt = null;
        else if (disposedAt !== null) {
          expect(record.after).toBe(disposedAt);
          expect(record.effects).toEqual([]);
        }
        if (record.event.type === 'dispose') {
          expect(record.after.state).toEqual({ status: 'closed', cause: 'disposed' });
          expect(record.effects.some((effect: Effect) => effect.type === 'start-wait' || effect.type === 'open-socket')).toBe(false);
          disposedAt = record.after;
        }
      }),
      runs,
    );
  });

  it('starts every wait with a finite, non-negative delay', () => {
    fc.assert(
      everyRecord(({ effects, after, now }) => {
        for (const effect of effects) {
          if (effect.type !== 'start-wait') continue;
          expect(Number.isFinite(effect.delayMs)).toBe(true);
          expect(effect.delayMs).toBeGreaterThanOrEqual(0);
          // The state says when the timer it starts will fire.
          expect(after.state).toMatchObject({ status: 'waiting', paused: null, until: now + effect.delayMs });
        }
      }),
      runs,
    );
  });

  it('runs the heartbeat exactly while open, the wait timer exactly while waiting unpaused, and listens exactly while alive', () => {
    fc.assert(
      everyRecord(({ after, resources }) => {
        const { state } = after;
        expect(resources.heartbeat).toBe(state.status === 'open');
        expect(resources.waitTimer).toBe(state.status === 'waiting' && state.paused === null);
        expect(resources.listening).toBe(!(state.status === 'closed' && state.cause !== 'dropped'));
      }),
      runs,
    );
  });

  it('emits a close for every open before the next open, dispose aside', () => {
    let openWithoutClose = false;
    fc.assert(
      everyRecord((record, index) => {
        if (index === 0) openWithoutClose = false;
        // dispose() promises that no event follows.
        if (record.event.type === 'dispose') openWithoutClose = false;
        for (const effect of record.effects) {
          if (effect.type === 'emit-open') {
            expect(openWithoutClose).toBe(false);
            openWithoutClose = true;
          }
          if (effect.type === 'emit-close') openWithoutClose = false;
        }
      }),
      runs,
    );
  });

  it('ignores every event from a stale socket', () => {
    fc.assert(
      everyRecord(({ stale, before, after, effects }) => {
        if (!stale) return;
        expect(after).toBe(before);
        expect(effects).toEqual([]);
      }),
      runs,
    );
  });

  it('never lets the retry counter or the socket id go backwards except on a fresh start', () => {
    fc.assert(
      everyRecord(({ event, before, after }) => {
        expect(after.nextSocket).toBeGreaterThanOrEqual(before.nextSocket);
        if (after.retry.attempt < before.retry.attempt) {
          // Only reconnect() from closed or a drop after a stable connection resets it.
          expect(event.type === 'connect' || event.type === 'ended').toBe(true);
        }
      }),
      runs,
    );
  });
});
