/**
 * The companion's keepalive schedule on a fake clock: when rounds of pings
 * go out, which rounds each check expires, and that stop() leaves nothing.
 */

import { describe, expect, it } from 'vitest';
import { KeepaliveSweep } from '../../src/server/keepalive.js';
import { FakeClock } from './fake-clock.js';

function sweep(intervalMs: number, timeoutMs: number): { clock: FakeClock; sweep: KeepaliveSweep; log: string[] } {
  const clock = new FakeClock();
  const log: string[] = [];
  const keepalive = new KeepaliveSweep(clock, { intervalMs, timeoutMs }, { ping: (now) => log.push(`ping@${now}`), expire: (by) => log.push(`expire<=${by}@${clock.now()}`) });
  return { clock, sweep: keepalive, log };
}

describe('KeepaliveSweep', () => {
  it('should ping each interval and check each round timeoutMs later, with a timeout shorter than the interval', () => {
    const { clock, sweep: keepalive, log } = sweep(100, 30);
    keepalive.start();
    clock.advance(250);
    expect(log).toEqual(['ping@100', 'expire<=100@130', 'ping@200', 'expire<=200@230']);
  });

  it('should keep one check per round when the timeout spans several intervals', () => {
    const { clock, sweep: keepalive, log } = sweep(100, 250);
    keepalive.start();
    clock.advance(460);
    expect(log).toEqual(['ping@100', 'ping@200', 'ping@300', 'expire<=100@350', 'ping@400', 'expire<=200@450']);
    expect(clock.pending()).toBe(1);
  });

  it('should leave no timer after stop(), and start afresh', () => {
    const { clock, sweep: keepalive, log } = sweep(100, 50);
    keepalive.start();
    clock.advance(120);
    keepalive.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(1_000);
    expect(log).toEqual(['ping@100']);
    keepalive.start();
    clock.advance(100);
    expect(log).toEqual(['ping@100', 'ping@1220']);
    keepalive.stop();
  });
});
