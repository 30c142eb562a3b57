import { describe, expect, it } from 'vitest';
import { FakeClock, seededRandom } from './fake-clock.js';

describe('FakeClock (test helper)', () => {
  it('should run timers in due order, each at its own due time, FIFO among equals', () => {
    const clock = new FakeClock(100);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 20);
    clock.advance(15);
    expect(seen).toEqual(['a@110']);
    expect(clock.now()).toBe(115);
    clock.advance(5);
    expect(seen).toEqual(['a@110', 'b@120', 'c@120']);
    expect(clock.pending()).toBe(0);
  });

  it('should cancel a timer with clearTimeout and ignore unknown handles', () => {
    const clock = new FakeClock();
    let ran = false;
    const handle = clock.setTimeout(() => (ran = true), 10);
    clock.clearTimeout(handle);
    clock.clearTimeout(-1);
    clock.clearTimeout({});
    clock.advance(100);
    expect(ran).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it('should run late timers at the new time on jump, and none on skip', () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 10);
    clock.skip(50);
    expect(seen).toEqual([]);
    clock.jump(10);
    expect(seen).toEqual([60]);
  });

  it('should repeat the same samples in [0, 1) for the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    for (let i = 0; i < 1_000; i++) {
      const sample = a();
      expect(sample).toBe(b());
      expect(sample).toBeGreaterThanOrEqual(0);
      expect(sample).toBeLessThan(1);
    }
  });
});
