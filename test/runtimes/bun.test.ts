/**
 * The built package in Bun (test/runtimes/smoke.ts, which imports it by
 * its name, resolved through package.json `exports`). Bun is a dev
 * dependency; a missing binary fails the test with how to get it
 * (scripts/runtimes.ts).
 */

import { describe } from 'vitest';
import { findRuntime, runtimeVersion } from '../../scripts/runtimes.js';
import { smokeColumns } from './smoke-expectations.js';
import { bunLaunch, runSmoke, type SmokeRun } from './support/smoke-run.js';

const binary = (() => {
  try {
    return findRuntime('bun');
  } catch (error) {
    return error as Error;
  }
})();
const version = typeof binary === 'string' ? (/^(\d+\.\d+)/.exec(runtimeVersion(binary))?.[1] ?? '?') : 'missing';

let smoke: Promise<SmokeRun> | undefined;
const run = (): Promise<SmokeRun> => {
  if (typeof binary !== 'string') return Promise.reject(binary);
  return (smoke ??= runSmoke(bunLaunch(binary)));
};

describe(`Bun ${version}`, () => {
  smokeColumns(run);
});
