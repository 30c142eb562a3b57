/**
 * CPU profiles and sampled heap allocations over CDP, summarised per
 * function (self time, or bytes still live).
 *
 * @module
 */

import type { Page } from '../speed/cdp.js';

/** Where a function is, as CDP reports it (0-based line and column). */
export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** The total of one function. */
export interface PerFunction {
  readonly callFrame: CallFrame;
  /** Milliseconds (CPU profile) or bytes (heap sampling). */
  readonly amount: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

interface SamplingNode {
  readonly callFrame: CallFrame;
  readonly selfSize: number;
  readonly children: SamplingNode[];
}

function keyOf(frame: CallFrame): string {
  return `${frame.functionName}@${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
}

/** Adds `amount` to `frame`'s total. */
function add(totals: Map<string, { callFrame: CallFrame; amount: number }>, frame: CallFrame, amount: number): void {
  const key = keyOf(frame);
  const entry = totals.get(key);
  if (entry) entry.amount += amount;
  else totals.set(key, { callFrame: frame, amount });
}

function sorted(totals: Map<string, { callFrame: CallFrame; amount: number }>): PerFunction[] {
  return [...totals.values()].sort((a, b) => b.amount - a.amount);
}

/** Profiles `during()` with a sample every `intervalUs`; resolves with self milliseconds per function, largest first. */
export async function cpuProfile(page: Page, intervalUs: number, during: () => Promise<unknown>): Promise<PerFunction[]> {
  await page.send('Profiler.enable');
  await page.send('Profiler.setSamplingInterval', { interval: intervalUs });
  await page.send('Profiler.start');
  const stop = async (): Promise<Profile> => {
    const { profile } = await page.send<{ profile: Profile }>('Profiler.stop');
    await page.send('Profiler.disable');
    return profile;
  };
  try {
    await during();
  } catch (error) {
    await stop();
    throw error;
  }
  const profile = await stop();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, { callFrame: CallFrame; amount: number }>();
  profile.samples.forEach((id, i) => {
    add(totals, byId.get(id)!.callFrame, (profile.timeDeltas[i + 1] ?? 0) / 1_000);
  });
  return sorted(totals);
}

/**
 * Samples heap allocations (about one every `intervalBytes`) during
 * `during()`, collects garbage, and resolves with the bytes still live per
 * allocating function, largest first.
 */
export async function liveAllocations(page: Page, intervalBytes: number, during: () => Promise<unknown>): Promise<PerFunction[]> {
  await page.send('HeapProfiler.enable');
  await page.send('HeapProfiler.startSampling', { samplingInterval: intervalBytes });
  let head: SamplingNode;
  try {
    await during();
    for (let i = 0; i < 3; i++) await page.send('HeapProfiler.collectGarbage');
    ({ profile: { head } } = await page.send<{ profile: { head: SamplingNode } }>('HeapProfiler.getSamplingProfile'));
  } finally {
    await page.send('HeapProfiler.stopSampling');
    await page.send('HeapProfiler.disable');
  }
  const totals = new Map<string, { callFrame: CallFrame; amount: number }>();
  // Bounded: the tree is finite and each node is visited once.
  const pending: SamplingNode[] = [head];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.selfSize > 0) add(totals, node.callFrame, node.selfSize);
    pending.push(...node.children);
  }
  return sorted(totals);
}
