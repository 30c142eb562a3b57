/**
 * The pure parts of the browser harness: where Chromium is looked for,
 * which engines a run selects, and how timelines are normalized for
 * comparison across builds.
 */

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineNames, selectedEngines } from '../../scripts/browsers.js';
import { chromiumLocations, findChromium } from '../../scripts/chromium.js';
import { normalizeTimeline, type TimelineEntry } from './support/timeline.js';

describe('findChromium', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  const file = (mode: number): string => {
    dir = mkdtempSync(path.join(tmpdir(), 'find-chromium-'));
    const executable = path.join(dir, 'chrome');
    writeFileSync(executable, '#!/bin/sh\n');
    chmodSync(executable, mode);
    return executable;
  };

  it('should take CHROMIUM_PATH first when it is an executable file', () => {
    const executable = file(0o755);
    expect(findChromium({ CHROMIUM_PATH: executable })).toBe(executable);
  });

  it('should reject a CHROMIUM_PATH that is not executable rather than look elsewhere', () => {
    const plain = file(0o644);
    expect(() => findChromium({ CHROMIUM_PATH: plain })).toThrow(/CHROMIUM_PATH is set to .*not an executable file/);
    expect(() => findChromium({ CHROMIUM_PATH: '/nonexistent/chromium' })).toThrow(/apt-get install chromium/);
  });

  it('should fall back to the usual system locations', () => {
    const found = findChromium({});
    if (found !== undefined) expect(chromiumLocations).toContain(found);
    expect(findChromium({ CHROMIUM_PATH: '' })).toBe(found);
  });
});

describe('selectedEngines', () => {
  it('should run every engine unless BROWSERS names some, in the suite\'s order', () => {
    expect(selectedEngines({})).toEqual(['chromium', 'firefox', 'webkit']);
    expect(selectedEngines({ BROWSERS: '' })).toEqual(engineNames);
    expect(selectedEngines({ BROWSERS: 'all' })).toEqual(engineNames);
    expect(selectedEngines({ BROWSERS: 'webkit, Chromium' })).toEqual(['chromium', 'webkit']);
    expect(selectedEngines({ CI: 'true' })).toEqual(engineNames); // CI never narrows the run
  });

  it('should reject an unknown engine, naming BROWSERS, what it may hold and what it holds', () => {
    expect(() => selectedEngines({ BROWSERS: 'chromium,safari' })).toThrow('BROWSERS must be a comma-separated list of chromium, firefox, webkit (or "all"); got "chromium,safari"');
    expect(() => selectedEngines({ BROWSERS: ',' })).toThrow(/BROWSERS must be/);
  });
});

describe('normalizeTimeline', () => {
  const at = { t: 0, at: 0, state: 'open' };
  const close = (code: number, phase: string, wasClean = false): TimelineEntry => ({
    ...at,
    type: 'close',
    code,
    reason: '',
    wasClean,
    class: code === 1006 ? 'abnormal' : 'normal',
    phase,
    initiator: 'network',
    libraryCause: null,
    online: true,
    decision: 'reconnect',
  });

  it('should leave out failed handshakes, their errors and the waits, whatever their number', () => {
    const outage = (failures: number): TimelineEntry[] => [
      { ...at, type: 'open' },
      close(1006, 'open'),
      ...Array.from({ length: failures }, (): TimelineEntry[] => [
        { ...at, type: 'reconnecting', attempt: 1, delayMs: 10 },
        { ...at, type: 'error' },
        close(1006, 'handshake'),
      ]).flat(),
      { ...at, type: 'reconnecting', attempt: 1, delayMs: 20 },
      { ...at, type: 'statechange', from: 'waiting', to: 'connecting', cause: 'timer' },
      { ...at, type: 'open' },
      { ...at, type: 'message', data: 'hi' },
    ];
    const expected = ['open', 'close 1006 unclean abnormal by network → reconnect', 'open', 'message hi'];
    expect(normalizeTimeline(outage(0))).toEqual(expected);
    expect(normalizeTimeline(outage(3))).toEqual(expected);
  });

  it('should keep an error that is not followed by a failed handshake', () => {
    expect(normalizeTimeline([{ ...at, type: 'error' }, close(1006, 'open')])).toEqual(['error', 'close 1006 unclean abnormal by network → reconnect']);
  });
});
