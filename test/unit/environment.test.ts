import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserEnvironment, type EnvironmentSignal } from '../../src/core/environment.js';

/** An event target that counts the listeners it holds, standing in for `window` or `document`. */
class CountingTarget extends EventTarget {
  added = 0;
  removed = 0;
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.added++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.removed++;
    super.removeEventListener(...args);
  }
  get holding(): number {
    return this.added - this.removed;
  }
}

/** A pagehide/pageshow event with its `persisted` flag. */
function pageTransition(type: 'pagehide' | 'pageshow', persisted: boolean): Event {
  return Object.assign(new Event(type), { persisted });
}

describe('browserEnvironment', () => {
  let page: CountingTarget;
  let doc: CountingTarget & { visibilityState: 'visible' | 'hidden' };
  const globals = globalThis as unknown as Record<string, unknown>;

  beforeEach(() => {
    page = new CountingTarget();
    const visibility: { visibilityState: 'visible' | 'hidden' } = { visibilityState: 'visible' };
    doc = Object.assign(new CountingTarget(), visibility);
    globals.addEventListener = page.addEventListener.bind(page);
    globals.removeEventListener = page.removeEventListener.bind(page);
    globals.document = doc;
  });

  afterEach(() => {
    delete globals.addEventListener;
    delete globals.removeEventListener;
    delete globals.document;
  });

  it('should listen to the page once for every socket, and stop when the last one leaves', () => {
    const seen: string[] = [];
    const stops = ['a', 'b', 'c'].map((name) => browserEnvironment.subscribe((signal) => seen.push(`${name}:${signal}`)));
    expect([page.holding, doc.holding]).toEqual([4, 3]);

    page.dispatchEvent(new Event('offline'));
    expect(seen).toEqual(['a:offline', 'b:offline', 'c:offline']);

    stops[1]?.();
    stops[1]?.(); // a second call changes nothing
    page.dispatchEvent(new Event('online'));
    expect(seen.slice(3)).toEqual(['a:online', 'c:online']);
    expect([page.holding, doc.holding]).toEqual([4, 3]);

    stops[0]?.();
    stops[2]?.();
    expect([page.holding, doc.holding]).toEqual([0, 0]);
    page.dispatchEvent(new Event('online'));
    expect(seen).toHaveLength(5);

    // A new socket after that listens again.
    const stop = browserEnvironment.subscribe((signal) => seen.push(`d:${signal}`));
    expect([page.holding, doc.holding]).toEqual([4, 3]);
    stop();
    expect([page.holding, doc.holding]).toEqual([0, 0]);
  });

  it('should translate each page event into its signal, back/forward cache transitions only when persisted', () => {
    const seen: EnvironmentSignal[] = [];
    const stop = browserEnvironment.subscribe((signal) => seen.push(signal));
    page.dispatchEvent(pageTransition('pagehide', false));
    page.dispatchEvent(pageTransition('pagehide', true));
    page.dispatchEvent(pageTransition('pageshow', false));
    page.dispatchEvent(pageTransition('pageshow', true));
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    doc.dispatchEvent(new Event('freeze'));
    doc.dispatchEvent(new Event('resume'));
    stop();
    expect(seen).toEqual(['pagehide', 'pageshow', 'hidden', 'visible', 'freeze', 'resume']);
  });

  it('should keep subscriptions of the same function apart', () => {
    const seen: EnvironmentSignal[] = [];
    const notify = (signal: EnvironmentSignal): number => seen.push(signal);
    const first = browserEnvironment.subscribe(notify);
    const second = browserEnvironment.subscribe(notify);
    page.dispatchEvent(new Event('offline'));
    first();
    page.dispatchEvent(new Event('online'));
    second();
    expect(seen).toEqual(['offline', 'offline', 'online']);
    expect(page.holding).toBe(0);
  });

  it('should not deliver a signal to a socket that left, or joined, while it was being delivered', () => {
    const seen: string[] = [];
    let stopB: () => void = () => undefined;
    let stopC: () => void = () => undefined;
    const stopA = browserEnvironment.subscribe((signal) => {
      seen.push(`a:${signal}`);
      stopB();
      stopC = browserEnvironment.subscribe((later) => seen.push(`c:${later}`));
    });
    stopB = browserEnvironment.subscribe((signal) => seen.push(`b:${signal}`));
    page.dispatchEvent(new Event('offline'));
    expect(seen).toEqual(['a:offline']);
    stopA();
    page.dispatchEvent(new Event('online'));
    expect(seen).toEqual(['a:offline', 'c:online']);
    stopC();
    expect([page.holding, doc.holding]).toEqual([0, 0]);
  });

  it('should read the network and visibility from navigator and document, or say it cannot tell', () => {
    expect(browserEnvironment.isVisible()).toBe(true);
    doc.visibilityState = 'hidden';
    expect(browserEnvironment.isVisible()).toBe(false);
    delete globals.document;
    expect(browserEnvironment.isVisible()).toBeNull();
    expect([true, false, null]).toContain(browserEnvironment.isOnline());
  });
});
