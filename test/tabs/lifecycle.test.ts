// @vitest-environment jsdom
/**
 * The page lifecycle as the tabs hear it: which page event is which
 * presence signal, the cleanup, and which close counts as the browser's
 * own for a navigation that has begun.
 */

import { describe, expect, it } from 'vitest';
import { isUnloadClose, pageLifecycle } from '../../src/tabs/lifecycle.js';
import type { PresenceSignal } from '../../src/tabs/index.js';

/** A `pageshow` / `pagehide` with `persisted` (jsdom has no PageTransitionEvent). */
const transition = (type: string, persisted: boolean): Event => Object.assign(new Event(type), { persisted });

describe('pageLifecycle', () => {
  it('should say leave on pagehide and freeze, return on a cached pageshow and resume, may-leave on beforeunload, and nothing after cleanup', () => {
    const heard: PresenceSignal[] = [];
    const stop = pageLifecycle.subscribe((signal) => heard.push(signal));
    window.dispatchEvent(new Event('beforeunload'));
    window.dispatchEvent(transition('pagehide', true));
    window.dispatchEvent(transition('pageshow', false)); // a first load: not a return
    window.dispatchEvent(transition('pageshow', true));
    document.dispatchEvent(new Event('freeze'));
    document.dispatchEvent(new Event('resume'));
    expect(heard).toEqual(['may-leave', 'leave', 'return', 'leave', 'return']);
    stop();
    window.dispatchEvent(new Event('beforeunload'));
    window.dispatchEvent(transition('pagehide', false));
    document.dispatchEvent(new Event('freeze'));
    expect(heard).toHaveLength(5);
  });
});

describe('isUnloadClose', () => {
  it.each([
    { code: 1001, mayLeaveAt: 1_000, now: 1_010, expected: true, why: 'going away 10 ms after beforeunload' },
    { code: 1001, mayLeaveAt: 1_000, now: 2_000, expected: true, why: 'at the end of the second' },
    { code: 1001, mayLeaveAt: 1_000, now: 2_001, expected: false, why: 'later: the page stayed, this is the server' },
    { code: 1001, mayLeaveAt: -Infinity, now: 5, expected: false, why: 'no beforeunload' },
    { code: 1006, mayLeaveAt: 1_000, now: 1_010, expected: false, why: 'a drop, not a going-away close' },
    { code: 1000, mayLeaveAt: 1_000, now: 1_010, expected: false, why: 'a normal close' },
  ])('should be $expected for $code: $why', ({ code, mayLeaveAt, now, expected }) => {
    expect(isUnloadClose(code, mayLeaveAt, now)).toBe(expected);
  });
});
