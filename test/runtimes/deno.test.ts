/**
 * The built package in Deno (test/runtimes/smoke.ts, imported by a
 * relative path, offline: `--no-remote --cached-only --no-npm`, a fresh
 * DENO_DIR). Deno is a dev dependency; a missing binary fails the test
 * with how to get it (scripts/runtimes.ts).
 */

import { afterAll, describe } from 'vitest';
import { findRuntime, runtimeVersion } from '../../scripts/runtimes.js';
import { smokeColumns } from './smoke-expectations.js';
import { denoLaunch, runSmoke, temporaryDirectory, type SmokeRun } from './support/smoke-run.js';

const binary = (() => {
  try {
    return findRuntime('deno');
  } catch (error) {
    return error as Error;
  }
})();
const version = typeof binary === 'string' ? (/deno (\d+\.\d+)/.exec(runtimeVersion(binary))?.[1] ?? '?') : 'missing';
const denoDir = temporaryDirectory('rws-deno-');
afterAll(() => denoDir.remove());

let smoke: Promise<SmokeRun> | undefined;
const run = (): Promise<SmokeRun> => {
  if (typeof binary !== 'string') return Promise.reject(binary);
  return (smoke ??= runSmoke(denoLaunch(binary, denoDir.dir)));
};

describe(`Deno ${version}`, () => {
  smokeColumns(run);
});
