/**
 * Finds the Deno and Bun binaries for the runtime tests: the dev
 * dependencies' (node_modules/.bin, present after `npm ci`) first, then
 * `DENO_BIN` / `BUN_BIN`, then the PATH. A missing one is an error that
 * says how to get it: the runtime tests fail, they never skip.
 *
 *   npx tsx scripts/runtimes.ts   # prints where each runtime is and its version
 */

import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A runtime the smoke scripts run in. */
export type RuntimeName = 'deno' | 'bun';

const root = fileURLToPath(new URL('../', import.meta.url));

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of `name`'s binary.
 *
 * @throws Error naming where it looked and how to install it
 */
export function findRuntime(name: RuntimeName): string {
  const fromEnv = process.env[`${name.toUpperCase()}_BIN`];
  const candidates = [path.join(root, 'node_modules', '.bin', name), ...(fromEnv ? [fromEnv] : []), ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name))];
  const found = candidates.find(isExecutable);
  if (found !== undefined) return found;
  throw new Error(
    `${name} not found (looked in node_modules/.bin, ${name.toUpperCase()}_BIN and the PATH). It is a dev dependency: run \`npm ci\` ` +
      `(which installs the ${name} package and its binary), or install ${name} (${name === 'deno' ? 'https://deno.com' : 'https://bun.sh'}) and set ${name.toUpperCase()}_BIN to its path.`,
  );
}

/** The version `name` reports (`deno --version`'s first line, `bun --version`). */
export function runtimeVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '';
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  for (const name of ['deno', 'bun'] as const) {
    try {
      const binary = findRuntime(name);
      console.log(`${name}: ${binary} (${runtimeVersion(binary)})`);
    } catch (error) {
      console.log(`${name}: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}
