import { afterEach, describe, expect, it } from 'vitest';
import { HeartbeatMonitor, nextHeartbeatStep, type HeartbeatConfig, type HeartbeatStep, type Liveness } from '../../src/core/heartbeat.js';
import type { SendData } from '../../src/core/buffer.js';
import { FakeClock } from './fake-clock.js';

const active: HeartbeatConfig = {
  mode: 'active',
  intervalMs: 25_000,
  timeoutMs: 10_000,
  message: 'ping',
  isPong: (data) => data === 'pong',
};
const passive: HeartbeatConfig = { ...active, mode: 'passive' };

describe('nextHeartbeatStep', () => {
  const live = (lastInboundAt: number, pingSentAt: number | null): Liveness => ({ lastInboundAt, pingSentAt });

  describe('active mode', () => {
    it.each<[string, Liveness, number, HeartbeatStep]>([
      ['wait until lastInbound + interval right after open', live(0, null), 0, { kind: 'wait', untilMs: 25_000 }],
      ['still wait 1 ms before the ping is due', live(0, null), 24_999, { kind: 'wait', untilMs: 25_000 }],
      ['ping when the interval of silence has passed', live(0, null), 25_000, { kind: 'ping' }],
      ['ping when the check comes late', live(0, null), 90_000, { kind: 'ping' }],
      ['wait from the latest inbound message', live(20_000, null), 25_000, { kind: 'wait', untilMs: 45_000 }],
      ['wait for the answer until pingSentAt + timeout', live(0, 25_000), 25_000, { kind: 'wait', untilMs: 35_000 }],
      ['still wait 1 ms before the answer is overdue', live(0, 25_000), 34_999, { kind: 'wait', untilMs: 35_000 }],
      ['be dead when the timeout passed with no inbound after the ping', live(0, 25_000), 35_000, { kind: 'dead', silentMs: 35_000 }],
      ['be dead at once when the check comes late', live(0, 25_000), 100_000, { kind: 'dead', silentMs: 100_000 }],
      ['treat an inbound message after the ping as the answer', live(30_000, 25_000), 40_000, { kind: 'wait', untilMs: 55_000 }],
      ['treat a pong in the same millisecond as the ping as the answer', live(25_000, 25_000), 35_000, { kind: 'wait', untilMs: 50_000 }],
      ['ping again once an answered ping is an interval old', live(25_000, 25_000), 50_000, { kind: 'ping' }],
    ])('should %s', (_name, liveness, now, expected) => {
      expect(nextHeartbeatStep(liveness, now, active)).toEqual(expected);
    });
  });

  describe('passive mode', () => {
    it.each<[string, Liveness, number, HeartbeatStep]>([
      ['wait until lastInbound + interval + timeout', live(0, null), 0, { kind: 'wait', untilMs: 35_000 }],
      ['still wait 1 ms before the deadline', live(0, null), 34_999, { kind: 'wait', untilMs: 35_000 }],
      ['be dead after interval + timeout of silence', live(0, null), 35_000, { kind: 'dead', silentMs: 35_000 }],
      ['measure the silence from the last inbound message', live(50_000, null), 90_000, { kind: 'dead', silentMs: 40_000 }],
      ['never ask for a ping', live(0, null), 25_000, { kind: 'wait', untilMs: 35_000 }],
    ])('should %s', (_name, liveness, now, expected) => {
      expect(nextHeartbeatStep(liveness, now, passive)).toEqual(expected);
    });
  });
});

describe('HeartbeatMonitor', () => {
  let clock: FakeClock;
  let monitor: HeartbeatMonitor | undefined;

  const setup = (config: HeartbeatConfig = active) => {
    clock = new FakeClock(1_000_000);
    const pings: SendData[] = [];
    const deaths: number[] = [];
    monitor = new HeartbeatMonitor(config, clock, {
      ping: (message) => pings.push(message),
      dead: (silentMs) => deaths.push(silentMs),
    });
    return { monitor, pings, deaths };
  };

  afterEach(() => {
    monitor?.stop();
    expect(clock.pending()).toBe(0);
    monitor = undefined;
  });

  it('should send a ping after an interval of inbound silence', () => {
    const { monitor, pings } = setup();
    monitor.start();
    clock.advance(24_999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual(['ping']);
  });

  it('should call a message function for each ping', () => {
    let n = 0;
    const { monitor, pings } = setup({ ...active, message: () => `ping ${++n}` });
    monitor.start();
    clock.advance(25_000);
    monitor.inbound('pong', clock.now());
    clock.advance(25_000);
    expect(pings).toEqual(['ping 1', 'ping 2']);
  });

  it('should postpone the ping on inbound traffic without scheduling a timer per message', () => {
    const { monitor, pings } = setup();
    monitor.start();
    const timersAfterStart = clock.setTimeoutCalls;
    for (let i = 0; i < 1_000; i++) {
      clock.advance(20);
      expect(monitor.inbound(`message ${i}`, clock.now())).toBe(false);
    }
    expect(clock.setTimeoutCalls).toBe(timersAfterStart);
    expect(clock.pending()).toBe(1);
    // The last message came 20 s after start: the ping is due 25 s after it.
    clock.advance(24_999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual(['ping']);
  });

  it('should report a pong so that it is kept from message listeners', () => {
    const { monitor } = setup();
    monitor.start();
    clock.advance(25_000);
    clock.advance(150);
    expect(monitor.inbound('pong', clock.now())).toBe(true);
    expect(monitor.lastPongAt).toBe(clock.now());
    expect(monitor.inbound('hello', clock.now())).toBe(false);
  });

  it('should declare the connection dead when no message answers a ping within the timeout', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.advance(25_000);
    expect(pings).toHaveLength(1);
    clock.advance(9_999);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deaths).toEqual([35_000]);
    expect(clock.pending()).toBe(0);
  });

  it('should stay alive while every ping is answered', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    for (let round = 0; round < 10; round++) {
      clock.advance(25_000);
      clock.advance(500);
      monitor.inbound('pong', clock.now());
    }
    clock.advance(24_000);
    expect(pings).toHaveLength(10);
    expect(deaths).toEqual([]);
  });

  it('should wake once per cycle on an idle connection whose pings are answered at once', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    for (let cycle = 0; cycle < 10; cycle++) {
      clock.advance(25_000);
      expect(pings).toHaveLength(cycle + 1);
      clock.advance(5);
      monitor.inbound('pong', clock.now());
    }
    clock.advance(24_000);
    // One wake-up per ping; none at the pong deadlines the answers made moot.
    expect(clock.fired).toBe(10);
    expect(deaths).toEqual([]);
  });

  it('should declare death on the first check when a throttled timer fires 60 s late', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.advance(25_000);
    expect(pings).toHaveLength(1);
    const timersBefore = clock.setTimeoutCalls;
    clock.jump(60_000);
    expect(deaths).toEqual([85_000]);
    expect(pings).toHaveLength(1);
    expect(clock.setTimeoutCalls).toBe(timersBefore);
  });

  it('should send a ping, not declare death, when a late timer finds no ping outstanding', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.jump(60_000);
    expect(pings).toEqual(['ping']);
    expect(deaths).toEqual([]);
    clock.advance(10_000);
    expect(deaths).toEqual([70_000]);
  });

  it('should declare death on the first check in passive mode when a throttled timer fires 60 s late', () => {
    const { monitor, pings, deaths } = setup(passive);
    monitor.start();
    clock.jump(60_000);
    expect(deaths).toEqual([60_000]);
    expect(pings).toEqual([]);
  });

  it('should never ping in passive mode and treat pong-like data as ordinary messages', () => {
    const { monitor, pings, deaths } = setup(passive);
    monitor.start();
    clock.advance(30_000);
    expect(monitor.inbound('pong', clock.now())).toBe(false);
    clock.advance(34_999);
    monitor.probe();
    expect(pings).toEqual([]);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deaths).toEqual([35_000]);
  });

  it('should send a ping at once on probe when none is outstanding', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.advance(1_000);
    monitor.probe();
    expect(pings).toEqual(['ping']);
    monitor.probe();
    expect(pings).toEqual(['ping']);
    clock.advance(10_000);
    expect(deaths).toEqual([11_000]);
  });

  it('should declare death on probe when the answer is already overdue', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.advance(25_000);
    expect(pings).toHaveLength(1);
    // A frozen page: time passes but no timer runs, then the page resumes.
    clock.skip(40_000);
    monitor.probe();
    expect(deaths).toEqual([65_000]);
    expect(pings).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });

  it('should leave zero pending timers after stop, and do nothing more', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.advance(25_000);
    expect(clock.pending()).toBe(1);
    monitor.stop();
    expect(clock.pending()).toBe(0);
    monitor.check();
    monitor.probe();
    clock.advance(120_000);
    expect(pings).toHaveLength(1);
    expect(deaths).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('should stop cleanly when the owner stops it from inside ping', () => {
    clock = new FakeClock();
    const pings: SendData[] = [];
    const self: { monitor?: HeartbeatMonitor } = {};
    monitor = self.monitor = new HeartbeatMonitor(active, clock, {
      ping: (message) => {
        pings.push(message);
        self.monitor?.stop();
      },
      dead: () => {
        throw new Error('a stopped monitor must not declare death');
      },
    });
    monitor.start();
    clock.advance(25_000);
    expect(pings).toEqual(['ping']);
    expect(clock.pending()).toBe(0);
  });

  it('should start afresh on start after a death', () => {
    const { monitor, pings, deaths } = setup();
    monitor.start();
    clock.advance(35_000);
    expect(deaths).toHaveLength(1);
    monitor.start();
    expect(monitor.lastPongAt).toBeNull();
    clock.advance(25_000);
    expect(pings).toHaveLength(2);
    expect(deaths).toHaveLength(1);
  });
});
